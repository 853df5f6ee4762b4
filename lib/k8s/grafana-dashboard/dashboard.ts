/**
 * A small typed model of a Grafana dashboard — rows of panels, each with PromQL targets, a unit and colour
 * thresholds — that serialises to the dashboard JSON Grafana imports. Dashboards are built from typed panels, never
 * from pasted JSON, so a test can read every query back.
 * @see https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/
 */

/** The visualisations a panel may use (Grafana's panel plugin ids). */
export enum PanelType {
  /** A graph over time. */
  TIMESERIES = 'timeseries',
  /** One big number (the last value). */
  STAT = 'stat',
  /** The last value on a dial between `min` and `max`. */
  GAUGE = 'gauge',
}

/** One PromQL query of a panel. */
export interface PanelTarget {
  /** The PromQL expression. */
  readonly expr: string;
  /**
   * The series' legend, with `{{label}}` placeholders (Grafana's `legendFormat`).
   * @default - Grafana's default (the series' labels)
   */
  readonly legend?: string;
}

/** A colour step: from `value` upwards the panel shows `color` (a Grafana colour name or `#rrggbb`). */
export interface PanelThreshold {
  readonly value: number;
  readonly color: string;
}

/** One panel of a row. */
export interface DashboardPanel {
  /** The panel's title. */
  readonly title: string;
  /** The visualisation. */
  readonly type: PanelType;
  /** The queries, at least one (at most 26: Grafana names them A to Z). */
  readonly targets: readonly PanelTarget[];
  /**
   * What the panel explains, shown on hover.
   * @default - no description
   */
  readonly description?: string;
  /**
   * The unit of the values (a Grafana unit id: `s`, `percentunit`, `reqps`, `bytes`, `short`, `pps`…).
   * @default 'short'
   */
  readonly unit?: string;
  /**
   * Colour steps above the base colour (green), in ascending order of `value`.
   * @default - green only
   */
  readonly thresholds?: readonly PanelThreshold[];
  /**
   * The lowest value of the axis or gauge.
   * @default - from the data
   */
  readonly min?: number;
  /**
   * The highest value of the axis or gauge.
   * @default - from the data
   */
  readonly max?: number;
  /**
   * The panel's width in grid columns (1–24, the dashboard being 24 wide); panels fill a line left to right.
   * @default 8
   */
  readonly width?: number;
  /**
   * The panel's height in grid rows (1–40).
   * @default 8
   */
  readonly height?: number;
}

/** A titled row of panels. */
export interface DashboardRow {
  readonly title: string;
  readonly panels: readonly DashboardPanel[];
}

/** Props of a {@link Dashboard}. */
export interface DashboardProps {
  /** The dashboard's uid: 1 to 40 letters, digits, `-` and `_` (its address in Grafana: `/d/<uid>`). */
  readonly uid: string;
  /** The dashboard's title. */
  readonly title: string;
  /** Its rows, at least one. */
  readonly rows: readonly DashboardRow[];
  /**
   * Tags to find it by.
   * @default []
   */
  readonly tags?: readonly string[];
  /**
   * How often the open dashboard refreshes (a Grafana interval: `30s`, `1m`).
   * @default '30s'
   */
  readonly refresh?: string;
  /**
   * The default time range, back from now (a Grafana relative time: `1h`, `6h`, `7d`).
   * @default '6h'
   */
  readonly timeRange?: string;
}

/** The dashboard JSON Grafana imports (the fields this model writes). */
export interface GrafanaDashboardJson {
  readonly uid: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly timezone: 'utc';
  readonly schemaVersion: number;
  readonly version: number;
  readonly editable: boolean;
  readonly graphTooltip: number;
  readonly refresh: string;
  readonly time: { readonly from: string; readonly to: 'now' };
  readonly annotations: { readonly list: readonly unknown[] };
  readonly templating: { readonly list: readonly Record<string, unknown>[] };
  readonly panels: readonly Record<string, unknown>[];
}

/** The dashboard JSON schema version written (Grafana 10.4's; later versions migrate it when they load it). */
export const GRAFANA_SCHEMA_VERSION = 39;

/** The templating variable every panel's data source refers to, so the dashboard works with any Prometheus. */
export const DATASOURCE_VARIABLE = 'datasource';

const GRID_WIDTH = 24;
const UID = /^[A-Za-z0-9_-]{1,40}$/;
const INTERVAL = /^[1-9][0-9]*(s|m|h|d|w)$/;
const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * A Grafana dashboard: validated when built, serialised by {@link Dashboard.toJson}. Panels are laid out in their rows
 * left to right, a new line starting when the next panel would pass the 24 columns.
 */
export class Dashboard {
  public readonly uid: string;
  public readonly title: string;
  public readonly rows: readonly DashboardRow[];
  public readonly tags: readonly string[];
  public readonly refresh: string;
  public readonly timeRange: string;

  constructor(props: DashboardProps) {
    const where = `Dashboard '${String(props.uid)}'`;
    if (typeof props.uid !== 'string' || !UID.test(props.uid)) {
      throw new Error(`${where}: uid (${JSON.stringify(props.uid)}) must be 1 to 40 letters, digits, "-" or "_" (Grafana's limit); use e.g. "fleetcraft-api"`);
    }
    if (typeof props.title !== 'string' || props.title.trim() === '') {
      throw new Error(`${where}: title (${JSON.stringify(props.title)}) must not be empty; name what the dashboard shows`);
    }
    if (!Array.isArray(props.rows) || props.rows.length === 0) {
      throw new Error(`${where}: rows (${JSON.stringify(props.rows)}) must hold at least one row; add a row of panels`);
    }
    for (const [name, value] of [['refresh', props.refresh], ['timeRange', props.timeRange]] as const) {
      if (value !== undefined && !INTERVAL.test(value)) {
        throw new Error(`${where}: ${name} (${JSON.stringify(value)}) must be a whole number and a unit (s, m, h, d, w); use e.g. "30s" or "6h"`);
      }
    }
    const titles = new Set<string>();
    for (const row of props.rows) {
      if (titles.has(row.title)) throw new Error(`${where}: row "${row.title}" appears twice; give each row its own title`);
      titles.add(row.title);
      if (row.panels.length === 0) throw new Error(`${where}: row "${row.title}" has no panels; add one or remove the row`);
      for (const panel of row.panels) validatePanel(`${where}: panel "${panel.title}" of row "${row.title}"`, panel);
    }
    this.uid = props.uid;
    this.title = props.title;
    this.rows = props.rows;
    this.tags = props.tags ?? [];
    this.refresh = props.refresh ?? '30s';
    this.timeRange = props.timeRange ?? '6h';
  }

  /** Every PromQL expression of every panel, with the row and panel it belongs to. */
  public get expressions(): ReadonlyArray<{ readonly row: string; readonly panel: string; readonly expr: string }> {
    return this.rows.flatMap((r) => r.panels.flatMap((p) => p.targets.map((t) => ({ row: r.title, panel: p.title, expr: t.expr }))));
  }

  /** The dashboard JSON Grafana imports. */
  public toJson(): GrafanaDashboardJson {
    const panels: Record<string, unknown>[] = [];
    let id = 1;
    let y = 0;
    for (const row of this.rows) {
      panels.push({ id: id++, type: 'row', title: row.title, collapsed: false, gridPos: { h: 1, w: GRID_WIDTH, x: 0, y }, panels: [] });
      y += 1;
      let x = 0;
      let lineHeight = 0;
      for (const panel of row.panels) {
        const w = panel.width ?? 8;
        const h = panel.height ?? 8;
        if (x + w > GRID_WIDTH) {
          x = 0;
          y += lineHeight;
          lineHeight = 0;
        }
        panels.push(panelJson(id++, panel, { h, w, x, y }));
        x += w;
        lineHeight = Math.max(lineHeight, h);
      }
      y += lineHeight;
    }
    return {
      uid: this.uid,
      title: this.title,
      tags: [...this.tags],
      timezone: 'utc',
      schemaVersion: GRAFANA_SCHEMA_VERSION,
      version: 1,
      editable: false,
      graphTooltip: 1,
      refresh: this.refresh,
      time: { from: `now-${this.timeRange}`, to: 'now' },
      annotations: { list: [] },
      templating: {
        list: [{ name: DATASOURCE_VARIABLE, label: 'Data source', type: 'datasource', query: 'prometheus', hide: 0, current: {}, options: [], refresh: 1 }],
      },
      panels,
    };
  }
}

function validatePanel(where: string, panel: DashboardPanel): void {
  if (typeof panel.title !== 'string' || panel.title.trim() === '') {
    throw new Error(`${where}: title (${JSON.stringify(panel.title)}) must not be empty; name what the panel shows`);
  }
  if (!Object.values(PanelType).includes(panel.type)) {
    throw new Error(`${where}: type (${JSON.stringify(panel.type)}) is not a supported panel; use ${Object.values(PanelType).map((t) => `"${t}"`).join(', ')}`);
  }
  if (panel.targets.length === 0 || panel.targets.length > REF_IDS.length) {
    throw new Error(`${where}: targets (${panel.targets.length}) must hold 1 to ${REF_IDS.length} queries; split the panel or add a query`);
  }
  for (const target of panel.targets) {
    if (typeof target.expr !== 'string' || target.expr.trim() === '') {
      throw new Error(`${where}: a target's expr (${JSON.stringify(target.expr)}) is empty; give the PromQL it plots`);
    }
  }
  for (const [name, value, max] of [['width', panel.width, GRID_WIDTH], ['height', panel.height, 40]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > max)) {
      throw new Error(`${where}: ${name} (${value}) must be a whole number between 1 and ${max}; the grid is ${GRID_WIDTH} columns wide`);
    }
  }
  const steps = panel.thresholds ?? [];
  for (let i = 1; i < steps.length; i++) {
    if (!(steps[i].value > steps[i - 1].value)) {
      throw new Error(`${where}: thresholds (${steps.map((s) => s.value).join(', ')}) must ascend; list the steps from the lowest value up`);
    }
  }
  if (panel.min !== undefined && panel.max !== undefined && !(panel.min < panel.max)) {
    throw new Error(`${where}: min (${panel.min}) must be below max (${panel.max}); swap them or drop one`);
  }
}

const DATASOURCE = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` } as const;

function panelJson(id: number, panel: DashboardPanel, gridPos: { h: number; w: number; x: number; y: number }): Record<string, unknown> {
  const reduce = { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false } };
  const options: Record<PanelType, Record<string, unknown>> = {
    [PanelType.TIMESERIES]: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
    [PanelType.STAT]: { ...reduce, colorMode: 'value', graphMode: 'area', justifyMode: 'auto', orientation: 'auto', textMode: 'auto' },
    [PanelType.GAUGE]: { ...reduce, orientation: 'auto', showThresholdLabels: false, showThresholdMarkers: true },
  };
  return {
    id,
    type: panel.type,
    title: panel.title,
    ...(panel.description !== undefined ? { description: panel.description } : {}),
    gridPos,
    datasource: DATASOURCE,
    targets: panel.targets.map((t, i) => ({
      refId: REF_IDS[i], datasource: DATASOURCE, expr: t.expr, ...(t.legend !== undefined ? { legendFormat: t.legend } : {}),
    })),
    fieldConfig: {
      defaults: {
        unit: panel.unit ?? 'short',
        ...(panel.min !== undefined ? { min: panel.min } : {}),
        ...(panel.max !== undefined ? { max: panel.max } : {}),
        thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, ...(panel.thresholds ?? []).map((s) => ({ color: s.color, value: s.value }))] },
        ...(panel.type === PanelType.TIMESERIES ? { custom: { thresholdsStyle: { mode: panel.thresholds?.length ? 'line' : 'off' } } } : {}),
      },
      overrides: [],
    },
    options: options[panel.type],
  };
}
