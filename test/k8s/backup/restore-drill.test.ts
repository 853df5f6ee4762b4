import { Cron, Duration } from 'cdk8s';
import {
  DEFAULT_RESTORE_DRILL_EXCLUDED_RESOURCES, DEFAULT_RESTORE_DRILL_WORKLOAD_EXCLUDED_RESOURCES, RestoreDrill, RestoreDrillProps, RestoreDrillWorkloadKind,
} from '../../../lib/k8s/backup';
import { VeleroSchedule } from '../../../lib/k8s/backup';
import { KubeObject } from '../../../lib/policy/objects';
import { expectConformant, field, findObject, synth, testChart } from '../../util';

const build = (props: Partial<RestoreDrillProps> = {}, scheduleNamespaces?: string[]) => {
  const chart = testChart();
  const schedule = new VeleroSchedule(chart, 'daily', { schedule: '0 2 * * *', includedNamespaces: scheduleNamespaces });
  const drill = new RestoreDrill(chart, 'drill', { schedule, sourceNamespace: 'consensus', ...props });
  return { drill, objects: synth(chart) };
};

const podSpec = (cronJob: KubeObject) => field(cronJob, 'spec.jobTemplate.spec.template.spec') as Record<string, unknown>;
type Container = { name: string; args: string[]; image: string; imagePullPolicy: string; securityContext: Record<string, unknown>; resources: unknown };
const containers = (cronJob: KubeObject): Container[] => {
  const spec = podSpec(cronJob);
  return [...(spec.initContainers as Container[]), ...(spec.containers as Container[])];
};
const restoreOf = (objects: KubeObject[], name = 'drill'): KubeObject =>
  JSON.parse((findObject(objects, 'ConfigMap', `${name}-restore`, 'velero').data as Record<string, string>)['restore.json']) as KubeObject;

describe('RestoreDrill', () => {
  describe('defaults', () => {
    const { drill, objects } = build();
    const cronJob = findObject(objects, 'CronJob', 'drill', 'velero');
    const restore = restoreOf(objects);

    test('name defaults to the construct id; everything lives in the schedule\'s namespace', () => {
      expect(drill.name).toBe('drill');
      for (const kind of ['CronJob', 'ServiceAccount', 'Role', 'RoleBinding']) expect(findObject(objects, kind, 'drill').metadata?.namespace).toBe('velero');
    });

    test('scratchNamespace defaults to <source>-restore-drill', () => {
      expect(drill.scratchNamespace).toBe('consensus-restore-drill');
    });

    test('the Restore: latest backup of the schedule, source namespace mapped to the scratch one, a valid Velero Restore', () => {
      expect(restore.metadata?.name).toBe('drill');
      expect(restore.spec).toEqual({
        scheduleName: 'daily',
        includedNamespaces: ['consensus'],
        namespaceMapping: { consensus: 'consensus-restore-drill' },
        excludedResources: [...DEFAULT_RESTORE_DRILL_EXCLUDED_RESOURCES],
        includeClusterResources: false,
        restorePVs: true,
        existingResourcePolicy: 'none',
      });
      expectConformant([restore]);
    });

    test('cron defaults to Mondays at 06:00; one drill at a time, failures kept', () => {
      expect(field(cronJob, 'spec.schedule')).toBe('0 6 * * 1');
      expect(field(cronJob, 'spec.concurrencyPolicy')).toBe('Forbid');
      expect(field(cronJob, 'spec.startingDeadlineSeconds')).toBe(1800);
      expect(field(cronJob, 'spec.failedJobsHistoryLimit')).toBe(3);
      expect(field(cronJob, 'spec.jobTemplate.spec.backoffLimit')).toBe(0);
    });

    test('steps: empty the scratch namespace, delete the last Restore, create it, wait for Completed (timeout 1h)', () => {
      expect(containers(cronJob).map((c) => [c.name, ...c.args])).toEqual([
        ['clean-scratch', 'delete', 'namespace', 'consensus-restore-drill', '--ignore-not-found', '--wait=true', '--timeout=15m'],
        ['clean-restore', 'delete', 'restores.velero.io', 'drill', '--namespace', 'velero', '--ignore-not-found', '--wait=true', '--timeout=5m'],
        ['create-restore', 'create', '--filename', '/etc/restore-drill/restore.json'],
        ['verify', 'wait', 'restores.velero.io/drill', '--namespace', 'velero', '--for=jsonpath={.status.phase}=Completed', '--timeout=3600s'],
      ]);
      expect(field(cronJob, 'spec.jobTemplate.spec.activeDeadlineSeconds')).toBe(3600 + 1800);
    });

    test('image defaults to the pinned kubectl image, pulled IfNotPresent', () => {
      for (const c of containers(cronJob)) {
        expect(c.image).toBe('registry.k8s.io/kubectl:v1.36.0');
        expect(c.imagePullPolicy).toBe('IfNotPresent');
      }
    });

    test('restricted security: non-root, read-only, no escalation, all capabilities dropped, RuntimeDefault seccomp, memory limit', () => {
      for (const c of containers(cronJob)) {
        expect(c.securityContext).toEqual(expect.objectContaining({
          runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] },
        }));
        expect(field(c, 'resources.limits.memory')).toBe('128Mi');
      }
      expect(field(podSpec(cronJob), 'securityContext.seccompProfile')).toEqual({ type: 'RuntimeDefault' });
      expect(field(podSpec(cronJob), 'securityContext.runAsNonRoot')).toBe(true);
    });

    test('the token is mounted only in the drill pod, and the opt-out is recorded', () => {
      expect(podSpec(cronJob).automountServiceAccountToken).toBe(true);
      expect(findObject(objects, 'ServiceAccount', 'drill').automountServiceAccountToken).toBe(false);
      expect(cronJob.metadata?.annotations?.['fleetcraft.io/security-opt-outs']).toBe(
        'automountServiceAccountToken: the drill creates and watches a Velero Restore through the Kubernetes API');
    });

    test('least privilege: Restores in Velero\'s namespace, and only the scratch namespace may be deleted', () => {
      expect(field(findObject(objects, 'Role', 'drill'), 'rules')).toEqual([
        { apiGroups: ['velero.io'], resources: ['restores'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
      ]);
      expect(field(findObject(objects, 'ClusterRole', 'velero-drill'), 'rules')).toEqual([
        { apiGroups: [''], resources: ['namespaces'], resourceNames: ['consensus-restore-drill'], verbs: ['get', 'list', 'watch', 'delete'] },
      ]);
      expect(field(findObject(objects, 'ClusterRoleBinding', 'velero-drill'), 'subjects')).toEqual([{ kind: 'ServiceAccount', name: 'drill', namespace: 'velero' }]);
      expect(field(findObject(objects, 'RoleBinding', 'drill'), 'roleRef')).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'drill' });
    });

    test('apiServerCidrs defaults to anywhere: the drill\'s NetworkPolicy allows no ingress, egress to TCP 443 only', () => {
      const policy = findObject(objects, 'NetworkPolicy', 'drill', 'velero');
      expect(field(policy, 'spec.policyTypes')).toEqual(['Ingress', 'Egress']);
      expect(field(policy, 'spec.ingress')).toBeUndefined();
      expect(field(policy, 'spec.egress')).toEqual([{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
      expect(field(policy, 'spec.podSelector.matchLabels')).toEqual(field(cronJob, 'spec.jobTemplate.spec.template.metadata.labels'));
      expect(drill.namespace).toBe('velero');
    });

    test('readyWorkloads defaults to none: no resource modifiers, no workload rights, the Restore alone decides', () => {
      expect(drill.resourceModifiers).toBeUndefined();
      expect(field(restore, 'spec.resourceModifier')).toBeUndefined();
      expect(objects.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata?.name)).toEqual(['drill-restore']);
    });

    test('no cdk8s hashed label on the pods; no part-of; metadata none beyond the opt-out', () => {
      expect(Object.keys(field(cronJob, 'spec.jobTemplate.spec.template.metadata.labels') as object)).not.toContain('cdk8s.io/metadata.addr');
      expect(cronJob.metadata?.labels?.['app.kubernetes.io/part-of']).toBeUndefined();
      expect(Object.keys(cronJob.metadata?.annotations ?? {})).toEqual(['fleetcraft.io/security-opt-outs']);
    });
  });

  test('overrides', () => {
    const { drill, objects } = build({
      name: 'api-drill', scratchNamespace: 'scratch', cron: Cron.schedule({ minute: '0', hour: '4', weekDay: '6' }),
      excludedResources: ['pods'], timeout: Duration.minutes(20), image: 'registry.k8s.io/kubectl:v1.35.2', partOf: 'shop',
      metadata: { annotations: { owner: 'core' } }, sourceNamespace: 'api',
    });
    const cronJob = findObject(objects, 'CronJob', 'api-drill');
    expect(drill.scratchNamespace).toBe('scratch');
    expect(field(cronJob, 'spec.schedule')).toBe('0 4 * * 6');
    expect(containers(cronJob).every((c) => c.image === 'registry.k8s.io/kubectl:v1.35.2')).toBe(true);
    expect(containers(cronJob)[3].args).toContain('--timeout=1200s');
    expect(cronJob.metadata?.annotations?.owner).toBe('core');
    expect(cronJob.metadata?.labels?.['app.kubernetes.io/part-of']).toBe('shop');
    const restore = restoreOf(objects, 'api-drill');
    expect(field(restore, 'spec.namespaceMapping')).toEqual({ api: 'scratch' });
    expect(field(restore, 'spec.excludedResources')).toEqual(['pods']);
  });

  describe('readyWorkloads: the restored pods must become Ready', () => {
    const { drill, objects } = build({
      sourceNamespace: 'api',
      readyWorkloads: [{ kind: RestoreDrillWorkloadKind.DEPLOYMENT, name: 'api' }, { kind: RestoreDrillWorkloadKind.STATEFUL_SET, name: 'cache' }],
    });
    const cronJob = findObject(objects, 'CronJob', 'drill', 'velero');
    const restore = restoreOf(objects);

    test('workloads are restored (only pods, ReplicaSets, Jobs, autoscalers, budgets and Ingresses left out), one replica each', () => {
      expect(field(restore, 'spec.excludedResources')).toEqual([...DEFAULT_RESTORE_DRILL_WORKLOAD_EXCLUDED_RESOURCES]);
      expect(field(restore, 'spec.resourceModifier')).toEqual({ kind: 'ConfigMap', name: 'drill-modifiers' });
      const modifiers = findObject(objects, 'ConfigMap', 'drill-modifiers', 'velero');
      expect(drill.resourceModifiers).toBeDefined();
      expect(Object.keys(modifiers.data as object)).toEqual(['modifiers.json']);
      expect(JSON.parse((modifiers.data as Record<string, string>)['modifiers.json'])).toEqual({
        version: 'v1',
        resourceModifierRules: [
          { conditions: { groupResource: 'deployments.apps', resourceNameRegex: '^api$' }, patches: [{ operation: 'replace', path: '/spec/replicas', value: '1' }] },
          { conditions: { groupResource: 'statefulsets.apps', resourceNameRegex: '^cache$' }, patches: [{ operation: 'replace', path: '/spec/replicas', value: '1' }] },
        ],
      });
      expectConformant([restore]);
    });

    test('steps: after the Restore completes, wait for each workload to be rolled out and Ready, then scale them to zero', () => {
      expect(containers(cronJob).map((c) => [c.name, ...c.args])).toEqual([
        ['clean-scratch', 'delete', 'namespace', 'api-restore-drill', '--ignore-not-found', '--wait=true', '--timeout=15m'],
        ['clean-restore', 'delete', 'restores.velero.io', 'drill', '--namespace', 'velero', '--ignore-not-found', '--wait=true', '--timeout=5m'],
        ['create-restore', 'create', '--filename', '/etc/restore-drill/restore.json'],
        ['verify', 'wait', 'restores.velero.io/drill', '--namespace', 'velero', '--for=jsonpath={.status.phase}=Completed', '--timeout=3600s'],
        ['ready-0', 'rollout', 'status', 'deployment/api', '--namespace', 'api-restore-drill', '--watch=true', '--timeout=3600s'],
        ['ready-1', 'rollout', 'status', 'statefulset/cache', '--namespace', 'api-restore-drill', '--watch=true', '--timeout=3600s'],
        ['park', 'scale', 'deployment/api', 'statefulset/cache', '--namespace', 'api-restore-drill', '--replicas=0'],
      ]);
      expect(field(cronJob, 'spec.jobTemplate.spec.activeDeadlineSeconds')).toBe(3 * 3600 + 1800);
      for (const c of containers(cronJob)) expect(c.securityContext).toEqual(expect.objectContaining({ capabilities: { drop: ['ALL'] } }));
    });

    test('rights on those workloads by name only: follow them and scale them', () => {
      expect(field(findObject(objects, 'ClusterRole', 'velero-drill'), 'rules')).toEqual([
        { apiGroups: [''], resources: ['namespaces'], resourceNames: ['api-restore-drill'], verbs: ['get', 'list', 'watch', 'delete'] },
        { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['api'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['apps'], resources: ['deployments/scale'], resourceNames: ['api'], verbs: ['get', 'patch', 'update'] },
        { apiGroups: ['apps'], resources: ['statefulsets'], resourceNames: ['cache'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['apps'], resources: ['statefulsets/scale'], resourceNames: ['cache'], verbs: ['get', 'patch', 'update'] },
      ]);
    });

    test('every object passes the upstream schemas', () => {
      expectConformant(objects);
    });

    test('refuses a workload that excludedResources keeps out', () => {
      expect(() => build({ sourceNamespace: 'api', readyWorkloads: [{ kind: RestoreDrillWorkloadKind.DEPLOYMENT, name: 'api' }] })).not.toThrow();
      expect(() => build({ readyWorkloads: [{ kind: RestoreDrillWorkloadKind.DEPLOYMENT, name: 'api' }] , excludedResources: ['deployments.apps'] })).toThrow(
        'RestoreDrill \'drill\': readyWorkloads[0] ("Deployment/api") is a deployments.apps resource, which excludedResources keeps from being restored, so its pods could never become Ready; remove "deployments.apps" from excludedResources, or the workload from readyWorkloads');
    });

    test('refuses an unknown kind before anything is read', () => {
      expect(() => build({ readyWorkloads: [{ kind: 'DaemonSet' as RestoreDrillWorkloadKind, name: 'agent' }] })).toThrow(/readyWorkloads\[0\]\.kind/);
    });
  });

  test('namespace: the Job, its account, manifest and NetworkPolicy run elsewhere; the Role and the Restore stay in Velero\'s namespace', () => {
    const { drill, objects } = build({ namespace: 'checks', apiServerCidrs: ['10.10.0.0/16'] });
    expect(drill.namespace).toBe('checks');
    for (const kind of ['CronJob', 'ServiceAccount', 'NetworkPolicy']) expect(findObject(objects, kind, 'drill').metadata?.namespace).toBe('checks');
    expect(findObject(objects, 'ConfigMap', 'drill-restore').metadata?.namespace).toBe('checks');
    const restore = JSON.parse((findObject(objects, 'ConfigMap', 'drill-restore', 'checks').data as Record<string, string>)['restore.json']) as KubeObject;
    expect(restore.metadata?.namespace).toBe('velero');
    expect(findObject(objects, 'Role', 'drill').metadata?.namespace).toBe('velero');
    expect(field(findObject(objects, 'RoleBinding', 'drill', 'velero'), 'subjects')).toEqual([{ kind: 'ServiceAccount', name: 'drill', namespace: 'checks' }]);
    expect(field(findObject(objects, 'ClusterRoleBinding', 'checks-drill'), 'subjects')).toEqual([{ kind: 'ServiceAccount', name: 'drill', namespace: 'checks' }]);
    expect(field(findObject(objects, 'NetworkPolicy', 'drill', 'checks'), 'spec.egress')).toEqual([{ to: [{ ipBlock: { cidr: '10.10.0.0/16' } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
    expectConformant(objects);
    expect(() => build({ namespace: 'Checks' })).toThrow(
      'RestoreDrill \'drill\': namespace ("Checks") must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit; use a namespace name (a DNS-1123 label)');
    expect(() => build({ apiServerCidrs: [] })).toThrow(
      'RestoreDrill \'drill\': apiServerCidrs ("[]") is empty, so the drill could not reach the API server; omit it (anywhere) or give the API endpoint\'s range, e.g. the VPC CIDR');
  });

  test('a string cron and a descriptor', () => {
    expect(field(findObject(build({ cron: '30 5 * * 0' }).objects, 'CronJob', 'drill'), 'spec.schedule')).toBe('30 5 * * 0');
    expect(field(findObject(build({ cron: '@weekly' }).objects, 'CronJob', 'drill'), 'spec.schedule')).toBe('0 0 * * 0');
  });

  test('an image pinned by digest', () => {
    const image = `registry.k8s.io/kubectl@sha256:${'a'.repeat(64)}`;
    expect(containers(findObject(build({ image }).objects, 'CronJob', 'drill'))[0].image).toBe(image);
  });

  describe('refuses', () => {
    test('a scratch namespace equal to the source', () => {
      expect(() => build({ scratchNamespace: 'consensus' })).toThrow(
        'RestoreDrill \'drill\': scratchNamespace ("consensus") is the source namespace; the drill would overwrite the live objects; omit it (default "<source>-restore-drill") or use another namespace');
    });

    test('a source namespace the schedule does not back up', () => {
      expect(() => build({}, ['api'])).toThrow(
        'RestoreDrill \'drill\': sourceNamespace ("consensus") is not backed up by schedule "daily"; pick a namespace the schedule backs up, or another schedule');
    });

    test('an invalid namespace name', () => {
      expect(() => build({ sourceNamespace: 'Consensus' })).toThrow(
        'RestoreDrill \'drill\': sourceNamespace ("Consensus") must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit; use a namespace name (a DNS-1123 label)');
      expect(() => build({ scratchNamespace: 'x'.repeat(64) })).toThrow(
        `RestoreDrill 'drill': scratchNamespace ("${'x'.repeat(64)}") must be at most 63 characters (got 64); use a namespace name (a DNS-1123 label)`);
    });

    test('an invalid cron expression', () => {
      expect(() => build({ cron: '0 6 * * 8' })).toThrow(
        'RestoreDrill \'drill\': cron ("0 6 * * 8") has day-of-week 8 out of range 0-6; use a day-of-week between 0 and 6');
    });

    test.each(['registry.k8s.io/kubectl', 'registry.k8s.io/kubectl:latest', 'localhost:5000/kubectl'])('an unpinned image %s', (image) => {
      expect(() => build({ image })).toThrow(
        `RestoreDrill 'drill': image ("${image}") is not pinned to a tag or digest (or is :latest); use e.g. "registry.k8s.io/kubectl:v1.36.0"`);
    });

    test('a timeout under a minute', () => {
      expect(() => build({ timeout: Duration.seconds(30) })).toThrow(
        'RestoreDrill \'drill\': timeout ("30s") is under a minute, too short for any restore; use e.g. Duration.hours(1)');
    });
  });
});
