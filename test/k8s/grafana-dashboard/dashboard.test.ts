import { Dashboard, DashboardPanel, DashboardProps, GRAFANA_SCHEMA_VERSION, PanelType } from '../../../lib';

const stat = (overrides: Partial<DashboardPanel> = {}): DashboardPanel => ({ title: 'Up', type: PanelType.STAT, targets: [{ expr: 'up' }], ...overrides });
const dashboard = (overrides: Partial<DashboardProps> = {}) => new Dashboard({ uid: 'api', title: 'API', rows: [{ title: 'Traffic', panels: [stat()] }], ...overrides });
type PanelJson = { id: number; type: string; title: string; gridPos: { h: number; w: number; x: number; y: number }; description?: string;
  targets?: Array<{ refId: string; expr: string; legendFormat?: string; datasource: unknown }>;
  fieldConfig?: { defaults: { unit: string; min?: number; max?: number; thresholds: { mode: string; steps: Array<{ color: string; value: number | null }> } } };
  options?: Record<string, unknown> };
const panels = (d: Dashboard) => d.toJson().panels as unknown as PanelJson[];
const panel = (d: Dashboard, title: string): PanelJson => {
  const found = panels(d).filter((p) => p.title === title);
  if (found.length !== 1) throw new Error(`expected one panel "${title}", found ${found.length}`);
  return found[0];
};

describe('Dashboard', () => {
  describe('defaults', () => {
    const json = dashboard().toJson();

    test('tags default to none', () => {
      expect(json.tags).toEqual([]);
    });

    test('refresh defaults to 30s', () => {
      expect(json.refresh).toBe('30s');
    });

    test('timeRange defaults to the last 6 hours', () => {
      expect(json.time).toEqual({ from: 'now-6h', to: 'now' });
    });

    test('a panel\'s unit defaults to short, its thresholds to green only, min and max to the data, no description', () => {
      const p = panel(dashboard(), 'Up');
      expect(p.fieldConfig?.defaults).toEqual({ unit: 'short', thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }] } });
      expect(p.description).toBeUndefined();
    });

    test('a panel is 8 columns wide and 8 rows high', () => {
      expect(panel(dashboard(), 'Up').gridPos).toEqual({ h: 8, w: 8, x: 0, y: 1 });
    });

    test('a target\'s legend defaults to Grafana\'s (no legendFormat)', () => {
      expect(panel(dashboard(), 'Up').targets).toEqual([{ refId: 'A', expr: 'up', datasource: { type: 'prometheus', uid: '${datasource}' } }]);
    });
  });

  test('serialises to Grafana dashboard JSON: uid, title, schema version, UTC, a Prometheus data source variable', () => {
    const json = dashboard({ tags: ['fleetcraft'], refresh: '1m', timeRange: '24h' }).toJson();
    expect(json).toEqual(expect.objectContaining({
      uid: 'api', title: 'API', tags: ['fleetcraft'], schemaVersion: GRAFANA_SCHEMA_VERSION, timezone: 'utc', version: 1, editable: false, refresh: '1m',
      time: { from: 'now-24h', to: 'now' },
    }));
    expect(GRAFANA_SCHEMA_VERSION).toBe(39);
    expect(json.templating.list).toEqual([expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' })]);
  });

  test('rows become row panels; panels fill a line of 24 columns and wrap; ids are unique', () => {
    const d = dashboard({
      rows: [
        { title: 'First', panels: [stat({ title: 'A', width: 12 }), stat({ title: 'B', width: 12, height: 6 }), stat({ title: 'C', width: 24, height: 4 })] },
        { title: 'Second', panels: [stat({ title: 'D' })] },
      ],
    });
    expect(panel(d, 'First')).toEqual(expect.objectContaining({ type: 'row', gridPos: { h: 1, w: 24, x: 0, y: 0 } }));
    expect(panel(d, 'A').gridPos).toEqual({ h: 8, w: 12, x: 0, y: 1 });
    expect(panel(d, 'B').gridPos).toEqual({ h: 6, w: 12, x: 12, y: 1 });
    expect(panel(d, 'C').gridPos).toEqual({ h: 4, w: 24, x: 0, y: 9 });
    expect(panel(d, 'Second').gridPos).toEqual({ h: 1, w: 24, x: 0, y: 13 });
    expect(panel(d, 'D').gridPos).toEqual({ h: 8, w: 8, x: 0, y: 14 });
    const ids = panels(d).map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('a panel carries its type, targets with legends (A, B…), unit, thresholds, min, max and description', () => {
    const d = dashboard({ rows: [{ title: 'Latency', panels: [{
      title: 'p99', type: PanelType.GAUGE, unit: 's', min: 0, max: 2, description: 'The 99th percentile.',
      thresholds: [{ value: 0.5, color: 'orange' }, { value: 1, color: 'red' }],
      targets: [{ expr: 'a:p99', legend: 'p99' }, { expr: 'a:p95', legend: 'p95' }],
    }] }] });
    const p = panel(d, 'p99');
    expect(p.type).toBe('gauge');
    expect(p.description).toBe('The 99th percentile.');
    expect(p.targets?.map((t) => [t.refId, t.expr, t.legendFormat])).toEqual([['A', 'a:p99', 'p99'], ['B', 'a:p95', 'p95']]);
    expect(p.fieldConfig?.defaults).toEqual({
      unit: 's', min: 0, max: 2,
      thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: 0.5 }, { color: 'red', value: 1 }] },
    });
    expect(p.options).toEqual(expect.objectContaining({ showThresholdMarkers: true }));
  });

  test('each panel type gets its options: a legend for timeseries, the last value for stat and gauge', () => {
    const d = dashboard({ rows: [{ title: 'R', panels: [stat({ title: 'S' }), stat({ title: 'T', type: PanelType.TIMESERIES })] }] });
    expect(panel(d, 'S').options).toEqual(expect.objectContaining({ reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false } }));
    expect(panel(d, 'T').options).toEqual(expect.objectContaining({ legend: { displayMode: 'list', placement: 'bottom', showLegend: true } }));
  });

  test('expressions lists every target with its row and panel', () => {
    const d = dashboard({ rows: [{ title: 'R', panels: [stat({ title: 'S', targets: [{ expr: 'a' }, { expr: 'b' }] })] }] });
    expect(d.expressions).toEqual([{ row: 'R', panel: 'S', expr: 'a' }, { row: 'R', panel: 'S', expr: 'b' }]);
  });

  describe('refuses', () => {
    test.each([
      ['a uid Grafana refuses', { uid: 'api dashboard' }, 'Dashboard \'api dashboard\': uid ("api dashboard") must be 1 to 40 letters, digits, "-" or "_" (Grafana\'s limit); use e.g. "fleetcraft-api"'],
      ['a uid over 40 characters', { uid: 'a'.repeat(41) }, `uid ("${'a'.repeat(41)}") must be 1 to 40 letters`],
      ['an empty title', { title: ' ' }, 'Dashboard \'api\': title (" ") must not be empty; name what the dashboard shows'],
      ['no rows', { rows: [] }, 'Dashboard \'api\': rows ([]) must hold at least one row; add a row of panels'],
      ['a malformed refresh', { refresh: 'often' }, 'Dashboard \'api\': refresh ("often") must be a whole number and a unit (s, m, h, d, w); use e.g. "30s" or "6h"'],
      ['a malformed time range', { timeRange: '-1h' }, 'Dashboard \'api\': timeRange ("-1h") must be a whole number and a unit'],
      ['a row twice', { rows: [{ title: 'R', panels: [stat()] }, { title: 'R', panels: [stat()] }] }, 'Dashboard \'api\': row "R" appears twice; give each row its own title'],
      ['an empty row', { rows: [{ title: 'R', panels: [] }] }, 'Dashboard \'api\': row "R" has no panels; add one or remove the row'],
    ] as const)('%s', (_what, overrides, message) => {
      expect(() => dashboard(overrides as Partial<DashboardProps>)).toThrow(message);
    });

    const where = 'Dashboard \'api\': panel "Up" of row "Traffic"';
    test.each([
      ['a panel without targets', { targets: [] }, `${where}: targets (0) must hold 1 to 26 queries; split the panel or add a query`],
      ['more than 26 targets', { targets: Array.from({ length: 27 }, () => ({ expr: 'up' })) }, `${where}: targets (27) must hold 1 to 26 queries`],
      ['an empty expression', { targets: [{ expr: '' }] }, `${where}: a target's expr ("") is empty; give the PromQL it plots`],
      ['an unknown panel type', { type: 'piechart' }, `${where}: type ("piechart") is not a supported panel; use "timeseries", "stat", "gauge"`],
      ['a panel wider than the grid', { width: 25 }, `${where}: width (25) must be a whole number between 1 and 24; the grid is 24 columns wide`],
      ['a zero height', { height: 0 }, `${where}: height (0) must be a whole number between 1 and 40`],
      ['thresholds out of order', { thresholds: [{ value: 1, color: 'red' }, { value: 0.5, color: 'orange' }] }, `${where}: thresholds (1, 0.5) must ascend; list the steps from the lowest value up`],
      ['min not below max', { min: 1, max: 1 }, `${where}: min (1) must be below max (1); swap them or drop one`],
    ] as const)('%s', (_what, overrides, message) => {
      expect(() => dashboard({ rows: [{ title: 'Traffic', panels: [stat(overrides as Partial<DashboardPanel>)] }] })).toThrow(message);
    });

    test('an empty panel title', () => {
      expect(() => dashboard({ rows: [{ title: 'Traffic', panels: [stat({ title: '' })] }] })).toThrow('panel "" of row "Traffic": title ("") must not be empty; name what the panel shows');
    });
  });
});
