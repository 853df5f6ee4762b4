/**
 * The metric families each exporter the platform runs serves, as the dashboards and rules read them. A panel may only
 * plot a series an alert reads, a recording rule records, or one of these lists names (test/stacks/dashboards.test.ts
 * checks it), so a misspelt or vanished metric fails a test instead of drawing an empty graph.
 *
 * A histogram is listed by its family name; its `_bucket`, `_sum` and `_count` series count as listed.
 */

/** One exporter and the families it serves. */
export interface ExporterMetrics {
  /** What serves them, and how Prometheus reaches it. */
  readonly source: string;
  readonly histograms: readonly string[];
  /** Counters (with their `_total`) and gauges, as exposed. */
  readonly series: readonly string[];
}

/** Each exporter the platform runs, by name, with the metric families it serves. */
export const EXPORTER_METRICS: Readonly<Record<string, ExporterMetrics>> = {
  // Prometheus itself writes these for every target it scrapes (the API's ServiceMonitor, the PodMonitors).
  prometheus: {
    source: 'Prometheus\' own series per scrape target',
    histograms: [],
    series: ['up', 'scrape_duration_seconds', 'scrape_samples_scraped'],
  },
  // The API's /metrics (ghcr.io/fleetcraft/api), scraped through its ServiceMonitor: the request counter the HPA's
  // http_requests_per_second is computed from, and the request-duration histogram.
  api: {
    source: 'the API\'s /metrics, scraped by its ServiceMonitor',
    histograms: ['http_request_duration_seconds'],
    series: ['http_requests_total'],
  },
  // etcd's /metrics on each consensus member's metrics port, scraped by the consensus PodMonitor.
  // https://etcd.io/docs/v3.5/metrics/
  etcd: {
    source: 'etcd\'s /metrics on the consensus members, scraped by their PodMonitor',
    histograms: ['etcd_disk_wal_fsync_duration_seconds', 'etcd_disk_backend_commit_duration_seconds', 'etcd_network_peer_round_trip_time_seconds'],
    series: [
      'etcd_server_has_leader', 'etcd_server_is_leader', 'etcd_server_leader_changes_seen_total', 'etcd_server_proposals_committed_total',
      'etcd_server_proposals_applied_total', 'etcd_server_proposals_pending', 'etcd_server_proposals_failed_total',
      'etcd_mvcc_db_total_size_in_bytes', 'etcd_mvcc_db_total_size_in_use_in_bytes', 'etcd_server_quota_backend_bytes',
    ],
  },
  // kube-state-metrics, installed and scraped by kube-prometheus-stack (kubeStateMetrics.enabled).
  // https://github.com/kubernetes/kube-state-metrics/tree/main/docs/metrics
  kubeStateMetrics: {
    source: 'kube-state-metrics (kube-prometheus-stack)',
    histograms: [],
    series: [
      'kube_daemonset_status_desired_number_scheduled', 'kube_daemonset_status_number_ready', 'kube_daemonset_status_number_unavailable',
      'kube_deployment_spec_replicas', 'kube_deployment_status_replicas_available',
      'kube_statefulset_status_replicas', 'kube_statefulset_status_replicas_ready',
      'kube_horizontalpodautoscaler_status_current_replicas', 'kube_horizontalpodautoscaler_status_desired_replicas', 'kube_horizontalpodautoscaler_spec_max_replicas',
      'kube_horizontalpodautoscaler_spec_min_replicas',
      'kube_node_spec_taint', 'kube_node_status_condition', 'kube_node_info',
      'kube_pod_status_phase', 'kube_pod_container_status_waiting_reason', 'kube_pod_container_status_restarts_total',
      'kube_pod_container_status_last_terminated_reason', 'kube_pod_container_resource_limits',
    ],
  },
  // node-exporter on every node, installed and scraped by kube-prometheus-stack (nodeExporter.enabled); the netstat
  // families come from its default netstat collector, the network ones from netdev.
  // https://github.com/prometheus/node_exporter#enabled-by-default
  nodeExporter: {
    source: 'node-exporter (kube-prometheus-stack)',
    histograms: [],
    series: [
      'node_network_receive_bytes_total', 'node_network_transmit_bytes_total', 'node_network_receive_packets_total', 'node_network_transmit_packets_total',
      'node_network_receive_drop_total', 'node_network_transmit_drop_total', 'node_network_receive_errs_total', 'node_network_transmit_errs_total',
      'node_netstat_Tcp_RetransSegs', 'node_netstat_Tcp_OutSegs', 'node_netstat_Tcp_CurrEstab',
      'node_cpu_seconds_total', 'node_filesystem_avail_bytes', 'node_filesystem_size_bytes',
    ],
  },
  // The network agent's /metrics on its `metrics` port (host network), scraped by its PodMonitor: the process
  // collector every Prometheus client library registers by default.
  networkAgent: {
    source: 'the network agent\'s /metrics, scraped by its PodMonitor',
    histograms: [],
    series: ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_open_fds', 'process_start_time_seconds'],
  },
};

/** Whether an exporter serves `name` (a listed series, or a listed histogram's `_bucket`, `_sum` or `_count`). */
export function exporterServes(name: string): string | undefined {
  for (const [exporter, m] of Object.entries(EXPORTER_METRICS)) {
    if (m.series.includes(name)) return exporter;
    if (m.histograms.some((h) => [`${h}_bucket`, `${h}_sum`, `${h}_count`].includes(name))) return exporter;
  }
  return undefined;
}
