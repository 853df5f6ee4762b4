import { EventEmitter } from 'events';
import * as vm from 'vm';
import { Cron, Duration } from 'cdk8s';
import { BACKUP_CHECK_SCRIPT, BackupCheck, BackupCheckProps, VeleroSchedule } from '../../../lib/k8s/backup';
import { KubeObject } from '../../../lib/policy/objects';
import { expectConformant, field, findObject, synth, testChart } from '../../util';

const build = (props: Partial<BackupCheckProps> = {}) => {
  const chart = testChart();
  const hourly = new VeleroSchedule(chart, 'hourly', { schedule: '0 * * * *' });
  const daily = new VeleroSchedule(chart, 'daily', { schedule: '0 2 * * *' });
  const check = new BackupCheck(chart, 'check', { schedules: [hourly, daily], ...props });
  return { check, objects: synth(chart) };
};

type Container = { name: string; image: string; imagePullPolicy: string; command: string[]; env: Array<{ name: string; value: string }>; securityContext: Record<string, unknown>; resources: unknown };
const podSpec = (cronJob: KubeObject) => field(cronJob, 'spec.jobTemplate.spec.template.spec') as Record<string, unknown>;
const container = (cronJob: KubeObject): Container => (podSpec(cronJob).containers as Container[])[0];
const envOf = (cronJob: KubeObject, name: string): string | undefined => container(cronJob).env.find((e) => e.name === name)?.value;

describe('BackupCheck', () => {
  describe('defaults', () => {
    const { check, objects } = build();
    const cronJob = findObject(objects, 'CronJob', 'check', 'velero');

    test('every object passes the upstream schemas', () => {
      expectConformant(objects);
    });

    test('name defaults to the construct id; namespace to the schedules\' one', () => {
      expect(check.name).toBe('check');
      expect(check.namespace).toBe('velero');
      for (const kind of ['CronJob', 'ServiceAccount', 'Role', 'RoleBinding', 'NetworkPolicy']) expect(findObject(objects, kind, 'check').metadata?.namespace).toBe('velero');
    });

    test('cron defaults to daily at 07:00; one run at a time, failures kept', () => {
      expect(field(cronJob, 'spec.schedule')).toBe('0 7 * * *');
      expect(field(cronJob, 'spec.concurrencyPolicy')).toBe('Forbid');
      expect(field(cronJob, 'spec.failedJobsHistoryLimit')).toBe(3);
    });

    test('grace defaults to 2 hours on top of each schedule\'s longest interval', () => {
      expect(check.maxAgeSeconds).toEqual({ hourly: 3600 + 7200, daily: 86400 + 7200 });
      expect(JSON.parse(envOf(cronJob, 'BACKUP_CHECKS') ?? '')).toEqual([
        { schedule: 'hourly', maxAgeSeconds: 10800 }, { schedule: 'daily', maxAgeSeconds: 93600 },
      ]);
      expect(envOf(cronJob, 'VELERO_NAMESPACE')).toBe('velero');
    });

    test('image defaults to a pinned Node.js image running the script from the ConfigMap', () => {
      expect(container(cronJob).image).toBe('node:22.12.0-alpine3.20');
      expect(container(cronJob).imagePullPolicy).toBe('IfNotPresent');
      expect(container(cronJob).command).toEqual(['node', '/etc/backup-check/check.js']);
      expect(findObject(objects, 'ConfigMap', 'check-script', 'velero').data).toEqual({ 'check.js': BACKUP_CHECK_SCRIPT });
    });

    test('restricted security and bounded resources', () => {
      expect(container(cronJob).securityContext).toEqual(expect.objectContaining({
        runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] },
      }));
      expect(field(container(cronJob), 'resources')).toEqual({ requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '128Mi' } });
      expect(field(podSpec(cronJob), 'securityContext.seccompProfile')).toEqual({ type: 'RuntimeDefault' });
      expect(podSpec(cronJob).automountServiceAccountToken).toBe(true);
      expect(findObject(objects, 'ServiceAccount', 'check').automountServiceAccountToken).toBe(false);
      expect(cronJob.metadata?.annotations?.['fleetcraft.io/security-opt-outs']).toBe(
        'automountServiceAccountToken: the check lists Velero Backups through the Kubernetes API');
    });

    test('least privilege: get and list Backups in Velero\'s namespace, nothing else', () => {
      expect(field(findObject(objects, 'Role', 'check', 'velero'), 'rules')).toEqual([{ apiGroups: ['velero.io'], resources: ['backups'], verbs: ['get', 'list'] }]);
      expect(field(findObject(objects, 'RoleBinding', 'check', 'velero'), 'subjects')).toEqual([{ kind: 'ServiceAccount', name: 'check', namespace: 'velero' }]);
      expect(objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([]);
    });

    test('apiServerCidrs defaults to anywhere: the NetworkPolicy allows no ingress and egress to TCP 443 only', () => {
      const policy = findObject(objects, 'NetworkPolicy', 'check', 'velero');
      expect(field(policy, 'spec.policyTypes')).toEqual(['Ingress', 'Egress']);
      expect(field(policy, 'spec.ingress')).toBeUndefined();
      expect(field(policy, 'spec.egress')).toEqual([{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
      expect(field(policy, 'spec.podSelector.matchLabels')).toEqual(field(cronJob, 'spec.jobTemplate.spec.template.metadata.labels'));
    });

    test('partOf and metadata default to none', () => {
      expect(cronJob.metadata?.labels?.['app.kubernetes.io/part-of']).toBeUndefined();
      expect(Object.keys(cronJob.metadata?.annotations ?? {})).toEqual(['fleetcraft.io/security-opt-outs']);
    });
  });

  test('overrides', () => {
    const { check, objects } = build({
      name: 'fresh', namespace: 'checks', cron: Cron.schedule({ minute: '30', hour: '8' }), grace: Duration.minutes(30),
      image: 'node:22.12.0-alpine3.21', apiServerCidrs: ['10.10.0.0/16'], partOf: 'shop', metadata: { annotations: { owner: 'core' } },
    });
    const cronJob = findObject(objects, 'CronJob', 'fresh', 'checks');
    expect(check.maxAgeSeconds).toEqual({ hourly: 5400, daily: 88200 });
    expect(field(cronJob, 'spec.schedule')).toBe('30 8 * * *');
    expect(container(cronJob).image).toBe('node:22.12.0-alpine3.21');
    expect(cronJob.metadata?.labels?.['app.kubernetes.io/part-of']).toBe('shop');
    expect(cronJob.metadata?.annotations?.owner).toBe('core');
    expect(field(findObject(objects, 'NetworkPolicy', 'fresh', 'checks'), 'spec.egress')).toEqual([{ to: [{ ipBlock: { cidr: '10.10.0.0/16' } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
    // The Role stays where the Backups are; its subject is the service account in the check's namespace.
    expect(field(findObject(objects, 'RoleBinding', 'fresh', 'velero'), 'subjects')).toEqual([{ kind: 'ServiceAccount', name: 'fresh', namespace: 'checks' }]);
    expect(envOf(cronJob, 'VELERO_NAMESPACE')).toBe('velero');
    expectConformant(objects);
  });

  describe('refuses', () => {
    test('no schedules', () => {
      expect(() => build({ schedules: [] })).toThrow('BackupCheck \'check\': schedules ("[]") is empty, so nothing would be checked; pass the schedules whose backups must be fresh, e.g. policy.schedules');
    });

    test('schedules in two namespaces', () => {
      const chart = testChart();
      const a = new VeleroSchedule(chart, 'a', { schedule: '0 2 * * *' });
      const b = new VeleroSchedule(chart, 'b', { schedule: '0 3 * * *', namespace: 'velero-two' });
      expect(() => new BackupCheck(chart, 'check', { schedules: [a, b] })).toThrow(
        'BackupCheck \'check\': schedules ("velero-two/b") is in another namespace than velero/a; the check reads Backups in one Velero namespace; use one BackupCheck per Velero namespace');
    });

    test('the same schedule twice', () => {
      const chart = testChart();
      const a = new VeleroSchedule(chart, 'a', { schedule: '0 2 * * *' });
      expect(() => new BackupCheck(chart, 'check', { schedules: [a, a] })).toThrow('BackupCheck \'check\': schedules ("a") is listed twice; list each schedule once');
    });

    test.each(['node', 'node:latest'])('an unpinned image %s', (image) => {
      expect(() => build({ image })).toThrow(`BackupCheck 'check': image ("${image}") is not pinned to a tag or digest (or is :latest); use e.g. "node:22.12.0-alpine3.20"`);
    });

    test('a bad cron, a negative grace, a bad CIDR', () => {
      expect(() => build({ cron: '0 7 * * 9' })).toThrow('BackupCheck \'check\': cron ("0 7 * * 9") has day-of-week 9 out of range 0-6; use a day-of-week between 0 and 6');
      expect(() => build({ grace: Duration.millis(1500) })).toThrow('BackupCheck \'check\': grace in ms (1500) must be a whole number of seconds; use e.g. Duration.hours(2)');
      expect(() => build({ apiServerCidrs: ['10.0.0.0'] })).toThrow('BackupCheck \'check\': apiServerCidrs ("10.0.0.0") is not a CIDR block; use e.g. "10.10.0.0/16"');
      expect(() => build({ apiServerCidrs: [] })).toThrow('BackupCheck \'check\': apiServerCidrs ("[]") is empty, so the check could not reach the API server; omit it (anywhere) or give the API endpoint\'s range, e.g. the VPC CIDR');
      expect(() => build({ namespace: 'Checks' })).toThrow(/BackupCheck 'check': namespace \("Checks"\)/);
    });
  });
});

/** Runs the check script against a fake API server holding `backups`; returns its exit code, its output and the paths it read. */
async function runScript(backups: object[], checks: Array<{ schedule: string; maxAgeSeconds: number }>, status = 200): Promise<{ exitCode: unknown; lines: string[]; paths: string[] }> {
  const lines: string[] = [];
  const paths: string[] = [];
  const https = {
    request: (options: { path: string; headers: Record<string, string> }, onResponse: (res: EventEmitter) => void) => {
      paths.push(options.path);
      const req = Object.assign(new EventEmitter(), {
        end: () => {
          const selector = decodeURIComponent(options.path.split('labelSelector=')[1] ?? '');
          const schedule = selector.replace('velero.io/schedule-name=', '');
          const items = backups.filter((b) => (b as { metadata: { labels: Record<string, string> } }).metadata.labels['velero.io/schedule-name'] === schedule);
          const res = Object.assign(new EventEmitter(), { statusCode: status, setEncoding: () => undefined });
          onResponse(res);
          res.emit('data', status === 200 ? JSON.stringify({ items }) : 'forbidden');
          res.emit('end');
        },
        destroy: (error: Error) => req.emit('error', error),
      });
      expect(options.headers.Authorization).toBe('Bearer token');
      return req;
    },
  };
  const fs = { readFileSync: (file: string) => (file.endsWith('/token') ? 'token\n' : 'ca') };
  const proc: { env: Record<string, string>; exitCode?: number } = {
    env: { BACKUP_CHECKS: JSON.stringify(checks), VELERO_NAMESPACE: 'velero', KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' },
  };
  const done = vm.runInNewContext(BACKUP_CHECK_SCRIPT, {
    require: (name: string) => ({ fs, https } as Record<string, unknown>)[name],
    process: proc,
    console: { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) },
  }) as Promise<void>;
  await done;
  return { exitCode: proc.exitCode, lines, paths };
}

const HOUR = 3600_000;
const backup = (name: string, schedule: string, hoursAgo: number, status: Record<string, unknown>) => ({
  metadata: { name, labels: { 'velero.io/schedule-name': schedule }, creationTimestamp: new Date(Date.now() - hoursAgo * HOUR).toISOString() },
  status: { completionTimestamp: new Date(Date.now() - (hoursAgo - 0.5) * HOUR).toISOString(), ...status },
});

describe('the backup check script', () => {
  const daily = { schedule: 'daily', maxAgeSeconds: 26 * 3600 };

  test('passes when the newest finished backup completed without errors, in time; an in-progress newer one is ignored', async () => {
    const run = await runScript([
      backup('daily-1', 'daily', 30, { phase: 'Failed' }),
      backup('daily-2', 'daily', 6, { phase: 'Completed', errors: 0, warnings: 3 }),
      backup('daily-3', 'daily', 0.1, { phase: 'InProgress', completionTimestamp: undefined }),
    ], [daily]);
    expect(run).toEqual({ exitCode: 0, lines: ['OK daily'], paths: ['/apis/velero.io/v1/namespaces/velero/backups?labelSelector=velero.io%2Fschedule-name%3Ddaily'] });
  });

  test('fails when the newest finished backup is not Completed', async () => {
    const run = await runScript([backup('daily-1', 'daily', 30, { phase: 'Completed' }), backup('daily-2', 'daily', 6, { phase: 'PartiallyFailed' })], [daily]);
    expect(run.exitCode).toBe(1);
    expect(run.lines).toEqual(['FAIL daily: newest backup daily-2 is PartiallyFailed, not Completed (velero backup describe daily-2 --details)']);
  });

  test('fails when it has errors', async () => {
    const run = await runScript([backup('daily-2', 'daily', 6, { phase: 'Completed', errors: 2 })], [daily]);
    expect(run.exitCode).toBe(1);
    expect(run.lines).toEqual(['FAIL daily: newest backup daily-2 completed with 2 error(s) (velero backup logs daily-2)']);
  });

  test('fails when it is older than the schedule allows', async () => {
    const run = await runScript([backup('daily-2', 'daily', 40, { phase: 'Completed' })], [daily]);
    expect(run.exitCode).toBe(1);
    expect(run.lines[0]).toMatch(/^FAIL daily: newest completed backup daily-2 finished 1422\d\d s ago, more than the 93600 s schedule daily allows$/);
  });

  test('fails when there is no finished backup, or the API refuses; checks every schedule', async () => {
    const hourly = { schedule: 'hourly', maxAgeSeconds: 3 * 3600 };
    const run = await runScript([backup('hourly-1', 'hourly', 1, { phase: 'Completed' })], [daily, hourly]);
    expect(run).toEqual(expect.objectContaining({ exitCode: 1, lines: ['FAIL daily: no finished backup of schedule daily', 'OK hourly'] }));
    const refused = await runScript([], [daily], 403);
    expect(refused.lines).toEqual(['FAIL daily: GET /apis/velero.io/v1/namespaces/velero/backups?labelSelector=velero.io%2Fschedule-name%3Ddaily: HTTP 403 forbidden']);
    expect(refused.exitCode).toBe(1);
  });
});
