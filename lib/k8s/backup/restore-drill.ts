import { ApiObject, ApiObjectMetadata, Cron, Duration, JsonPatch, Size } from 'cdk8s';
import { OPT_OUTS_ANNOTATION } from '../../policy/pod-security-level';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DURATION, guardProps, METADATA, PropShape, shape } from '../../private/prop-guard';
import { standardLabels } from '../../private/labels';
import { apiServerEgress, DEFAULT_API_SERVER_CIDRS } from '../../private/network-policy';
import { applyCapabilities, applyRuntimeDefaultSeccomp, restrictedContainerSecurity, restrictedPodSecurity } from '../../private/security';
import { CRON_DESCRIPTORS, parseCron } from './cron';
import { CRON_OR_EXPRESSION, IMAGE, NAME, PART_OF, RESOURCE_LIST } from './props-shape';
import { DEFAULT_RESTORE_DRILL_IMAGE, DRILL_WORKLOAD_RESOURCES, RESTORE_DRILL, validateRestoreDrill } from './rules';
import { VELERO_API_VERSION, VeleroRestoreSpec } from '../resources/velero';
import { VeleroSchedule } from './velero-schedule';
import { enablePolicyChecks } from '../../policy/app-checks';

export { DEFAULT_RESTORE_DRILL_IMAGE } from './rules';

/**
 * Resources the drill does not restore by default: everything that would start pods. A restored consensus member
 * could otherwise try to join the live cluster; objects, claims and volumes are what a drill must prove.
 */
export const DEFAULT_RESTORE_DRILL_EXCLUDED_RESOURCES: readonly string[] = [
  'pods', 'replicasets.apps', 'deployments.apps', 'statefulsets.apps', 'daemonsets.apps', 'jobs.batch', 'cronjobs.batch',
  'horizontalpodautoscalers.autoscaling', 'poddisruptionbudgets.policy',
];

/**
 * Resources a drill that restores workloads (`readyWorkloads`) still leaves out: pods and ReplicaSets (the restored
 * Deployments make their own), Jobs and CronJobs (they would run twice), autoscalers and disruption budgets (they
 * would fight the one-replica restore), and Ingresses (a load balancer controller would route the live host to the
 * scratch copy).
 */
export const DEFAULT_RESTORE_DRILL_WORKLOAD_EXCLUDED_RESOURCES: readonly string[] = [
  'pods', 'replicasets.apps', 'jobs.batch', 'cronjobs.batch', 'horizontalpodautoscalers.autoscaling', 'poddisruptionbudgets.policy',
  'ingresses.networking.k8s.io',
];

/** The kinds of workload a drill can wait for (what `kubectl rollout status` follows). */
export enum RestoreDrillWorkloadKind {
  DEPLOYMENT = 'Deployment',
  STATEFUL_SET = 'StatefulSet',
}

/** A workload of the source namespace whose restored pods must become Ready for the drill to pass. */
export interface RestoreDrillWorkload {
  /** Its kind. */
  readonly kind: RestoreDrillWorkloadKind;
  /** Its `metadata.name`. */
  readonly name: string;
}

/** Props for {@link RestoreDrill}. */
export interface RestoreDrillProps {
  /** The Schedule whose latest successful backup is restored. */
  readonly schedule: VeleroSchedule;
  /** The namespace restored (must be one the schedule backs up). */
  readonly sourceNamespace: string;
  /**
   * The namespace the backup is restored into; emptied at the start of every drill.
   * @default - `<sourceNamespace>-restore-drill`
   */
  readonly scratchNamespace?: string;
  /**
   * When the drill runs (cdk8s `Cron` or a five-field expression).
   * @default '0 6 * * 1' - Mondays at 06:00
   */
  readonly cron?: Cron | string;
  /**
   * Name of the CronJob, its ServiceAccount, roles and the Restore it creates.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of the CronJob, its ServiceAccount, the Restore manifest's ConfigMap and the NetworkPolicy (the Role on
   * Restores, the resource modifiers and the Restore itself stay in the schedule's namespace). Give it a namespace with
   * a default-deny NetworkPolicy, not Velero's own.
   * @default - the schedule's namespace
   */
  readonly namespace?: string;
  /**
   * CIDR blocks the NetworkPolicy lets the drill reach the API server in, on TCP 443.
   * @default ['0.0.0.0/0', '::/0']
   */
  readonly apiServerCidrs?: readonly string[];
  /**
   * Resources not restored.
   * @default DEFAULT_RESTORE_DRILL_EXCLUDED_RESOURCES - workloads that would start pods; with `readyWorkloads`,
   * DEFAULT_RESTORE_DRILL_WORKLOAD_EXCLUDED_RESOURCES
   */
  readonly excludedResources?: readonly string[];
  /**
   * Workloads whose restored pods must become Ready before the drill passes, not only the Restore: they are restored
   * with one replica (a Velero resource modifier in a ConfigMap `<name>-modifiers`), the drill waits for each with
   * `kubectl rollout status` (all replicas updated and available, i.e. Ready), then scales them to zero so the copy
   * stays for inspection without running. Only for workloads that may run twice: a consensus member restored from a
   * volume snapshot would try to reach the live members.
   * @default - none: the drill passes when the Restore completes
   */
  readonly readyWorkloads?: readonly RestoreDrillWorkload[];
  /**
   * How long the restore may take before the drill counts as failed.
   * @default Duration.hours(1)
   */
  readonly timeout?: Duration;
  /**
   * The kubectl image (pinned by tag or digest, never `:latest`).
   * @default 'registry.k8s.io/kubectl:v1.36.0'
   */
  readonly image?: string;
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

/** A `VeleroSchedule` construct, recognised by its `longestInterval` member. */
const SCHEDULE = shape.value('VeleroSchedule', ['name', 'includedNamespaces', 'excludedNamespaces', 'longestInterval'], 'new VeleroSchedule(scope, \'Daily\', { schedule: \'0 2 * * *\' })');

/** The runtime shape of {@link RestoreDrillProps}, checked before any prop is read. */
export const RESTORE_DRILL_PROP_SHAPES = {
  schedule: shape.required(SCHEDULE),
  sourceNamespace: shape.required(NAME),
  scratchNamespace: NAME,
  cron: CRON_OR_EXPRESSION,
  name: NAME,
  namespace: NAME,
  apiServerCidrs: shape.list(shape.string({ maxLength: 64 }), 20),
  excludedResources: RESOURCE_LIST,
  readyWorkloads: shape.list(shape.object({ kind: shape.required(shape.oneOf(RestoreDrillWorkloadKind)), name: shape.required(NAME) }), 50),
  timeout: DURATION,
  image: IMAGE,
  partOf: PART_OF,
  metadata: METADATA,
} satisfies { readonly [K in keyof Required<RestoreDrillProps>]: PropShape };

/**
 * A scheduled restore drill: restores the latest backup of a Schedule for one namespace into a scratch namespace and
 * fails its Job unless the Restore reaches `Completed`, so a backup that cannot be restored is noticed (alert on
 * `kube_job_status_failed`; `velero restore describe <name>` shows why).
 *
 * Each run, as ordered init containers in one pod (the images have no shell): delete the scratch namespace, delete
 * the previous drill's Restore, create the Restore (`scheduleName` + `namespaceMapping`, the manifest kept in a
 * ConfigMap), then wait for `status.phase` to be `Completed`; with `readyWorkloads`, then wait until each restored
 * workload's pods are Ready (`kubectl rollout status`) and scale them to zero. The scratch namespace stays until the
 * next run, for inspection. The pod mounts its service-account token (it calls the API); that opt-out is recorded in the
 * `fleetcraft.io/security-opt-outs` annotation. Its rights: Restores in Velero's namespace, and deleting only the
 * scratch namespace.
 * @see https://velero.io/docs/main/restore-reference/
 */
export class RestoreDrill extends Construct {
  /** The name of the CronJob and of the Restore it creates. */
  public readonly name: string;
  /** The namespace restored into. */
  public readonly scratchNamespace: string;
  public readonly cronJob: kplus.CronJob;
  /** The ConfigMap holding the Restore manifest. */
  public readonly configMap: kplus.ConfigMap;
  public readonly serviceAccount: kplus.ServiceAccount;
  /** Role: Restores in Velero's namespace. */
  public readonly role: kplus.k8s.KubeRole;
  /**
   * ClusterRole: delete the scratch namespace only; with `readyWorkloads`, also follow and scale those workloads by
   * name (the scratch namespace is recreated each run, so a Role inside it could not last).
   */
  public readonly clusterRole: kplus.k8s.KubeClusterRole;
  /** The namespace the CronJob runs in. */
  public readonly namespace: string;
  /** NetworkPolicy of the drill's pods: no ingress; egress to the API server only. */
  public readonly networkPolicy: kplus.k8s.KubeNetworkPolicy;
  /** The ConfigMap of the Velero resource modifiers (one replica per restored workload), with `readyWorkloads`. */
  public readonly resourceModifiers?: kplus.ConfigMap;

  constructor(scope: Construct, id: string, props: RestoreDrillProps) {
    guardProps(RESTORE_DRILL, id, props, RESTORE_DRILL_PROP_SHAPES);
    super(scope, id);
    enablePolicyChecks(this);
    this.name = props.name ?? id;
    const namespace = props.schedule.namespace;
    this.namespace = props.namespace ?? namespace;
    const jobNamespace = this.namespace;
    this.scratchNamespace = props.scratchNamespace ?? `${props.sourceNamespace}-restore-drill`;
    const image = props.image ?? DEFAULT_RESTORE_DRILL_IMAGE;
    const timeout = props.timeout ?? Duration.hours(1);
    const cronText = props.cron === undefined ? '0 6 * * 1' : typeof props.cron === 'string' ? props.cron.trim() : props.cron.expressionString;
    const s = props.schedule;
    const workloads = props.readyWorkloads ?? [];
    const apiServerCidrs = props.apiServerCidrs ?? DEFAULT_API_SERVER_CIDRS;
    const excludedResources = props.excludedResources
      ?? (workloads.length > 0 ? DEFAULT_RESTORE_DRILL_WORKLOAD_EXCLUDED_RESOURCES : DEFAULT_RESTORE_DRILL_EXCLUDED_RESOURCES);
    validateRestoreDrill(id, {
      name: this.name, sourceNamespace: props.sourceNamespace, scratchNamespace: this.scratchNamespace, schedule: s,
      cronText, cron: parseCron(cronText), image, timeout, readyWorkloads: workloads, excludedResources, namespace: jobNamespace, apiServerCidrs,
    });

    const identity = { name: 'velero', instance: this.name, component: 'restore-drill', partOf: props.partOf };
    const labels = standardLabels(identity);
    const meta = (name: string) => ({ name, namespace, labels });
    const jobMeta = (name: string) => ({ name, namespace: jobNamespace, labels });

    const modifiersName = `${this.name}-modifiers`;
    if (workloads.length > 0) {
      // Velero's resource modifiers (v1): each drilled workload restored with one replica, whatever the backup held.
      const rules = workloads.map((w) => ({
        conditions: { groupResource: DRILL_WORKLOAD_RESOURCES[w.kind], resourceNameRegex: `^${w.name.replace(/\./g, '\\.')}$` },
        patches: [{ operation: 'replace', path: '/spec/replicas', value: '1' }],
      }));
      this.resourceModifiers = new kplus.ConfigMap(this, 'ResourceModifiers', {
        metadata: meta(modifiersName),
        data: { 'modifiers.json': `${JSON.stringify({ version: 'v1', resourceModifierRules: rules }, undefined, 2)}\n` },
      });
    }
    const restore: VeleroRestoreSpec = {
      scheduleName: s.name,
      includedNamespaces: [props.sourceNamespace],
      namespaceMapping: { [props.sourceNamespace]: this.scratchNamespace },
      excludedResources: [...excludedResources],
      includeClusterResources: false,
      restorePVs: true,
      existingResourcePolicy: 'none',
      ...(workloads.length > 0 ? { resourceModifier: { kind: 'ConfigMap', name: modifiersName } } : {}),
    };
    const manifest = { apiVersion: VELERO_API_VERSION, kind: 'Restore', metadata: { name: this.name, namespace, labels }, spec: restore };
    this.configMap = new kplus.ConfigMap(this, 'Manifest', {
      metadata: jobMeta(`${this.name}-restore`),
      data: { 'restore.json': `${JSON.stringify(manifest, undefined, 2)}\n` },
    });

    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', { metadata: jobMeta(this.name), automountToken: false });
    this.role = new kplus.k8s.KubeRole(this, 'Role', {
      metadata: meta(this.name),
      rules: [{ apiGroups: ['velero.io'], resources: ['restores'], verbs: ['get', 'list', 'watch', 'create', 'delete'] }],
    });
    new kplus.k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: meta(this.name),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.name },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: jobNamespace }],
    });
    const clusterName = `${jobNamespace}-${this.name}`;
    this.clusterRole = new kplus.k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: clusterName, labels },
      rules: [
        { apiGroups: [''], resources: ['namespaces'], resourceNames: [this.scratchNamespace], verbs: ['get', 'list', 'watch', 'delete'] },
        ...Object.entries(DRILL_WORKLOAD_RESOURCES).flatMap(([kind, resource]) => {
          const names = [...new Set(workloads.filter((w) => w.kind === kind).map((w) => w.name))];
          const plural = resource.split('.')[0];
          return names.length === 0 ? [] : [
            { apiGroups: ['apps'], resources: [plural], resourceNames: names, verbs: ['get', 'list', 'watch'] },
            { apiGroups: ['apps'], resources: [`${plural}/scale`], resourceNames: names, verbs: ['get', 'patch', 'update'] },
          ];
        }),
      ],
    });
    new kplus.k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: clusterName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterName },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: jobNamespace }],
    });

    const waitSeconds = Math.ceil(timeout.toSeconds());
    const tmp = kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp', { sizeLimit: Size.mebibytes(64) });
    const manifestVolume = kplus.Volume.fromConfigMap(this, 'ManifestVolume', this.configMap, { name: 'manifest' });
    const step = (name: string, args: string[]): kplus.ContainerProps => ({
      name,
      image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      args,
      envVariables: { HOME: kplus.EnvValue.fromValue('/tmp') },
      securityContext: restrictedContainerSecurity(),
      resources: {
        cpu: { request: kplus.Cpu.millis(10) },
        memory: { request: Size.mebibytes(32), limit: Size.mebibytes(128) },
      },
      volumeMounts: [{ path: '/tmp', volume: tmp }, { path: '/etc/restore-drill', volume: manifestVolume, readOnly: true }],
    });
    const initContainers = [
      step('clean-scratch', ['delete', 'namespace', this.scratchNamespace, '--ignore-not-found', '--wait=true', '--timeout=15m']),
      step('clean-restore', ['delete', 'restores.velero.io', this.name, '--namespace', namespace, '--ignore-not-found', '--wait=true', '--timeout=5m']),
      step('create-restore', ['create', '--filename', '/etc/restore-drill/restore.json']),
    ];
    const waitRestore = step('verify', [
      'wait', `restores.velero.io/${this.name}`, '--namespace', namespace,
      '--for=jsonpath={.status.phase}=Completed', `--timeout=${waitSeconds}s`,
    ]);
    let finalStep = waitRestore;
    if (workloads.length > 0) {
      // Ready, not only restored: every replica of each workload updated and available, then parked at zero replicas.
      initContainers.push(waitRestore, ...workloads.map((w, i) => step(`ready-${i}`, [
        'rollout', 'status', `${w.kind.toLowerCase()}/${w.name}`, '--namespace', this.scratchNamespace, '--watch=true', `--timeout=${waitSeconds}s`,
      ])));
      finalStep = step('park', ['scale', ...workloads.map((w) => `${w.kind.toLowerCase()}/${w.name}`), '--namespace', this.scratchNamespace, '--replicas=0']);
    }
    this.cronJob = new kplus.CronJob(this, 'Resource', {
      metadata: {
        ...props.metadata,
        name: this.name,
        namespace: jobNamespace,
        labels: { ...props.metadata?.labels, ...labels },
        annotations: { ...props.metadata?.annotations, [OPT_OUTS_ANNOTATION]: 'automountServiceAccountToken: the drill creates and watches a Velero Restore through the Kubernetes API' },
      },
      podMetadata: { labels },
      select: false,
      schedule: Cron.schedule({ minute: fieldOf(cronText, 0), hour: fieldOf(cronText, 1), day: fieldOf(cronText, 2), month: fieldOf(cronText, 3), weekDay: fieldOf(cronText, 4) }),
      concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
      startingDeadline: Duration.minutes(30),
      successfulJobsRetained: 1,
      failedJobsRetained: 3,
      backoffLimit: 0,
      activeDeadline: Duration.seconds(waitSeconds * (1 + workloads.length) + 30 * 60),
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: true,
      restartPolicy: kplus.RestartPolicy.NEVER,
      securityContext: restrictedPodSecurity(),
      initContainers,
      containers: [finalStep],
    });
    const pod = '/spec/jobTemplate/spec/template/spec';
    applyRuntimeDefaultSeccomp(this.cronJob, pod);
    initContainers.forEach((_, i) => applyCapabilities(this.cronJob, `${pod}/initContainers/${i}`));
    applyCapabilities(this.cronJob, `${pod}/containers/0`);
    // cdk8s-plus always adds its hashed address label to pod templates; nothing selects these pods, so drop it.
    ApiObject.of(this.cronJob).addJsonPatch(JsonPatch.remove('/spec/jobTemplate/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));

    this.networkPolicy = new kplus.k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: jobMeta(this.name),
      spec: { podSelector: { matchLabels: { ...labels } }, policyTypes: ['Ingress', 'Egress'], egress: [apiServerEgress(apiServerCidrs)] },
    });
  }
}

/** One field of a validated cron expression, descriptors expanded. */
function fieldOf(expression: string, index: number): string {
  return (CRON_DESCRIPTORS[expression.toLowerCase()] ?? expression).split(/\s+/)[index];
}
