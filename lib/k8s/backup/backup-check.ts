import { ApiObject, ApiObjectMetadata, Cron, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { OPT_OUTS_ANNOTATION } from '../../policy/pod-security-level';
import { enablePolicyChecks } from '../../policy/app-checks';
import { standardLabels } from '../../private/labels';
import { apiServerEgress, DEFAULT_API_SERVER_CIDRS } from '../../private/network-policy';
import { DURATION, guardProps, METADATA, PropShape, shape } from '../../private/prop-guard';
import { applyCapabilities, applyRuntimeDefaultSeccomp, restrictedContainerSecurity, restrictedPodSecurity } from '../../private/security';
import { CRON_DESCRIPTORS, parseCron } from './cron';
import { CRON_OR_EXPRESSION, IMAGE, NAME, PART_OF } from './props-shape';
import { BACKUP_CHECK, DEFAULT_BACKUP_CHECK_IMAGE, validateBackupCheck } from './rules';
import { VeleroSchedule } from './velero-schedule';

export { DEFAULT_BACKUP_CHECK_IMAGE } from './rules';

/** Props for {@link BackupCheck}. */
export interface BackupCheckProps {
  /** The schedules whose newest backup is checked (all in one Velero namespace). */
  readonly schedules: readonly VeleroSchedule[];
  /**
   * Name of the CronJob, its ServiceAccount, Role, ConfigMap and NetworkPolicy.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of the CronJob, its ServiceAccount, ConfigMap and NetworkPolicy (the Role that reads Backups is in the
   * schedules' namespace). Give it a namespace with a default-deny NetworkPolicy, not Velero's own.
   * @default - the schedules' namespace
   */
  readonly namespace?: string;
  /**
   * When the check runs (cdk8s `Cron` or a five-field expression).
   * @default '0 7 * * *' - daily at 07:00
   */
  readonly cron?: Cron | string;
  /**
   * How much older than its schedule's longest interval a newest backup may be (the time a backup takes to run).
   * @default Duration.hours(2)
   */
  readonly grace?: Duration;
  /**
   * The image the check script runs in (Node.js 18 or later, pinned by tag or digest).
   * @default 'node:22.12.0-alpine3.20'
   */
  readonly image?: string;
  /**
   * CIDR blocks the NetworkPolicy lets the pod reach the API server in, on TCP 443.
   * @default ['0.0.0.0/0', '::/0']
   */
  readonly apiServerCidrs?: readonly string[];
  /**
   * The `app.kubernetes.io/part-of` label.
   * @default - no part-of label
   */
  readonly partOf?: string;
  /**
   * Extra labels and annotations for the CronJob (merged; fleetcraft's labels win).
   * @default - none
   */
  readonly metadata?: ApiObjectMetadata;
}

const SCHEDULE = shape.value('VeleroSchedule', ['name', 'namespace', 'longestInterval'], 'new VeleroSchedule(scope, \'Daily\', { schedule: \'0 2 * * *\' })');

/** The runtime shape of {@link BackupCheckProps}, checked before any prop is read. */
export const BACKUP_CHECK_PROP_SHAPES = {
  schedules: shape.required(shape.list(SCHEDULE, 50)),
  name: NAME,
  namespace: NAME,
  cron: CRON_OR_EXPRESSION,
  grace: DURATION,
  image: IMAGE,
  apiServerCidrs: shape.list(shape.string({ maxLength: 64 }), 20),
  partOf: PART_OF,
  metadata: METADATA,
} satisfies { readonly [K in keyof Required<BackupCheckProps>]: PropShape };

/**
 * The check, run by `node` with no dependencies. `BACKUP_CHECKS` lists `{ schedule, maxAgeSeconds }`; for each
 * schedule it lists the Backups labelled `velero.io/schedule-name=<schedule>` in `VELERO_NAMESPACE` through the API
 * server (the pod's service-account token and CA), takes the newest one that is no longer running, and reports a
 * problem unless its phase is `Completed`, it has no errors, and it finished at most `maxAgeSeconds` ago. Prints one
 * line per schedule; exits 1 when any schedule has a problem. The value of its last statement is the run's promise.
 */
export const BACKUP_CHECK_SCRIPT = `'use strict';
const fs = require('fs');
const https = require('https');
const SA = '/var/run/secrets/kubernetes.io/serviceaccount';
const RUNNING = ['New', 'InProgress', 'WaitingForPluginOperations', 'WaitingForPluginOperationsPartiallyFailed', 'Finalizing', 'FinalizingPartiallyFailed', 'Deleting'];

function get(path) {
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT, path, method: 'GET', timeout: 30000,
      ca: fs.readFileSync(SA + '/ca.crt'),
      headers: { Authorization: 'Bearer ' + fs.readFileSync(SA + '/token', 'utf8').trim(), Accept: 'application/json' },
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => {
        if (res.statusCode === 200) resolve(JSON.parse(body));
        else reject(new Error('GET ' + path + ': HTTP ' + res.statusCode + ' ' + body.slice(0, 300)));
      });
    });
    req.on('timeout', () => req.destroy(new Error('GET ' + path + ': no answer in 30 s')));
    req.on('error', reject);
    req.end();
  });
}

function problem(check, backups, now) {
  const done = backups.filter((b) => !RUNNING.includes((b.status || {}).phase || 'New'))
    .sort((a, b) => Date.parse(b.metadata.creationTimestamp) - Date.parse(a.metadata.creationTimestamp));
  if (done.length === 0) return 'no finished backup of schedule ' + check.schedule;
  const b = done[0];
  const status = b.status || {};
  const name = b.metadata.name;
  if (status.phase !== 'Completed') return 'newest backup ' + name + ' is ' + status.phase + ', not Completed (velero backup describe ' + name + ' --details)';
  if ((status.errors || 0) > 0) return 'newest backup ' + name + ' completed with ' + status.errors + ' error(s) (velero backup logs ' + name + ')';
  const finished = Date.parse(status.completionTimestamp || b.metadata.creationTimestamp);
  const age = Math.round((now - finished) / 1000);
  if (age > check.maxAgeSeconds) return 'newest completed backup ' + name + ' finished ' + age + ' s ago, more than the ' + check.maxAgeSeconds + ' s schedule ' + check.schedule + ' allows';
  return undefined;
}

async function main() {
  const checks = JSON.parse(process.env.BACKUP_CHECKS);
  const namespace = process.env.VELERO_NAMESPACE;
  let failed = 0;
  for (const check of checks) {
    let found;
    try {
      const selector = encodeURIComponent('velero.io/schedule-name=' + check.schedule);
      const list = await get('/apis/velero.io/v1/namespaces/' + namespace + '/backups?labelSelector=' + selector);
      found = problem(check, list.items || [], Date.now());
    } catch (e) {
      found = e.message;
    }
    if (found) {
      failed++;
      console.error('FAIL ' + check.schedule + ': ' + found);
    } else {
      console.log('OK ' + check.schedule);
    }
  }
  process.exitCode = failed > 0 ? 1 : 0;
}

main();
`;

/**
 * A daily check that the newest backup of each schedule completed, without errors, recently enough: a CronJob whose
 * Job fails (alert on `kube_job_status_failed`) when a schedule's newest finished Backup is not `Completed`, has
 * errors, or finished longer ago than the schedule's longest interval plus `grace`. Its script (a ConfigMap) reads
 * Backups through the API server with a Role allowing `get` and `list` on `backups.velero.io` in the schedules'
 * namespace, nothing else; the pod mounts its service-account token for that (recorded in the
 * `fleetcraft.io/security-opt-outs` annotation), runs restricted, and its NetworkPolicy allows egress to the API
 * server only. Proving a backup restores is the {@link RestoreDrill}'s job.
 * @see https://velero.io/docs/main/api-types/backup/
 */
export class BackupCheck extends Construct {
  /** The name of the CronJob and its objects. */
  public readonly name: string;
  /** The namespace the CronJob runs in. */
  public readonly namespace: string;
  /** The CronJob. */
  public readonly cronJob: kplus.CronJob;
  /** The ConfigMap holding the script. */
  public readonly configMap: kplus.ConfigMap;
  /** The ServiceAccount the check runs as. */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** Role: get and list Backups in the schedules' namespace. */
  public readonly role: kplus.k8s.KubeRole;
  /** NetworkPolicy: no ingress; egress to the API server only. */
  public readonly networkPolicy: kplus.k8s.KubeNetworkPolicy;
  /** The age each schedule's newest backup may reach, in seconds, by schedule name. */
  public readonly maxAgeSeconds: Readonly<Record<string, number>>;

  constructor(scope: Construct, id: string, props: BackupCheckProps) {
    guardProps(BACKUP_CHECK, id, props, BACKUP_CHECK_PROP_SHAPES);
    super(scope, id);
    enablePolicyChecks(this);
    this.name = props.name ?? id;
    const schedules = props.schedules;
    const veleroNamespace = schedules[0]?.namespace ?? '';
    this.namespace = props.namespace ?? veleroNamespace;
    const image = props.image ?? DEFAULT_BACKUP_CHECK_IMAGE;
    const grace = props.grace ?? Duration.hours(2);
    const apiServerCidrs = props.apiServerCidrs ?? DEFAULT_API_SERVER_CIDRS;
    const cronText = props.cron === undefined ? '0 7 * * *' : typeof props.cron === 'string' ? props.cron.trim() : props.cron.expressionString;
    validateBackupCheck(id, {
      name: this.name, namespace: this.namespace, schedules: schedules.map((s) => ({ name: s.name, namespace: s.namespace })),
      cronText, cron: parseCron(cronText), image, grace, apiServerCidrs,
    });
    this.maxAgeSeconds = Object.fromEntries(schedules.map((s) => [s.name, Math.round(s.longestInterval.toSeconds() + grace.toSeconds())]));

    const identity = { name: 'velero', instance: this.name, component: 'backup-check', partOf: props.partOf };
    const labels = standardLabels(identity);
    const meta = (name: string, namespace = this.namespace) => ({ name, namespace, labels });

    this.configMap = new kplus.ConfigMap(this, 'Script', { metadata: meta(`${this.name}-script`), data: { 'check.js': BACKUP_CHECK_SCRIPT } });
    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', { metadata: meta(this.name), automountToken: false });
    this.role = new kplus.k8s.KubeRole(this, 'Role', {
      metadata: meta(this.name, veleroNamespace),
      rules: [{ apiGroups: ['velero.io'], resources: ['backups'], verbs: ['get', 'list'] }],
    });
    new kplus.k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: meta(this.name, veleroNamespace),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.name },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: this.namespace }],
    });

    const checks = schedules.map((s) => ({ schedule: s.name, maxAgeSeconds: this.maxAgeSeconds[s.name] }));
    const tmp = kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp', { sizeLimit: Size.mebibytes(16) });
    const script = kplus.Volume.fromConfigMap(this, 'ScriptVolume', this.configMap, { name: 'script' });
    this.cronJob = new kplus.CronJob(this, 'Resource', {
      metadata: {
        ...props.metadata,
        name: this.name,
        namespace: this.namespace,
        labels: { ...props.metadata?.labels, ...labels },
        annotations: { ...props.metadata?.annotations, [OPT_OUTS_ANNOTATION]: 'automountServiceAccountToken: the check lists Velero Backups through the Kubernetes API' },
      },
      podMetadata: { labels },
      select: false,
      schedule: Cron.schedule({ minute: fieldOf(cronText, 0), hour: fieldOf(cronText, 1), day: fieldOf(cronText, 2), month: fieldOf(cronText, 3), weekDay: fieldOf(cronText, 4) }),
      concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
      startingDeadline: Duration.minutes(30),
      successfulJobsRetained: 1,
      failedJobsRetained: 3,
      backoffLimit: 1,
      activeDeadline: Duration.minutes(10),
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: true,
      restartPolicy: kplus.RestartPolicy.NEVER,
      securityContext: restrictedPodSecurity(),
      containers: [{
        name: 'check',
        image,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        command: ['node', '/etc/backup-check/check.js'],
        envVariables: {
          BACKUP_CHECKS: kplus.EnvValue.fromValue(JSON.stringify(checks)),
          VELERO_NAMESPACE: kplus.EnvValue.fromValue(veleroNamespace),
          HOME: kplus.EnvValue.fromValue('/tmp'),
        },
        securityContext: restrictedContainerSecurity(),
        resources: {
          cpu: { request: kplus.Cpu.millis(10) },
          memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
        },
        volumeMounts: [{ path: '/tmp', volume: tmp }, { path: '/etc/backup-check', volume: script, readOnly: true }],
      }],
    });
    const pod = '/spec/jobTemplate/spec/template/spec';
    applyRuntimeDefaultSeccomp(this.cronJob, pod);
    applyCapabilities(this.cronJob, `${pod}/containers/0`);
    // cdk8s-plus always adds its hashed address label to pod templates; nothing selects these pods, so drop it.
    ApiObject.of(this.cronJob).addJsonPatch(JsonPatch.remove('/spec/jobTemplate/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));

    this.networkPolicy = new kplus.k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: meta(this.name),
      spec: {
        podSelector: { matchLabels: { ...labels } },
        policyTypes: ['Ingress', 'Egress'],
        egress: [apiServerEgress(apiServerCidrs)],
      },
    });
  }
}

/** One field of a validated cron expression, descriptors expanded. */
function fieldOf(expression: string, index: number): string {
  return (CRON_DESCRIPTORS[expression.toLowerCase()] ?? expression).split(/\s+/)[index];
}
