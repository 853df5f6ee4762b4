import { DNS_LABEL, LABEL_VALUE, PropShape, shape } from '../../private/prop-guard';
import type { Dashboard } from './dashboard';

/** Props for {@link GrafanaDashboard}. */
export interface GrafanaDashboardProps {
  /** The dashboard to deliver. */
  readonly dashboard: Dashboard;
  /** The ConfigMap's namespace (Grafana's sidecar must search it; kube-prometheus-stack's values make it search all). */
  readonly namespace: string;
  /**
   * The ConfigMap's name (a DNS-1123 label).
   * @default - `grafana-dashboard-<uid>`, the dashboard's uid lower-cased with "_" written "-"
   */
  readonly name?: string;
  /**
   * The `app.kubernetes.io/part-of` label.
   * @default - no part-of label
   */
  readonly partOf?: string;
}

/** The runtime shape of each {@link GrafanaDashboardProps} prop. */
export const GRAFANA_DASHBOARD_PROP_SHAPES = {
  dashboard: shape.required(shape.value('Dashboard', ['toJson', 'uid'], 'new Dashboard({ uid: \'api\', title: \'API\', rows: [...] })')),
  namespace: shape.required(DNS_LABEL),
  name: DNS_LABEL,
  partOf: LABEL_VALUE,
} satisfies { readonly [K in keyof Required<GrafanaDashboardProps>]: PropShape };
