import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { enablePolicyChecks } from '../../policy/app-checks';
import { propError } from '../../private/errors';
import { standardLabels } from '../../private/labels';
import { guardProps } from '../../private/prop-guard';
import { GRAFANA_DASHBOARD_LABEL } from '../addons/values';
import { Dashboard } from './dashboard';
import { GRAFANA_DASHBOARD_PROP_SHAPES, GrafanaDashboardProps } from './props';

const GRAFANA_DASHBOARD = 'GrafanaDashboard';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A Grafana dashboard delivered as a ConfigMap that kube-prometheus-stack's Grafana sidecar loads: labelled
 * `grafana_dashboard: "1"` (the chart's default label, which the add-on's values keep), holding the dashboard JSON
 * under `<uid>.json`. Grafana picks it up without a restart and drops it when the ConfigMap goes.
 * @see https://github.com/grafana/helm-charts/tree/main/charts/grafana#sidecar-for-dashboards
 */
export class GrafanaDashboard extends Construct {
  /** The ConfigMap's name. */
  public readonly name: string;
  /** The dashboard it holds. */
  public readonly dashboard: Dashboard;
  /** The ConfigMap. */
  public readonly configMap: kplus.ConfigMap;

  constructor(scope: Construct, id: string, props: GrafanaDashboardProps) {
    guardProps(GRAFANA_DASHBOARD, id, props, GRAFANA_DASHBOARD_PROP_SHAPES);
    super(scope, id);
    enablePolicyChecks(this);
    this.dashboard = props.dashboard;
    this.name = props.name ?? `grafana-dashboard-${props.dashboard.uid.toLowerCase().replace(/_/g, '-')}`;
    if (this.name.length > 63 || !DNS_LABEL.test(this.name)) {
      throw propError(GRAFANA_DASHBOARD, id, 'name', this.name, 'derived from the dashboard\'s uid is not a DNS-1123 label', 'set name to one, e.g. "grafana-dashboard-api"');
    }
    const labels = { ...standardLabels({ name: 'grafana-dashboard', instance: this.name, component: 'dashboard', partOf: props.partOf }), [GRAFANA_DASHBOARD_LABEL.key]: GRAFANA_DASHBOARD_LABEL.value };
    this.configMap = new kplus.ConfigMap(this, 'Resource', {
      metadata: { name: this.name, namespace: props.namespace, labels },
      data: { [`${props.dashboard.uid}.json`]: JSON.stringify(props.dashboard.toJson(), null, 2) },
    });
  }
}
