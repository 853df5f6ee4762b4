import { dev, ENVIRONMENTS, production, staging } from '../../environments';
import { KubeObject } from '../../lib';
import {
  CloudRolePurpose, consensusSnapshotBucketName, IRSA_ROLE_ARN_ANNOTATION, roleArn, roleName, SERVICE_ACCOUNTS, veleroBucketName,
} from '../../lib/cloud/names';
import { consensusSnapshotTarget, NAMESPACES, RESTORE_DRILL_CRON } from '../../stacks/platform';
import { renderEnvironment, RenderedEnvironment } from '../../stacks/render';
import { countOf, expectConformant, field, findAll, findObject, schemaRegistry } from '../util';

const rendered: Record<string, RenderedEnvironment> = Object.fromEntries(ENVIRONMENTS.map((e) => [e.name, renderEnvironment(e, schemaRegistry())]));
const objectsOf = (env: string, cluster?: string, component?: string): KubeObject[] => rendered[env].objects
  .filter((o) => (cluster === undefined || o.cluster === cluster) && (component === undefined || o.component === component))
  .map((o) => o.object);

describe('the seed platform, per environment and cluster', () => {
  test('every environment renders with no policy, API or schema error, and every object is conformant', () => {
    for (const env of ENVIRONMENTS) {
      expect(rendered[env.name].violations.filter((v) => v.severity === 'error')).toEqual([]);
      expectConformant(objectsOf(env.name));
    }
  });

  test('consensus members: 7 in the production primary, 5 in the other regions, 3 in staging, 1 in dev', () => {
    const replicas = (env: string, cluster: string) => field(findObject(objectsOf(env, cluster), 'StatefulSet', 'raft', 'consensus'), 'spec.replicas');
    expect([replicas('production', 'prod-use1'), replicas('production', 'prod-euw1'), replicas('production', 'prod-apse1')]).toEqual([7, 5, 5]);
    expect(replicas('staging', 'staging-use1')).toBe(3);
    expect(replicas('dev', 'dev-use1')).toBe(1);
    expect(field(findObject(objectsOf('production', 'prod-use1'), 'PodDisruptionBudget', 'raft', 'consensus'), 'spec.minAvailable')).toBe(4);
    expect(field(findObject(objectsOf('production', 'prod-euw1'), 'PodDisruptionBudget', 'raft', 'consensus'), 'spec.minAvailable')).toBe(3);
  });

  test('the API is spread 3:2:1 over production: HPA bounds per region, wired to that region\'s consensus', () => {
    const bounds = production.regions.map((r) => {
      const hpa = findObject(objectsOf('production', r.clusterName), 'HorizontalPodAutoscaler', 'api', 'api');
      return [r.clusterName, field(hpa, 'spec.minReplicas'), field(hpa, 'spec.maxReplicas')];
    });
    expect(bounds).toEqual([['prod-use1', 9, 150], ['prod-euw1', 6, 100], ['prod-apse1', 3, 50]]);
    const deployment = findObject(objectsOf('production', 'prod-euw1'), 'Deployment', 'api', 'api');
    expect(field(deployment, 'spec.replicas')).toBeUndefined();
    const env = (field(deployment, 'spec.template.spec.containers') as Array<{ env: Array<{ name: string; value: string }> }>)[0].env;
    expect(env).toContainEqual({ name: 'CONSENSUS_ENDPOINTS', value: 'https://raft.consensus.svc.cluster.local:2379' });
    expect(env).toContainEqual({ name: 'REGION', value: 'eu-west-1' });
  });

  test('the network agent runs with the seed tuning, and its namespace allows exactly what it needs', () => {
    const objects = objectsOf('production', 'prod-apse1');
    const ds = findObject(objects, 'DaemonSet', 'transport-agent', 'network-system');
    expect(field(ds, 'spec.template.spec.hostNetwork')).toBe(true);
    const init = (field(ds, 'spec.template.spec.initContainers') as Array<{ env?: unknown; command?: string[]; args?: string[] }>)[0];
    expect(JSON.stringify(init)).toContain('tcp_congestion_control');
    expect(JSON.stringify(init)).toContain('9000');
    expect(findObject(objects, 'Namespace', 'network-system').metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(findObject(objects, 'Namespace', 'api').metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('backups: the trio in production, each location in a bucket the cloud side creates', () => {
    const objects = objectsOf('production', 'prod-use1', 'backup');
    expect(findAll(objects, 'Schedule').map((s) => [s.metadata?.name, field(s, 'spec.schedule'), field(s, 'spec.template.ttl')])).toEqual([
      ['production-hourly', '0 * * * *', '168h0m0s'],
      ['production-daily', '0 2 * * *', '720h0m0s'],
      ['production-cross-region', '0 3 * * *', '2160h0m0s'],
    ]);
    expect(field(findObject(objects, 'BackupStorageLocation', 'primary', 'velero'), 'spec.objectStorage.bucket')).toBe(veleroBucketName('production', 'prod-use1'));
    const copy = findObject(objects, 'BackupStorageLocation', 'cross-region', 'velero');
    expect(field(copy, 'spec.objectStorage.bucket')).toBe(veleroBucketName('production', 'prod-euw1'));
    expect(field(copy, 'spec.config.region')).toBe('eu-west-1');
    expect(findAll(objectsOf('staging', 'staging-use1', 'backup'), 'Schedule').map((s) => s.metadata?.name)).toEqual(['staging-hourly', 'staging-daily']);
    expect(findAll(objectsOf('dev', 'dev-use1', 'backup'), 'Schedule').map((s) => s.metadata?.name)).toEqual(['dev-daily']);
  });

  describe('disaster recovery in production, as synthesized', () => {
    type Env = { name: string; value?: string };
    const podOf = (cronJob: KubeObject) => field(cronJob, 'spec.jobTemplate.spec.template.spec') as { serviceAccountName?: string; containers: Array<{ name: string; env?: Env[]; args?: string[] }>; initContainers?: Array<{ name: string; args?: string[] }> };

    test.each(production.regions.map((r) => [r.clusterName, r.name]))('%s: an hourly consensus snapshot to the bucket, as the role, the Pulumi side creates', (cluster, region) => {
      const objects = objectsOf('production', cluster, 'consensus');
      const cronJob = findObject(objects, 'CronJob', 'raft-snapshot', NAMESPACES.consensus);
      expect(field(cronJob, 'spec.schedule')).toBe('0 * * * *');
      const pod = podOf(cronJob);
      const env = Object.fromEntries((pod.containers.find((c) => c.name === 'upload')?.env ?? []).map((e) => [e.name, e.value]));
      expect(env).toEqual(expect.objectContaining({ SNAPSHOT_BUCKET: consensusSnapshotBucketName('production', cluster), SNAPSHOT_PREFIX: 'consensus/raft/', AWS_REGION: region }));
      expect(env.SNAPSHOT_BUCKET).toBe(`fleetcraft-production-${cluster}-consensus-snapshots`);
      expect(pod.serviceAccountName).toBe(SERVICE_ACCOUNTS.consensusSnapshots.name);
      const account = findObject(objects, 'ServiceAccount', SERVICE_ACCOUNTS.consensusSnapshots.name, SERVICE_ACCOUNTS.consensusSnapshots.namespace);
      expect(account.metadata?.annotations?.[IRSA_ROLE_ARN_ANNOTATION]).toBe(
        roleArn(production.awsAccountId, roleName('production', cluster, CloudRolePurpose.CONSENSUS_SNAPSHOTS)));
      expect(account.metadata?.annotations?.['eks.amazonaws.com/role-arn']).toBe(`arn:aws:iam::${production.awsAccountId}:role/fleetcraft-production-${cluster}-consensus-snapshots`);
      expect(consensusSnapshotTarget(production, production.regions.find((r) => r.clusterName === cluster) as typeof production.regions[number])).toEqual({
        bucket: env.SNAPSHOT_BUCKET, prefix: env.SNAPSHOT_PREFIX, serviceAccount: SERVICE_ACCOUNTS.consensusSnapshots,
        roleName: roleName('production', cluster, CloudRolePurpose.CONSENSUS_SNAPSHOTS),
      });
    });

    test.each(production.regions.map((r) => [r.clusterName, r.vpcCidr]))('%s: a monthly restore drill of the API namespace that waits for its pods to be Ready', (cluster, vpcCidr) => {
      const objects = objectsOf('production', cluster, 'backup');
      const drill = findObject(objects, 'CronJob', 'restore-drill', NAMESPACES.backupChecks);
      expect(field(drill, 'spec.schedule')).toBe(RESTORE_DRILL_CRON);
      expect(RESTORE_DRILL_CRON).toBe('0 6 1 * *');
      const restore = JSON.parse((findObject(objects, 'ConfigMap', 'restore-drill-restore', NAMESPACES.backupChecks).data as Record<string, string>)['restore.json']) as KubeObject;
      expect(restore.metadata?.namespace).toBe('velero');
      expect(restore.spec).toEqual(expect.objectContaining({
        scheduleName: 'production-daily', includedNamespaces: ['api'], namespaceMapping: { api: 'api-restore-drill' },
        resourceModifier: { kind: 'ConfigMap', name: 'restore-drill-modifiers' },
      }));
      expect((findObject(objects, 'ConfigMap', 'restore-drill-modifiers', 'velero').data as Record<string, string>)['modifiers.json']).toContain('deployments.apps');
      const steps = (podOf(drill).initContainers ?? []).map((c) => c.args ?? []);
      expect(steps).toContainEqual(['rollout', 'status', 'deployment/api', '--namespace', 'api-restore-drill', '--watch=true', '--timeout=3600s']);
      expect(field(findObject(objects, 'NetworkPolicy', 'restore-drill', NAMESPACES.backupChecks), 'spec.egress')).toEqual([
        { to: [{ ipBlock: { cidr: vpcCidr } }], ports: [{ protocol: 'TCP', port: 443 }] },
      ]);
    });

    test.each(production.regions.map((r) => [r.clusterName]))('%s: a daily check of the newest backup of every schedule', (cluster) => {
      const objects = objectsOf('production', cluster, 'backup');
      const check = findObject(objects, 'CronJob', 'backup-check', NAMESPACES.backupChecks);
      expect(field(check, 'spec.schedule')).toBe('0 7 * * *');
      const env = Object.fromEntries((podOf(check).containers[0].env ?? []).map((e) => [e.name, e.value]));
      expect(JSON.parse(env.BACKUP_CHECKS ?? '')).toEqual([
        { schedule: 'production-hourly', maxAgeSeconds: 3 * 3600 },
        { schedule: 'production-daily', maxAgeSeconds: 26 * 3600 },
        { schedule: 'production-cross-region', maxAgeSeconds: 26 * 3600 },
      ]);
      expect(field(findObject(objects, 'Role', 'backup-check', 'velero'), 'rules')).toEqual([{ apiGroups: ['velero.io'], resources: ['backups'], verbs: ['get', 'list'] }]);
      expect(findObject(objects, 'Namespace', NAMESPACES.backupChecks).metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    });

    test('consensusSnapshots and restoreDrills default to off: staging and dev have neither', () => {
      for (const [env, cluster] of [['staging', 'staging-use1'], ['dev', 'dev-use1']]) {
        expect(staging.backup.consensusSnapshots).toBeUndefined();
        expect(dev.backup.restoreDrills).toBeUndefined();
        expect(countOf(objectsOf(env, cluster), 'CronJob', 'raft-snapshot', 'consensus')).toBe(0);
        expect(countOf(objectsOf(env, cluster), 'CronJob', 'restore-drill', NAMESPACES.backupChecks)).toBe(0);
        expect(countOf(objectsOf(env, cluster), 'CronJob', 'backup-check', NAMESPACES.backupChecks)).toBe(0);
      }
      expect(consensusSnapshotTarget(dev, dev.regions[0])).toBeUndefined();
    });
  });

  test('no Velero location\'s folder holds another\'s: each bucket\'s own backups under velero/<cluster>, the copies under copies/<cluster>', () => {
    const locations = production.regions.flatMap((r) => findAll(objectsOf('production', r.clusterName, 'backup'), 'BackupStorageLocation')
      .map((l) => ({ cluster: r.clusterName, name: l.metadata?.name, ...(field(l, 'spec.objectStorage') as { bucket: string; prefix?: string }) })));
    expect(locations.filter((l) => l.name === 'primary').map((l) => [l.bucket, l.prefix])).toEqual(production.regions.map((r) => [veleroBucketName('production', r.clusterName), `velero/${r.clusterName}`]));
    expect(locations.filter((l) => l.name === 'cross-region').map((l) => l.prefix)).toEqual(production.regions.map((r) => `copies/${r.clusterName}`));
    for (const a of locations) {
      for (const b of locations) {
        // Velero marks a location Unavailable when its root holds a folder it did not write.
        const folder = (prefix?: string) => (prefix ? `${prefix}/` : '');
        if (a !== b && a.bucket === b.bucket) expect(folder(b.prefix).startsWith(folder(a.prefix))).toBe(false);
      }
    }
  });

  test('backups of the consensus namespace carry its consistent-snapshot hook', () => {
    const hourly = findObject(objectsOf('production', 'prod-use1', 'backup'), 'Schedule', 'production-hourly', 'velero');
    const hook = (field(hourly, 'spec.template.hooks.resources') as Array<{ includedNamespaces: string[]; pre: Array<{ exec: { container: string; command: string[] } }> }>)[0];
    expect(hook.includedNamespaces).toEqual(['consensus']);
    expect(hook.pre[0].exec.container).toBe('etcd');
    expect(hook.pre[0].exec.command).toEqual(expect.arrayContaining(['etcdctl', 'snapshot', 'save']));
  });

  test('monitoring: 20+ alerts in five groups, and PodMonitors for the consensus and network agent metrics', () => {
    const rule = findObject(objectsOf('staging', 'staging-use1', 'monitoring'), 'PrometheusRule', 'fleetcraft-alerts', 'monitoring');
    const groups = field(rule, 'spec.groups') as Array<{ name: string; rules: Array<{ alert: string }> }>;
    expect(groups.map((g) => g.name)).toEqual(['api', 'consensus', 'workloads', 'resources', 'network']);
    expect(groups.flatMap((g) => g.rules).length).toBeGreaterThanOrEqual(20);
    expect(groups.flatMap((g) => g.rules.map((r) => r.alert))).toEqual(expect.arrayContaining(['ApiHighErrorRate', 'ApiHighLatencyP99', 'PodCrashLooping', 'ConsensusQuorumLoss', 'ConsensusHighCommitLatency', 'ConsensusFrequentLeaderChanges', 'NodeMemoryPressure', 'NodeDiskPressure', 'NodeCpuSaturated']));
    expect(countOf(objectsOf('staging', 'staging-use1', 'monitoring'), 'PodMonitor', 'raft', 'consensus')).toBe(1);
    expect(countOf(objectsOf('staging', 'staging-use1', 'monitoring'), 'PodMonitor', 'transport-agent', 'network-system')).toBe(1);
  });

  test('the API\'s credentials come from an ExternalSecret over the regional ClusterSecretStore', () => {
    const objects = objectsOf('production', 'prod-apse1', 'secrets');
    expect(field(findObject(objects, 'ClusterSecretStore', 'aws-secrets-manager'), 'spec.provider.aws.region')).toBe('ap-southeast-1');
    expect(field(findObject(objects, 'ExternalSecret', 'api-credentials', 'api'), 'spec.secretStoreRef')).toEqual({ name: 'aws-secrets-manager', kind: 'ClusterSecretStore' });
    expect(findAll(objectsOf('production'), 'Secret')).toEqual([]);
  });

  test('each region\'s API is its consensus client by its real pod selector: the members admit it, its pods may call the members', () => {
    for (const r of production.regions) {
      const objects = objectsOf('production', r.clusterName);
      const api = findObject(objects, 'NetworkPolicy', 'api', 'api');
      const raft = findObject(objects, 'NetworkPolicy', 'raft', 'consensus');
      const members = field(raft, 'spec.podSelector');
      const clientRule = (field(raft, 'spec.ingress') as Array<{ from: unknown[]; ports: Array<{ port: number }> }>).find((i) => i.ports[0].port === 2379);
      expect(clientRule?.from).toContainEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'api' } }, podSelector: field(api, 'spec.podSelector') });
      expect(field(api, 'spec.egress')).toContainEqual({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'consensus' } }, podSelector: members }], ports: [{ protocol: 'TCP', port: 2379 }] });
    }
  });

  test('production\'s API is in the mesh: STRICT mTLS, authorization for the ingress gateway and the smoke test only, the specification\'s traffic policy, reached through the gateway', () => {
    for (const r of production.regions) {
      const objects = objectsOf('production', r.clusterName);
      expect(field(findObject(objects, 'PeerAuthentication', 'api', 'api'), 'spec.mtls.mode')).toBe('STRICT');
      expect(findObject(objects, 'PeerAuthentication', 'default', 'api').spec).toEqual({ mtls: { mode: 'STRICT' } });
      const authz = findObject(objects, 'AuthorizationPolicy', 'api', 'api');
      const rules = field(authz, 'spec.rules') as Array<{ from: Array<{ source: { principals?: string[] } }> }>;
      expect(rules.flatMap((rule) => rule.from.flatMap((f) => f.source.principals ?? []))).toEqual([
        'cluster.local/ns/istio-ingress/sa/istio-ingressgateway', 'cluster.local/ns/api/sa/api-smoke-test',
      ]);
      expect(field(findObject(objects, 'DestinationRule', 'api', 'api'), 'spec.trafficPolicy')).toMatchObject({
        connectionPool: { tcp: { maxConnections: 1000 } }, outlierDetection: { consecutive5xxErrors: 5, baseEjectionTime: '30s' },
        loadBalancer: { consistentHash: { httpHeaderName: 'x-user-id' } },
      });
      const host = `api.${r.name}.${production.domain}`;
      const ingress = findObject(objects, 'Ingress', 'api', 'istio-ingress');
      expect(field(ingress, 'spec.rules.0')).toEqual({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'istio-ingressgateway', port: { number: 80 } } } }] } });
      expect(field(findObject(objects, 'Gateway', 'api', 'istio-ingress'), 'spec.servers.0.hosts')).toEqual([host]);
      expect(field(findObject(objects, 'VirtualService', 'api', 'istio-ingress'), 'spec.http.0.route.0.destination')).toEqual({ host: 'api.api.svc.cluster.local', port: { number: 8080 } });
      expect(objects.filter((o) => o.kind === 'Ingress' && o.metadata?.namespace === 'api')).toEqual([]);
    }
    expect(objectsOf('dev', 'dev-use1').filter((o) => o.kind === 'PeerAuthentication')).toEqual([]);
  });

  test('Argo CD: an Application per cluster and component, waves from the component graph', () => {
    const argo = objectsOf('production', undefined, 'argocd');
    const wave = (component: string) => findObject(argo, 'Application', `production-prod-use1-${component}`).metadata?.annotations?.['argocd.argoproj.io/sync-wave'];
    expect(['addons', 'baseline', 'network', 'secrets', 'consensus', 'api', 'backup', 'monitoring'].map(wave)).toEqual(['0', '1', '2', '2', '3', '4', '4', '5']);
    expect(findAll(argo, 'Application')).toHaveLength(3 * 8 + 1);
    expect(findAll(objectsOf('dev', undefined, 'argocd'), 'Application')).toHaveLength(8 + 1);
  });

  test('the API presents the consensus client certificate: its Secret issued into the api namespace, mounted whole, with etcd\'s client variables', () => {
    const api = objectsOf('production', 'prod-euw1');
    const cert = findObject(api, 'Certificate', 'raft-client', 'api');
    expect(field(cert, 'spec.secretName')).toBe('raft-client-tls');
    expect(field(cert, 'spec.issuerRef')).toMatchObject({ name: 'consensus-ca', kind: 'ClusterIssuer' });
    const pod = field(findObject(api, 'Deployment', 'api', 'api'), 'spec.template.spec') as { volumes: unknown[]; containers: Array<{ env: Array<{ name: string; value: string }>; volumeMounts: unknown[] }> };
    expect(pod.volumes).toContainEqual({ name: 'secret-0', secret: { secretName: 'raft-client-tls' } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ mountPath: '/etc/consensus-client', name: 'secret-0', readOnly: true });
    expect(pod.containers[0].env).toEqual(expect.arrayContaining([
      { name: 'CONSENSUS_ENDPOINTS', value: 'https://raft.consensus.svc.cluster.local:2379' },
      { name: 'CONSENSUS_CERT', value: '/etc/consensus-client/tls.crt' },
    ]));
    expect(findObject(api, 'ClusterIssuer', 'consensus-ca')).toBeDefined();
  });

  test('tripwire: the objects of each environment, by cluster, component, kind and name', () => {
    const inventory = Object.fromEntries([dev, staging, production].map((e) => [e.name,
      rendered[e.name].objects.map((o) => `${o.cluster ?? '-'} ${o.component} ${o.object.kind} ${o.object.metadata?.namespace ?? '-'}/${o.object.metadata?.name}`).sort()]));
    expect(inventory).toMatchSnapshot();
  });
});

describe('consensus placement comes from the environment\'s node groups', () => {
  test('the members select the consensus group\'s labels and tolerate its taint', () => {
    const group = production.nodeGroups.find((g) => g.name === 'consensus');
    const pod = field(findObject(objectsOf('production', 'prod-use1'), 'StatefulSet', 'raft', 'consensus'), 'spec.template.spec') as Record<string, unknown>;
    expect(pod.nodeSelector).toEqual(group?.labels);
    expect(pod.tolerations).toContainEqual({ key: group?.taint?.key, operator: 'Equal', value: group?.taint?.value, effect: group?.taint?.effect });
  });

  test('an environment without a consensus node group is refused', () => {
    const env = { ...dev, nodeGroups: dev.nodeGroups.filter((g) => g.name !== 'consensus') };
    expect(() => renderEnvironment(env, schemaRegistry())).toThrow('environment "dev" has no "consensus" node group; the consensus members need their own nodes');
  });
});
