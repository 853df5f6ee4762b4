import { metricNames } from '../../stacks/promql';

describe('metricNames', () => {
  test.each([
    ['a bare series', 'up', ['up']],
    ['label matchers and a range, with functions and aggregation', 'sum by (le) (rate(http_request_duration_seconds_bucket{job="api",code=~"5.."}[5m]))', ['http_request_duration_seconds_bucket']],
    ['a quantile over a recorded series', 'histogram_quantile(0.99, fleetcraft:api_request_duration_seconds_bucket:rate5m)', ['fleetcraft:api_request_duration_seconds_bucket:rate5m']],
    ['binary operators, set operators and vector matching', 'a_total / on (instance) group_left (node) b_info > 0.5 and c unless d or absent(e)', ['a_total', 'b_info', 'c', 'd', 'e']],
    ['aggregation with the modifier after it', 'sum(rate(x_total[1h:5m])) without (pod, container)', ['x_total']],
    ['label values that look like metric names', 'kube_node_spec_taint{key="fleetcraft.io/network-not-ready", effect=\'NoSchedule\'}', ['kube_node_spec_taint']],
    ['bool, offset and numbers in scientific notation', 'x > bool 1e3 offset 5m', ['x']],
    ['each name once', 'etcd_mvcc_db_total_size_in_bytes / etcd_server_quota_backend_bytes > etcd_mvcc_db_total_size_in_bytes', ['etcd_mvcc_db_total_size_in_bytes', 'etcd_server_quota_backend_bytes']],
    ['a vector literal', 'count(x == 0) or vector(0)', ['x']],
  ])('%s', (_what, expr, names) => {
    expect(metricNames(expr)).toEqual(names);
  });
});
