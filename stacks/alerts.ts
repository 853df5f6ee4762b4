/**
 * The platform's alerting and recording rules, as data: five alert groups (API, consensus, workloads, nodes and
 * resources, network) and one group of recording rules the API alerts and the dashboards read. `stacks/` turns them
 * into PrometheusRule objects per cluster; thresholds follow the upstream guidance each names.
 */

/** One alerting rule. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  /** How long the condition must hold, e.g. `5m`. */
  readonly for: string;
  readonly severity: 'critical' | 'warning';
  readonly summary: string;
  readonly description: string;
}

/** A named group of rules, evaluated together. */
export interface AlertGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

/** One recording rule: `record` is the new series' name (`level:metric:operations`), `expr` what it records. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
}

/** A named group of recording rules; Prometheus evaluates a group's rules in order, so later rules read earlier ones. */
export interface RecordingGroup {
  readonly name: string;
  readonly rules: readonly RecordingRule[];
}

/** Label matchers selecting the platform's series (the ServiceMonitors' and PodMonitors' jobs, namespaces, names). */
export interface AlertTargets {
  readonly apiJob: string;
  readonly consensusJob: string;
  readonly apiNamespace: string;
  readonly consensusNamespace: string;
  readonly networkAgentDaemonSet: string;
  readonly networkNamespace: string;
  /** The `job` label of the network agent's PodMonitor. */
  readonly networkAgentJob: string;
  /** The key of the taint nodes join with until their network agent is ready. */
  readonly startupTaintKey: string;
  /** The namespace of the restore drill and the backup check (their Jobs failing is what proves a backup bad). */
  readonly backupChecksNamespace: string;
}

/**
 * The recorded series, by role. Names follow Prometheus' `level:metric:operations` convention: `fleetcraft` is the
 * aggregation level (the whole API of one cluster, no labels kept but `le` for the buckets).
 * @see https://prometheus.io/docs/practices/rules/#naming-and-aggregation
 */
export const RECORDED = {
  /** Requests per second over 5 minutes. */
  apiRequestsRate5m: 'fleetcraft:api_requests:rate5m',
  /** 5xx responses per second over 5 minutes. */
  apiErrorsRate5m: 'fleetcraft:api_errors:rate5m',
  /** Share of requests answered with a 5xx, over 5 minutes. */
  apiErrorRatio5m: 'fleetcraft:api_errors:ratio_rate5m',
  /** Share of requests answered with a 5xx, over 15 minutes. */
  apiErrorRatio15m: 'fleetcraft:api_errors:ratio_rate15m',
  /** The request-duration histogram's buckets per second over 5 minutes, summed by `le`. */
  apiLatencyBucketsRate5m: 'fleetcraft:api_request_duration_seconds_bucket:rate5m',
  /** The 99th percentile of request latency over 5 minutes, in seconds. */
  apiLatencyP99: 'fleetcraft:api_latency_seconds:p99',
  /** The 95th percentile of request latency over 5 minutes, in seconds. */
  apiLatencyP95: 'fleetcraft:api_latency_seconds:p95',
} as const;

/** API alert thresholds, shared by the alerts and the dashboards' colour steps. */
export const API_THRESHOLDS = {
  /** Critical 5xx ratio: one request in twenty failing is an outage for the users hitting it. */
  errorRatioCritical: 0.05,
  /** Warning 5xx ratio: 1 % sustained over 15 minutes exhausts a 99 % monthly error budget within days. */
  errorRatioWarning: 0.01,
  /** Critical p99 latency in seconds. */
  latencyP99Seconds: 1,
  /** Warning p95 latency in seconds. */
  latencyP95Seconds: 0.5,
} as const;

/**
 * Minutes a node may keep the network agent's startup taint before the alert fires. The agent removes it seconds
 * after it is ready; image pull and kernel tuning take well under a minute, and the cluster autoscaler gives a node
 * 15 minutes to become usable (`maxNodeProvisionTime`), so 10 minutes means the agent is stuck while the autoscaler
 * still waits on the node.
 */
export const STARTUP_TAINT_MAX_MINUTES = 10;

/**
 * How old the newest successful consensus snapshot may grow, in seconds: the snapshot CronJob runs hourly, so three
 * hours means two runs in a row failed or never started (one failure is retried by the next run).
 */
export const CONSENSUS_SNAPSHOT_MAX_AGE_SECONDS = 3 * 3600;

/**
 * Received packets dropped per second on one node (all interfaces but loopback). A few drops per second are normal
 * (frames for protocols the kernel does not handle count as drops); a sustained hundred per second means full
 * receive rings or a backlog the kernel cannot drain, which the platform's traffic notices as loss.
 */
export const RECEIVE_DROPS_PER_SECOND = 100;

/**
 * Share of sent TCP segments that were retransmissions on one node. Inside a VPC a healthy path retransmits well under
 * 1 %; above 2 % sustained, throughput collapses (BBR and CUBIC both back off) and consensus heartbeats arrive late.
 */
export const TCP_RETRANSMIT_RATIO = 0.02;

/** The recording rules of one cluster: the API's request rate, error ratios and latency percentiles. */
export function recordingGroups(t: AlertTargets): RecordingGroup[] {
  const api = `job="${t.apiJob}"`;
  return [
    {
      name: 'fleetcraft-api-recording',
      rules: [
        { record: RECORDED.apiRequestsRate5m, expr: `sum(rate(http_requests_total{${api}}[5m]))` },
        { record: RECORDED.apiErrorsRate5m, expr: `sum(rate(http_requests_total{${api},code=~"5.."}[5m]))` },
        { record: RECORDED.apiErrorRatio5m, expr: `${RECORDED.apiErrorsRate5m} / ${RECORDED.apiRequestsRate5m}` },
        { record: RECORDED.apiErrorRatio15m, expr: `sum(rate(http_requests_total{${api},code=~"5.."}[15m])) / sum(rate(http_requests_total{${api}}[15m]))` },
        { record: RECORDED.apiLatencyBucketsRate5m, expr: `sum by (le) (rate(http_request_duration_seconds_bucket{${api}}[5m]))` },
        { record: RECORDED.apiLatencyP99, expr: `histogram_quantile(0.99, ${RECORDED.apiLatencyBucketsRate5m})` },
        { record: RECORDED.apiLatencyP95, expr: `histogram_quantile(0.95, ${RECORDED.apiLatencyBucketsRate5m})` },
      ],
    },
  ];
}

/** Every alert group for one cluster. */
export function alertGroups(t: AlertTargets): AlertGroup[] {
  const api = `job="${t.apiJob}"`;
  const etcd = `job="${t.consensusJob}"`;
  const agent = `job="${t.networkAgentJob}"`;
  return [
    {
      name: 'api',
      rules: [
        { alert: 'ApiHighErrorRate', severity: 'critical', for: '5m', expr: `${RECORDED.apiErrorRatio5m} > ${API_THRESHOLDS.errorRatioCritical}`, summary: 'API 5xx ratio above 5 %', description: 'More than 5 % of API requests failed with a server error for 5 minutes.' },
        { alert: 'ApiElevatedErrorRate', severity: 'warning', for: '15m', expr: `${RECORDED.apiErrorRatio15m} > ${API_THRESHOLDS.errorRatioWarning}`, summary: 'API 5xx ratio above 1 %', description: 'More than 1 % of API requests failed with a server error for 15 minutes.' },
        { alert: 'ApiHighLatencyP99', severity: 'critical', for: '10m', expr: `${RECORDED.apiLatencyP99} > ${API_THRESHOLDS.latencyP99Seconds}`, summary: 'API p99 latency above 1 s', description: 'The 99th percentile of API request latency has been above 1 s for 10 minutes.' },
        { alert: 'ApiHighLatencyP95', severity: 'warning', for: '10m', expr: `${RECORDED.apiLatencyP95} > ${API_THRESHOLDS.latencyP95Seconds}`, summary: 'API p95 latency above 500 ms', description: 'The 95th percentile of API request latency has been above 500 ms for 10 minutes.' },
        { alert: 'ApiDown', severity: 'critical', for: '1m', expr: `sum(up{${api}}) == 0 or absent(up{${api}})`, summary: 'No API pod is scraped', description: 'Prometheus has scraped no API pod for 1 minute (every target down, or no target at all).' },
        { alert: 'ApiAutoscalerAtMaximum', severity: 'warning', for: '15m', expr: `kube_horizontalpodautoscaler_status_current_replicas{namespace="${t.apiNamespace}"} >= kube_horizontalpodautoscaler_spec_max_replicas{namespace="${t.apiNamespace}"}`, summary: 'API autoscaler at its maximum', description: 'The API has run at its maximum replica count for 15 minutes; raise maxReplicas or add capacity.' },
      ],
    },
    {
      name: 'consensus',
      rules: [
        { alert: 'ConsensusNoLeader', severity: 'critical', for: '1m', expr: `etcd_server_has_leader{${etcd}} == 0`, summary: 'A consensus member has no leader', description: 'A member has seen no leader for 1 minute: the cluster may have lost quorum.' },
        { alert: 'ConsensusQuorumLoss', severity: 'critical', for: '1m', expr: `sum(up{${etcd}}) <= count(up{${etcd}}) / 2`, summary: 'Consensus quorum lost', description: 'Half or more of the consensus members are down; writes are failing.' },
        { alert: 'ConsensusMemberDown', severity: 'warning', for: '5m', expr: `up{${etcd}} == 0`, summary: 'A consensus member is down', description: 'One member has been unreachable for 5 minutes; the fault tolerance is reduced.' },
        { alert: 'ConsensusFrequentLeaderChanges', severity: 'warning', for: '15m', expr: `increase(etcd_server_leader_changes_seen_total{${etcd}}[1h]) > 3`, summary: 'Leader changed more than 3 times in an hour', description: 'Frequent elections point at slow disks, network trouble or CPU starvation.' },
        { alert: 'ConsensusHighCommitLatency', severity: 'warning', for: '10m', expr: `histogram_quantile(0.99, rate(etcd_disk_backend_commit_duration_seconds_bucket{${etcd}}[5m])) > 0.025`, summary: 'Backend commit p99 above 25 ms', description: 'etcd recommends a backend commit p99 under 25 ms; the disk is too slow.' },
        { alert: 'ConsensusHighFsyncLatency', severity: 'warning', for: '10m', expr: `histogram_quantile(0.99, rate(etcd_disk_wal_fsync_duration_seconds_bucket{${etcd}}[5m])) > 0.01`, summary: 'WAL fsync p99 above 10 ms', description: 'etcd recommends a WAL fsync p99 under 10 ms; the disk is too slow.' },
        { alert: 'ConsensusProposalFailures', severity: 'warning', for: '15m', expr: `rate(etcd_server_proposals_failed_total{${etcd}}[15m]) > 0.05`, summary: 'Proposals are failing', description: 'Raft proposals fail: usually leader elections or lost quorum.' },
        { alert: 'ConsensusDatabaseNearQuota', severity: 'warning', for: '10m', expr: `etcd_mvcc_db_total_size_in_bytes{${etcd}} / etcd_server_quota_backend_bytes{${etcd}} > 0.8`, summary: 'Database above 80 % of its quota', description: 'Compact and defragment, or raise the quota, before writes are refused.' },
      ],
    },
    {
      name: 'workloads',
      rules: [
        { alert: 'PodCrashLooping', severity: 'warning', for: '15m', expr: 'max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}[5m]) >= 1', summary: 'A container is crash-looping', description: '{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) has been in CrashLoopBackOff for 15 minutes.' },
        { alert: 'PodNotReady', severity: 'warning', for: '15m', expr: 'sum by (namespace, pod) (kube_pod_status_phase{phase=~"Pending|Unknown|Failed"}) > 0', summary: 'A pod is not running', description: '{{ $labels.namespace }}/{{ $labels.pod }} has not been running for 15 minutes.' },
        { alert: 'ContainerOomKilled', severity: 'warning', for: '0m', expr: 'increase(kube_pod_container_status_restarts_total[10m]) > 0 and on (namespace, pod, container) kube_pod_container_status_last_terminated_reason{reason="OOMKilled"} == 1', summary: 'A container was OOM-killed', description: '{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) ran out of memory; raise its memory limit.' },
        { alert: 'DeploymentReplicasMismatch', severity: 'warning', for: '15m', expr: 'kube_deployment_spec_replicas != kube_deployment_status_replicas_available', summary: 'A Deployment lacks available replicas', description: '{{ $labels.namespace }}/{{ $labels.deployment }} has had fewer available replicas than desired for 15 minutes.' },
        { alert: 'BackupVerificationFailed', severity: 'critical', for: '0m', expr: `max by (namespace, job_name) (kube_job_failed{namespace="${t.backupChecksNamespace}",condition="true"}) > 0`, summary: 'A backup check or restore drill failed', description: '{{ $labels.namespace }}/{{ $labels.job_name }} failed: the newest backup is missing, failed, has errors or is too old, or it did not restore to Ready pods; read the Job\'s log and follow the disaster recovery runbook.' },
        { alert: 'ConsensusSnapshotStale', severity: 'critical', for: '15m', expr: `time() - max by (namespace, cronjob) (kube_cronjob_status_last_successful_time{namespace="${t.consensusNamespace}",cronjob=~".+-snapshot"}) > ${CONSENSUS_SNAPSHOT_MAX_AGE_SECONDS}`, summary: 'No recent consensus snapshot', description: `{{ $labels.namespace }}/{{ $labels.cronjob }} has not completed a snapshot for ${CONSENSUS_SNAPSHOT_MAX_AGE_SECONDS / 3600} hours; the S3 restore point is getting old. Check its Jobs' logs and its IRSA role.` },
        { alert: 'StatefulSetReplicasMismatch', severity: 'warning', for: '15m', expr: 'kube_statefulset_status_replicas_ready != kube_statefulset_status_replicas', summary: 'A StatefulSet lacks ready replicas', description: '{{ $labels.namespace }}/{{ $labels.statefulset }} has had unready replicas for 15 minutes.' },
      ],
    },
    {
      name: 'resources',
      rules: [
        { alert: 'NodeCpuSaturated', severity: 'warning', for: '15m', expr: '1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])) > 0.9', summary: 'Node CPU above 90 %', description: '{{ $labels.instance }} has used more than 90 % CPU for 15 minutes.' },
        { alert: 'NodeMemoryPressure', severity: 'critical', for: '5m', expr: 'kube_node_status_condition{condition="MemoryPressure",status="true"} == 1', summary: 'Node under memory pressure', description: '{{ $labels.node }} reports MemoryPressure; the kubelet is evicting pods.' },
        { alert: 'NodeDiskPressure', severity: 'critical', for: '5m', expr: 'kube_node_status_condition{condition="DiskPressure",status="true"} == 1', summary: 'Node under disk pressure', description: '{{ $labels.node }} reports DiskPressure; the kubelet is evicting pods.' },
        { alert: 'NodeFilesystemAlmostFull', severity: 'warning', for: '30m', expr: 'node_filesystem_avail_bytes{fstype!~"tmpfs|overlay"} / node_filesystem_size_bytes{fstype!~"tmpfs|overlay"} < 0.1', summary: 'Node filesystem below 10 % free', description: '{{ $labels.instance }} {{ $labels.mountpoint }} has less than 10 % free space.' },
        { alert: 'PersistentVolumeFillingUp', severity: 'critical', for: '5m', expr: 'kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.1', summary: 'Volume below 10 % free', description: '{{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has less than 10 % free space.' },
        { alert: 'ContainerMemoryNearLimit', severity: 'warning', for: '15m', expr: 'max by (namespace, pod, container) (container_memory_working_set_bytes{container!=""}) / max by (namespace, pod, container) (kube_pod_container_resource_limits{resource="memory"}) > 0.9', summary: 'Container memory above 90 % of its limit', description: '{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) is close to being OOM-killed.' },
        { alert: 'ContainerCpuThrottled', severity: 'warning', for: '15m', expr: 'sum by (namespace, pod, container) (increase(container_cpu_cfs_throttled_periods_total[5m])) / sum by (namespace, pod, container) (increase(container_cpu_cfs_periods_total[5m])) > 0.25', summary: 'Container CPU throttled more than 25 %', description: '{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) is throttled; raise or remove its CPU limit.' },
      ],
    },
    {
      name: 'network',
      rules: [
        { alert: 'NetworkAgentUnavailable', severity: 'critical', for: '10m', expr: `kube_daemonset_status_number_unavailable{namespace="${t.networkNamespace}",daemonset="${t.networkAgentDaemonSet}"} > 0`, summary: 'The network agent is not running on every node', description: 'Nodes without a ready network agent keep their startup taint and take no pods.' },
        { alert: 'NetworkAgentDown', severity: 'critical', for: '5m', expr: `up{${agent}} == 0`, summary: 'A network agent is not answering', description: 'Prometheus has not scraped the network agent at {{ $labels.instance }} ({{ $labels.pod }}) for 5 minutes.' },
        { alert: 'NodeNetworkNotReady', severity: 'warning', for: `${STARTUP_TAINT_MAX_MINUTES}m`, expr: `max by (node) (kube_node_spec_taint{key="${t.startupTaintKey}"}) > 0`, summary: 'A node still has the network startup taint', description: `{{ $labels.node }} has kept ${t.startupTaintKey} for ${STARTUP_TAINT_MAX_MINUTES} minutes: its network agent never became ready, and no workload lands there.` },
        { alert: 'NodeNetworkReceiveDrops', severity: 'warning', for: '15m', expr: `sum by (instance) (rate(node_network_receive_drop_total{device!="lo"}[5m])) > ${RECEIVE_DROPS_PER_SECOND}`, summary: `A node drops more than ${RECEIVE_DROPS_PER_SECOND} received packets per second`, description: '{{ $labels.instance }} has dropped received packets for 15 minutes; check its receive rings and backlog.' },
        { alert: 'NodeTcpRetransmitsHigh', severity: 'warning', for: '15m', expr: `rate(node_netstat_Tcp_RetransSegs[5m]) / rate(node_netstat_Tcp_OutSegs[5m]) > ${TCP_RETRANSMIT_RATIO}`, summary: `TCP retransmits above ${TCP_RETRANSMIT_RATIO * 100} % of sent segments`, description: '{{ $labels.instance }} has retransmitted many TCP segments for 15 minutes: packet loss on its network path.' },
      ],
    },
  ];
}
