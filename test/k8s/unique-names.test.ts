/**
 * Instances with different names never emit objects with the same kind and name — NamespaceBaselines included,
 * whose objects carry the namespace's name — so cdk8s' file-per-resource output (`<Kind>.<name>.k8s.yaml`, which
 * drops the namespace) keeps every object and no namespace silently loses its default-deny policy.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Cron, YamlOutputType } from 'cdk8s';
import { AutoscaledService } from '../../lib/k8s/autoscaled-service';
import { BackupStorageLocation, VeleroSchedule, VolumeSnapshotLocation } from '../../lib/k8s/backup';
import { ConsensusStatefulSet } from '../../lib/k8s/consensus';
import { Dashboard, GrafanaDashboard, PanelType } from '../../lib/k8s/grafana-dashboard';
import { NamespaceBaseline } from '../../lib/k8s/namespace-baseline';
import { NetworkDaemonSet } from '../../lib/k8s/network-agent';
import { PodSecurityLevel } from '../../lib/policy/pod-security-level';

function build(app: App): Chart {
  const chart = new Chart(app, 'estate', { disableResourceNameHashes: true });
  for (const ns of ['payments', 'orders', 'search']) new NamespaceBaseline(chart, ns, { name: ns });
  new NamespaceBaseline(chart, 'net', { name: 'network-system', podSecurity: PodSecurityLevel.PRIVILEGED });
  for (const ns of ['payments', 'orders']) {
    new ConsensusStatefulSet(chart, `${ns}-raft`, { name: `${ns}-raft`, namespace: ns, image: 'quay.io/coreos/etcd:v3.5.21' });
    new AutoscaledService(chart, `${ns}-api`, { name: `${ns}-api`, namespace: ns, image: 'registry.example.com/api:1.4.2', port: 8080, minReplicas: 2, maxReplicas: 6 });
  }
  for (const n of ['agent-a', 'agent-b']) {
    new NetworkDaemonSet(chart, n, { name: n, namespace: 'network-system', image: 'registry.example.com/agent:1.0.0', ports: [{ name: 'health', number: 9879 }] });
  }
  for (const [n, region] of [['primary', 'us-east-1'], ['dr', 'eu-west-1']]) {
    new BackupStorageLocation(chart, n, { bucket: `backups-${region}`, region, default: n === 'primary' });
    new VolumeSnapshotLocation(chart, `${n}-ebs`, { region });
  }
  for (const n of ['hourly', 'daily']) new VeleroSchedule(chart, n, { schedule: Cron.daily(), includedNamespaces: ['payments'] });
  for (const uid of ['payments', 'orders']) {
    const dashboard = new Dashboard({ uid, title: uid, rows: [{ title: 'Traffic', panels: [{ title: 'Up', type: PanelType.STAT, targets: [{ expr: 'up' }] }] }] });
    new GrafanaDashboard(chart, `${uid}-dashboard`, { dashboard, namespace: 'payments' });
  }
  return chart;
}

test('every object of two or more instances of each construct gets its own file', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetcraft-names-'));
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
  const chart = build(app);
  const objects = chart.toJson() as Array<{ kind: string; metadata: { name: string; namespace?: string } }>;
  app.synth();
  const files = fs.readdirSync(outdir, { recursive: true }).map(String).filter((f) => f.endsWith('.k8s.yaml'));
  expect(files).toHaveLength(objects.length);
  const byKindAndName = new Map<string, string[]>();
  for (const o of objects) {
    const key = `${o.kind}.${o.metadata.name}`;
    byKindAndName.set(key, [...(byKindAndName.get(key) ?? []), o.metadata.namespace ?? '(cluster)']);
  }
  expect([...byKindAndName].filter(([, where]) => where.length > 1)).toEqual([]);
  expect(objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name.endsWith('-default-deny-all')).map((o) => o.metadata.namespace).sort())
    .toEqual(['network-system', 'orders', 'payments', 'search']);
});
