/**
 * The platform's Grafana dashboards — the API, the consensus cluster, the network layer — built from typed panels.
 * The API's panels read the recorded series; every threshold is the alert's, so a panel turns red when its alert
 * fires.
 */
import { Dashboard, PanelThreshold, PanelType } from '../lib';
import { AlertTargets, API_THRESHOLDS, RECEIVE_DROPS_PER_SECOND, RECORDED, TCP_RETRANSMIT_RATIO } from './alerts';

const TAGS = ['fleetcraft'];
const warnAt = (warning: number, critical?: number): PanelThreshold[] =>
  [{ value: warning, color: 'orange' }, ...(critical !== undefined ? [{ value: critical, color: 'red' }] : [])];

/** The API: traffic, errors and latency from the recording rules, pods and autoscaling from kube-state-metrics. */
export function apiDashboard(t: AlertTargets): Dashboard {
  const api = `job="${t.apiJob}"`;
  const hpa = `namespace="${t.apiNamespace}"`;
  return new Dashboard({
    uid: 'fleetcraft-api',
    title: 'fleetcraft / API',
    tags: [...TAGS, 'api'],
    rows: [
      {
        title: 'Traffic and errors',
        panels: [
          { title: 'Requests per second', type: PanelType.TIMESERIES, unit: 'reqps', targets: [
            { expr: RECORDED.apiRequestsRate5m, legend: 'all' }, { expr: RECORDED.apiErrorsRate5m, legend: '5xx' },
          ] },
          { title: '5xx ratio (5m)', type: PanelType.STAT, unit: 'percentunit', targets: [{ expr: RECORDED.apiErrorRatio5m }],
            thresholds: warnAt(API_THRESHOLDS.errorRatioWarning, API_THRESHOLDS.errorRatioCritical) },
          { title: '5xx ratio (15m)', type: PanelType.TIMESERIES, unit: 'percentunit', targets: [{ expr: RECORDED.apiErrorRatio15m, legend: '5xx ratio' }],
            thresholds: warnAt(API_THRESHOLDS.errorRatioWarning, API_THRESHOLDS.errorRatioCritical) },
        ],
      },
      {
        title: 'Latency',
        panels: [
          { title: 'Latency p95 and p99', type: PanelType.TIMESERIES, unit: 's', width: 16, targets: [
            { expr: RECORDED.apiLatencyP95, legend: 'p95' }, { expr: RECORDED.apiLatencyP99, legend: 'p99' },
          ], thresholds: warnAt(API_THRESHOLDS.latencyP95Seconds, API_THRESHOLDS.latencyP99Seconds) },
          { title: 'Latency p99', type: PanelType.GAUGE, unit: 's', min: 0, max: API_THRESHOLDS.latencyP99Seconds * 2, targets: [{ expr: RECORDED.apiLatencyP99 }],
            thresholds: warnAt(API_THRESHOLDS.latencyP95Seconds, API_THRESHOLDS.latencyP99Seconds) },
        ],
      },
      {
        title: 'Pods and autoscaling',
        panels: [
          { title: 'Pods scraped', type: PanelType.STAT, targets: [{ expr: `sum(up{${api}})` }], thresholds: [] },
          { title: 'Replicas', type: PanelType.TIMESERIES, width: 16, targets: [
            { expr: `sum(kube_horizontalpodautoscaler_status_current_replicas{${hpa}})`, legend: 'current' },
            { expr: `sum(kube_horizontalpodautoscaler_status_desired_replicas{${hpa}})`, legend: 'desired' },
            { expr: `sum(kube_horizontalpodautoscaler_spec_max_replicas{${hpa}})`, legend: 'maximum' },
          ] },
        ],
      },
    ],
  });
}

/** The consensus cluster: leadership, members, disk latency against etcd's guidance, and the database's quota. */
export function consensusDashboard(t: AlertTargets): Dashboard {
  const etcd = `job="${t.consensusJob}"`;
  return new Dashboard({
    uid: 'fleetcraft-consensus',
    title: 'fleetcraft / Consensus',
    tags: [...TAGS, 'consensus'],
    rows: [
      {
        title: 'Members and leadership',
        panels: [
          { title: 'Members up', type: PanelType.STAT, targets: [{ expr: `sum(up{${etcd}})` }] },
          { title: 'Members without a leader', type: PanelType.STAT, targets: [{ expr: `count(etcd_server_has_leader{${etcd}} == 0) or vector(0)` }],
            thresholds: [{ value: 1, color: 'red' }] },
          { title: 'Leader changes (1h)', type: PanelType.STAT, targets: [{ expr: `max(increase(etcd_server_leader_changes_seen_total{${etcd}}[1h]))` }],
            thresholds: warnAt(4) },
        ],
      },
      {
        title: 'Disk and proposals',
        panels: [
          { title: 'WAL fsync p99', type: PanelType.TIMESERIES, unit: 's', targets: [
            { expr: `histogram_quantile(0.99, sum by (instance, le) (rate(etcd_disk_wal_fsync_duration_seconds_bucket{${etcd}}[5m])))`, legend: '{{instance}}' },
          ], thresholds: warnAt(0.01) },
          { title: 'Backend commit p99', type: PanelType.TIMESERIES, unit: 's', targets: [
            { expr: `histogram_quantile(0.99, sum by (instance, le) (rate(etcd_disk_backend_commit_duration_seconds_bucket{${etcd}}[5m])))`, legend: '{{instance}}' },
          ], thresholds: warnAt(0.025) },
          { title: 'Proposals', type: PanelType.TIMESERIES, unit: 'ops', targets: [
            { expr: `sum(rate(etcd_server_proposals_committed_total{${etcd}}[5m]))`, legend: 'committed' },
            { expr: `sum(rate(etcd_server_proposals_failed_total{${etcd}}[5m]))`, legend: 'failed' },
            { expr: `max(etcd_server_proposals_pending{${etcd}})`, legend: 'pending' },
          ] },
        ],
      },
      {
        title: 'Database',
        panels: [
          { title: 'Database size of quota', type: PanelType.GAUGE, unit: 'percentunit', min: 0, max: 1, targets: [
            { expr: `max(etcd_mvcc_db_total_size_in_bytes{${etcd}} / etcd_server_quota_backend_bytes{${etcd}})` },
          ], thresholds: warnAt(0.8) },
          { title: 'Database size', type: PanelType.TIMESERIES, unit: 'bytes', width: 16, targets: [
            { expr: `etcd_mvcc_db_total_size_in_bytes{${etcd}}`, legend: '{{instance}} total' },
            { expr: `etcd_mvcc_db_total_size_in_use_in_bytes{${etcd}}`, legend: '{{instance}} in use' },
          ] },
        ],
      },
    ],
  });
}

/** The network layer: the agent on every node, the startup taint, and the nodes' drops and TCP retransmits. */
export function networkDashboard(t: AlertTargets): Dashboard {
  const ds = `namespace="${t.networkNamespace}",daemonset="${t.networkAgentDaemonSet}"`;
  const agent = `job="${t.networkAgentJob}"`;
  return new Dashboard({
    uid: 'fleetcraft-network',
    title: 'fleetcraft / Network',
    tags: [...TAGS, 'network'],
    rows: [
      {
        title: 'Network agent',
        panels: [
          { title: 'Nodes without a ready agent', type: PanelType.STAT, targets: [{ expr: `sum(kube_daemonset_status_number_unavailable{${ds}})` }],
            thresholds: [{ value: 1, color: 'red' }] },
          { title: 'Agents scraped', type: PanelType.STAT, targets: [{ expr: `sum(up{${agent}})` }] },
          { title: 'Nodes with the startup taint', type: PanelType.STAT, targets: [{ expr: `count(kube_node_spec_taint{key="${t.startupTaintKey}"}) or vector(0)` }],
            thresholds: [{ value: 1, color: 'orange' }] },
          { title: 'Agent memory', type: PanelType.TIMESERIES, unit: 'bytes', width: 24, targets: [
            { expr: `process_resident_memory_bytes{${agent}}`, legend: '{{instance}}' },
          ] },
        ],
      },
      {
        title: 'Nodes',
        panels: [
          { title: 'Received packets dropped', type: PanelType.TIMESERIES, unit: 'pps', targets: [
            { expr: 'sum by (instance) (rate(node_network_receive_drop_total{device!="lo"}[5m]))', legend: '{{instance}}' },
          ], thresholds: warnAt(RECEIVE_DROPS_PER_SECOND) },
          { title: 'TCP retransmitted segments', type: PanelType.TIMESERIES, unit: 'percentunit', targets: [
            { expr: 'rate(node_netstat_Tcp_RetransSegs[5m]) / rate(node_netstat_Tcp_OutSegs[5m])', legend: '{{instance}}' },
          ], thresholds: warnAt(TCP_RETRANSMIT_RATIO) },
          { title: 'Throughput', type: PanelType.TIMESERIES, unit: 'Bps', targets: [
            { expr: 'sum by (instance) (rate(node_network_receive_bytes_total{device!="lo"}[5m]))', legend: '{{instance}} in' },
            { expr: 'sum by (instance) (rate(node_network_transmit_bytes_total{device!="lo"}[5m]))', legend: '{{instance}} out' },
          ] },
        ],
      },
    ],
  });
}

/** The platform's three dashboards. */
export function platformDashboards(t: AlertTargets): Dashboard[] {
  return [apiDashboard(t), consensusDashboard(t), networkDashboard(t)];
}
