/**
 * The bad-input catalogue: every deliberately broken input, with the exact messages it must produce, and proof that
 * nothing it touches changes. Policy rules, malformed YAML, unknown kinds and the `validate` CLI are here; add
 * construct props and environments as more `BadInput`s (a `run` that returns the thrown error's message, and the
 * output folder a synth would write to as `folder`).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { dev, EnvironmentSpec, production } from '../../environments';
import { AutoscaledService, ConsensusStatefulSet, FederatedApp, FederatedWorkload, NetworkDaemonSet, RolloutStrategy, VeleroSchedule } from '../../lib';
import { main } from '../../stacks/cli';
import { synthEnvironments } from '../../stacks/synth';
import { formatProblem, runValidate, ValidateProblem } from '../../stacks/validate';
import { describeWithSchemas, SCHEMA_DIR, testChart } from '../util';

/** The broken manifests, as a path relative to where the tests run (that is how validate prints it). */
const BROKEN = path.relative(process.cwd(), path.join(__dirname, '..', 'fixtures', 'broken'));

interface Outcome {
  /** The exit code (for CLI inputs). */
  readonly code?: number;
  /** Every problem message, exactly (CLI notes, usage text and the summary line left out). */
  readonly messages: string[];
}

interface BadInput {
  /** What is broken. */
  readonly name: string;
  /** Feeds the input in; returns what came out. */
  readonly run: () => Outcome;
  readonly expected: Outcome;
  /** The folder the input must leave exactly as it was (files, contents and modification times). */
  readonly folder: string;
  /** Needs the upstream schemas (skipped, loudly, without ../shared/crds). */
  readonly needsSchemas?: boolean;
}

/**
 * Runs `fleetcraft validate` with `--format json` and keeps its problems, one `file:line: severity: object: path:
 * message [rule]` line each (the whole message, which the grouped text report shortens after a rule's first finding),
 * and the error lines of a usage error.
 */
function cli(args: string[]): Outcome {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = runValidate(args.includes('--format') ? args : [...args, '--format', 'json'], { log: (l) => lines.push(l), error: (l) => errors.push(l) });
  const noise = (l: string) => /^(warning: (schema checks|no schema folder)|usage: |\s)/.test(l);
  const problems = lines.length > 0 ? (JSON.parse(lines[0]) as { problems: ValidateProblem[] }).problems.map(formatProblem) : [];
  return { code, messages: [...problems, ...errors.filter((l) => !noise(l))] };
}

/** A broken manifest in test/fixtures/broken, validated alone; lines start after the file name. */
function fixture(name: string, file: string, code: number, lines: string[], needsSchemas = false, extra: string[] = []): BadInput {
  const args = [...(needsSchemas ? ['--schemas', SCHEMA_DIR] : ['--no-schemas']), ...extra];
  return {
    name: `${file}: ${name}`, folder: BROKEN, needsSchemas,
    run: () => cli([`${BROKEN}/${file}`, ...args]),
    expected: { code, messages: lines.map((l) => `${BROKEN}/${file}${l.replace('<dir>', BROKEN)}`) },
  };
}

/** The fixtures that show restricted's checks leave their namespace unlabelled: validate is told its level. */
const RESTRICTED = ['--pod-security', 'restricted'];

function schemaFixture(name: string, file: string, code: number, lines: string[]): BadInput {
  return fixture(name, file, code, lines, true);
}

/** A `validate` command line that is wrong; `folder` is a scratch folder it must not touch. */
function usage(name: string, args: (dir: string) => string[], code: number, messages: (dir: string) => string[], files: Record<string, string> = {}): BadInput {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetcraft-catalogue-'));
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  return { name: `validate ${name}`, folder: dir, run: () => cli(args(dir)), expected: { code, messages: messages(dir) } };
}

/** A GitOps folder holding a previous synth of dev, which every construct and environment input must leave alone. */
const OUTPUT = ((): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetcraft-catalogue-out-'));
  const code = synthEnvironments([dev], { outDir: dir, check: false }, { log: () => undefined, error: () => undefined });
  if (code !== 0) throw new Error('the catalogue\'s starting synth failed');
  return dir;
})();

/** Runs `fn` and returns the message it throws (or says it threw nothing). */
function thrown(fn: () => unknown): Outcome {
  try {
    fn();
    return { messages: ['(nothing thrown)'] };
  } catch (e) {
    return { messages: [(e as Error).message] };
  }
}

/** A construct built with a broken prop: refused at construction with exactly `message`. */
function construct(name: string, build: () => unknown, message: string): BadInput {
  return { name: `construct ${name}`, folder: OUTPUT, run: () => thrown(build), expected: { messages: [message] } };
}

/** A broken environment synthesized into the GitOps folder: refused with `message`, nothing written. */
function environment(name: string, env: EnvironmentSpec, message: string): BadInput {
  return {
    name: `environment ${name}`, folder: OUTPUT, expected: { messages: [message] },
    run: () => thrown(() => synthEnvironments([env], { outDir: OUTPUT, check: false }, { log: () => undefined, error: () => undefined })),
  };
}

/** A `synth` command line that is wrong, against the GitOps folder. */
function synthCli(name: string, args: string[], code: number, messages: string[]): BadInput {
  return {
    name: `synth ${name}`, folder: OUTPUT, expected: { code, messages },
    run: () => {
      const errors: string[] = [];
      const result = main(['synth', '--out', OUTPUT, '--no-schemas', ...args], { log: () => undefined, error: (l) => errors.push(l) });
      return { code: result as number, messages: errors.filter((l) => !l.startsWith('usage:') && !l.startsWith('warning:')) };
    },
  };
}

const IMAGE = 'ghcr.io/acme/app:1.0.0';
const ETCD = 'quay.io/coreos/etcd:v3.5.21';

/** Every file under a folder with its contents and modification time. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string): void => {
    for (const e of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, e.name);
      if (e.isDirectory()) walk(rel);
      else out[rel] = `${fs.statSync(path.join(dir, rel)).mtimeMs} ${fs.readFileSync(path.join(dir, rel), 'utf8')}`;
    }
  };
  walk('');
  return out;
}

function expectCase(c: BadInput): void {
  const before = snapshot(c.folder);
  expect(c.run()).toEqual(c.expected);
  expect(snapshot(c.folder)).toEqual(before);
}

const CATALOGUE: BadInput[] = [
  fixture('replicas on a Deployment an HPA owns', 'autoscaler-replicas.yaml', 1, [
    ':19: error: Deployment autoscaler-replicas/app: spec.replicas: is scaled by HorizontalPodAutoscaler autoscaler-replicas/app but sets spec.replicas (3), so every GitOps sync resets the autoscaler\'s choice; remove the field [reliability/autoscaler-replicas]',
  ]),
  fixture('a privileged DaemonSet that does not record its opt-outs', 'declared-privilege.yaml', 1, [
    ':23: error: DaemonSet declared-privilege/agent: metadata.annotations: its pods need Pod Security level privileged (pss/baseline-host-namespaces, pss/restricted-capabilities), which namespace declared-privilege admits (it enforces privileged), but it declares no reason; make it meet restricted, or annotate it fleetcraft.io/security-opt-outs: "<what it opts out of>: <why>" so audits see the exception [security/declared-privilege]',
  ]),
  fixture('pods in a namespace without a default-deny NetworkPolicy', 'default-deny-missing.yaml', 1, [
    ':2: error: Deployment default-deny-missing/app: namespace default-deny-missing runs pods (Deployment default-deny-missing/app) but no NetworkPolicy there denies all Ingress and Egress traffic by default; add one with podSelector: {}, policyTypes: [Ingress, Egress] and no rules (NamespaceBaseline does), then allow what each workload needs [security/default-deny]',
  ]),
  fixture('the same object twice', 'duplicate.yaml', 1, [
    ':10: error: ConfigMap duplicate/settings: is defined twice (first at <dir>/duplicate.yaml:2); applying both to one cluster keeps only one: remove or rename one, or validate each cluster\'s manifests separately [validate/duplicate]',
  ]),
  fixture('an HPA targeting a Deployment that does not exist', 'hpa-target.yaml', 1, [
    ':66: error: HorizontalPodAutoscaler hpa-target/app: spec.scaleTargetRef: targets Deployment hpa-target/ap, which is not a scalable workload in the set; fix scaleTargetRef.name or add the workload [integrity/autoscaler-target]',
  ]),
  fixture('an image tagged latest', 'image-latest.yaml', 1, [
    ':36: error: Deployment image-latest/app: spec.template.spec.containers[0].image: image "ghcr.io/example/app:latest" uses the mutable tag latest, so two nodes can run different code; pin a version tag or a digest [reliability/image-tag]',
  ]),
  fixture('an image without a tag or digest', 'image-untagged.yaml', 1, [
    ':36: error: Deployment image-untagged/app: spec.template.spec.containers[0].image: image "ghcr.io/example/app" has no tag or digest, so it means :latest and changes under you; pin it, e.g. "ghcr.io/example/app:1.2.3" or "ghcr.io/example/app@sha256:<digest>" [reliability/image-tag]',
  ]),
  fixture('a PDB that blocks every drain at the HPA minimum', 'pdb-blocks-drain.yaml', 1, [
    ':93: error: PodDisruptionBudget pdb-blocks-drain/app: spec.minAvailable: minAvailable 2 allows no voluntary disruption with 2 pod(s) (Deployment pdb-blocks-drain/app at HorizontalPodAutoscaler pdb-blocks-drain/app\'s minimum of 2), so every node drain blocks; use maxUnavailable: 1, or a minAvailable below the minimum pod count [reliability/pdb-disruptions]',
  ]),
  fixture('three replicas without a PodDisruptionBudget', 'pdb-missing.yaml', 1, [
    ':13: error: Deployment pdb-missing/app: runs up to 3 replicas but no PodDisruptionBudget in namespace pdb-missing selects its pods (app.kubernetes.io/name=app); add one so a node drain cannot take them all down at once [reliability/pdb]',
  ]),
  fixture('a PDB selecting no pods', 'pdb-selector.yaml', 1, [
    ':68: error: PodDisruptionBudget pdb-selector/app: spec.selector: selector app.kubernetes.io/name=api matches no pod template in the set (pod labels there: Deployment pdb-selector/app {app.kubernetes.io/name=app}); fix the selector so the budget protects the pods it was written for [integrity/pdb-selector]',
  ]),
  fixture('a long-running container without probes', 'probes-missing.yaml', 1, [
    ':35: error: Deployment probes-missing/app: spec.template.spec.containers[0]: container "app" has no readinessProbe or livenessProbe; add both so traffic only reaches ready pods and a hung process is restarted [reliability/probes]',
  ]),
  fixture('capabilities not dropped under restricted', 'pss-capabilities-restricted.yaml', 1, [
    ':54: error: Deployment pss-capabilities-restricted/app: spec.template.spec.containers[0].securityContext.capabilities.drop: container "app" does not drop ALL capabilities, which Pod Security level restricted forbids (namespace pss-capabilities-restricted is restricted by default: no Namespace object in the set labels it); set securityContext.capabilities.drop: ["ALL"], or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=baseline and annotate it fleetcraft.io/security-opt-outs [pss/restricted-capabilities]',
  ], false, RESTRICTED),
  fixture('SYS_ADMIN under baseline', 'pss-capabilities.yaml', 1, [
    ':70: error: Deployment pss-capabilities/app: spec.template.spec.containers[0].securityContext.capabilities.add: container "app" adds capabilities SYS_ADMIN, which Pod Security level baseline forbids (namespace pss-capabilities enforces baseline); add only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT (spelled without CAP_), or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=privileged and annotate it fleetcraft.io/security-opt-outs [pss/baseline-capabilities]',
  ]),
  fixture('hostPID under baseline', 'pss-host-namespaces.yaml', 1, [
    ':70: error: Deployment pss-host-namespaces/app: spec.template.spec.hostPID: the pod sets hostPID=true, sharing the node\'s namespaces, which Pod Security level baseline forbids (namespace pss-host-namespaces enforces baseline); remove hostPID, or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=privileged and annotate it fleetcraft.io/security-opt-outs [pss/baseline-host-namespaces]',
  ]),
  fixture('a hostPath volume under baseline', 'pss-host-path.yaml', 1, [
    ':75: error: Deployment pss-host-path/app: spec.template.spec.volumes[0].hostPath: volume "docker" mounts host path /var/run/docker.sock, which Pod Security level baseline forbids (namespace pss-host-path enforces baseline); use an emptyDir, configMap, secret or persistentVolumeClaim volume, or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=privileged and annotate it fleetcraft.io/security-opt-outs [pss/baseline-host-path]',
    ':76: error: Deployment pss-host-path/app: spec.template.spec.volumes[0].hostPath.path: volume "docker" mounts host path /var/run/docker.sock: the container runtime\'s socket, which lets the pod start privileged containers on the node (read-only or not, and whatever the namespace allows); mount the narrowest path it needs, or, if it truly needs it, say why in its fleetcraft.io/skip-rules annotation ("security/host-mounts: <why>") [security/host-mounts]',
  ]),
  fixture('a host port under baseline', 'pss-host-ports.yaml', 1, [
    ':50: error: Deployment pss-host-ports/app: spec.template.spec.containers[0].ports[0].hostPort: container "app" binds host port 8080, which Pod Security level baseline forbids (namespace pss-host-ports enforces baseline); remove hostPort and reach the port through a Service, or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=privileged and annotate it fleetcraft.io/security-opt-outs [pss/baseline-host-ports]',
  ]),
  fixture('a Pod Security level that does not exist', 'pss-namespace-level.yaml', 1, [
    ':7: error: Namespace pss-namespace-level: metadata.labels.pod-security.kubernetes.io/enforce: label pod-security.kubernetes.io/enforce="strict" is not a Pod Security level and admission rejects the Namespace; use restricted, baseline or privileged [pss/namespace-level]',
  ]),
  fixture('a Pod Security version not pinned (warning)', 'pss-namespace-unpinned.yaml', 0, [
    ':8: warning: Namespace pss-namespace-unpinned: metadata.labels.pod-security.kubernetes.io/enforce-version: sets pod-security.kubernetes.io/enforce-version=latest, so a cluster upgrade can change what is admitted; pin it to the cluster\'s minor, e.g. pod-security.kubernetes.io/enforce-version=v1.36 [pss/namespace-labels]',
  ]),
  fixture('privilege escalation allowed under restricted', 'pss-privilege-escalation.yaml', 1, [
    ':54: error: Deployment pss-privilege-escalation/app: spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation: container "app" does not set securityContext.allowPrivilegeEscalation=false, which Pod Security level restricted forbids (namespace pss-privilege-escalation is restricted by default: no Namespace object in the set labels it); set it to false, or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=baseline and annotate it fleetcraft.io/security-opt-outs [pss/restricted-privilege-escalation]',
  ], false, RESTRICTED),
  fixture('a privileged container under baseline', 'pss-privileged.yaml', 1, [
    ':65: error: Deployment pss-privileged/app: spec.template.spec.containers[0].securityContext.privileged: container "app" sets securityContext.privileged=true, which Pod Security level baseline forbids (namespace pss-privileged enforces baseline); remove it and add only the capabilities the container needs, or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=privileged and annotate it fleetcraft.io/security-opt-outs [pss/baseline-privileged]',
    ':64: warning: Deployment pss-privileged/app: spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem: container "app" does not set securityContext.readOnlyRootFilesystem: true, so a compromised process can rewrite its own files; set it, and mount an emptyDir where it must write (e.g. /tmp) [security/read-only-root-fs]',
  ]),
  fixture('root under restricted', 'pss-run-as-root.yaml', 1, [
    ':53: error: Deployment pss-run-as-root/app: spec.template.spec.containers[0].securityContext.runAsNonRoot: container "app" does not set securityContext.runAsNonRoot=true and neither does the pod, which Pod Security level restricted forbids (namespace pss-run-as-root is restricted by default: no Namespace object in the set labels it); set securityContext.runAsNonRoot: true on the pod, with a non-zero runAsUser the image can run as, or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=baseline and annotate it fleetcraft.io/security-opt-outs [pss/restricted-run-as-non-root]',
    ':30: error: Deployment pss-run-as-root/app: spec.template.spec.securityContext.runAsUser: the pod sets securityContext.runAsUser=0, which Pod Security level restricted forbids (namespace pss-run-as-root is restricted by default: no Namespace object in the set labels it); run as a non-zero user, e.g. 65532, or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=baseline and annotate it fleetcraft.io/security-opt-outs [pss/restricted-run-as-user]',
  ], false, RESTRICTED),
  fixture('seccomp Unconfined under baseline', 'pss-seccomp-unconfined.yaml', 1, [
    ':43: error: Deployment pss-seccomp-unconfined/app: spec.template.spec.securityContext.seccompProfile.type: the pod sets seccompProfile.type=Unconfined, which Pod Security level baseline forbids (namespace pss-seccomp-unconfined enforces baseline); use RuntimeDefault or Localhost, or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=privileged and annotate it fleetcraft.io/security-opt-outs [pss/baseline-seccomp]',
  ]),
  fixture('an unsafe sysctl under baseline', 'pss-sysctls.yaml', 1, [
    ':45: error: Deployment pss-sysctls/app: spec.template.spec.securityContext.sysctls[0].name: the pod sets sysctl net.core.somaxconn, which Pod Security level baseline forbids (namespace pss-sysctls enforces baseline); tune it on the node instead (pods may set only kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.ip_local_reserved_ports, net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout, net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes, net.ipv4.tcp_rmem, net.ipv4.tcp_wmem), or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=privileged and annotate it fleetcraft.io/security-opt-outs [pss/baseline-sysctls]',
  ]),
  fixture('imagePullPolicy Always (warning)', 'pull-always.yaml', 0, [
    ':60: warning: Deployment pull-always/app: spec.template.spec.containers[0].imagePullPolicy: container "app" sets imagePullPolicy: Always, so every restart depends on the registry; pin the image and use IfNotPresent [reliability/image-pull-policy]',
  ]),
  fixture('no memory limit', 'resources-missing.yaml', 1, [
    ':48: error: Deployment resources-missing/app: spec.template.spec.containers[0].resources: container "app" does not set resources.limits.memory; set CPU and memory requests so the scheduler can place it, and a memory limit so a leak cannot starve the node [reliability/resources]',
  ]),
  fixture('a memory request above its limit', 'resources-over-limit.yaml', 1, [
    ':51: error: Deployment resources-over-limit/app: spec.template.spec.containers[0].resources.requests.memory: container "app" requests 1Gi memory but is limited to 256Mi; the API server rejects a request above its limit: raise the limit or lower the request [reliability/resources]',
  ]),
  schemaFixture('a removed API (policy/v1beta1)', 'schema-removed-api.yaml', 1, [
    ':2: error: PodDisruptionBudget schema-removed-api/old: no schema for apiVersion policy/v1beta1 kind PodDisruptionBudget (removed or unknown API); PodDisruptionBudget is served as policy/v1 [schema]',
    ':9: error: PodDisruptionBudget schema-removed-api/old: spec.selector: selector app.kubernetes.io/name=old matches no pod template in the set (no workload in the set runs in namespace schema-removed-api); fix the selector so the budget protects the pods it was written for [integrity/pdb-selector]',
  ]),
  schemaFixture('a misspelt field (JSON input)', 'schema-unknown-field.json', 1, [
    ':1: error: ConfigMap schema-unknown-field/settings: unknown field "dataa" (not in the schema; check its spelling and placement) [schema]',
  ]),
  schemaFixture('a misspelt kind', 'schema-unknown-kind.yaml', 1, [
    ':2: error: ConfigMapp schema-unknown-kind/settings: no schema for apiVersion v1 kind ConfigMapp: API group core (v1) has no kind ConfigMapp; did you mean ConfigMap? [schema]',
  ]),
  fixture('a Secret with literal data', 'secret-data.yaml', 1, [
    ':8: error: Secret secret-data/db-credentials: stringData: carries literal secret values (keys: password, username), which would be committed to Git; deliver them through an ExternalSecret or the Pulumi program instead [security/secret-data]',
  ]),
  fixture('a Service selector matching no pods', 'service-selector.yaml', 1, [
    ':67: error: Service service-selector/app: spec.selector: selector app.kubernetes.io/name=ap matches no pod template in the set (pod labels there: Deployment service-selector/app {app.kubernetes.io/name=app}); fix the selector or the pod labels, or the Service routes to nothing [integrity/service-selector]',
  ]),
  fixture('replicas without spread (warning)', 'spread-missing.yaml', 0, [
    ':27: warning: Deployment spread-missing/app: spec.template.spec: runs up to 2 replicas with no topologySpreadConstraints or podAntiAffinity, so they may all land on one node or zone; spread them across kubernetes.io/hostname and topology.kubernetes.io/zone [reliability/spread]',
  ]),
  fixture('a StatefulSet naming a missing Service', 'statefulset-service.yaml', 1, [
    ':60: error: StatefulSet statefulset-service/db: spec.serviceName: names Service statefulset-service/db-peers, which is not in the set, so its pods get no stable DNS names; add a headless Service (clusterIP: None) with that name [integrity/statefulset-service]',
  ]),
  fixture('malformed YAML, with line and column', 'yaml-malformed.yaml', 1, [
    ':13:9: error: malformed YAML: Nested mappings are not allowed in compact mappings; fix the syntax (this document was not checked) [validate/yaml]',
  ]),
  fixture('a values file and a bare list', 'yaml-not-an-object.yaml', 1, [
    ':2: error: document has no apiVersion or kind, so it is not a Kubernetes object; validate rendered manifests (helm template, kustomize build), not values or config files [validate/not-an-object]',
    ':7: error: document is a list, not a Kubernetes object; each document must be a mapping with apiVersion and kind [validate/not-an-object]',
  ]),
  usage('of a file that does not exist', (dir) => [path.join(dir, 'nope.yaml'), '--no-schemas'], 1,
    (dir) => [`${path.join(dir, 'nope.yaml')}: error: no such file or folder; check the path [validate/missing]`]),
  usage('of a folder with no manifests', (dir) => [dir, '--no-schemas'], 1,
    (dir) => [`${dir}: error: folder holds no .yaml, .yml or .json files; point validate at rendered manifests [validate/no-manifests]`],
    { 'README.md': '# not a manifest', '.fleetcraft-manifest.json': '{"files":[]}' }),
  usage('without a PATH', () => ['--no-schemas'], 2, () => ['fleetcraft validate: no PATH given; name the files or folders to check']),
  usage('with an unknown format', (dir) => [dir, '--format', 'yaml'], 2, () => ['fleetcraft validate: unknown format "yaml"; use text, json or sarif']),
  usage('with --format and no value', (dir) => [dir, '--format'], 2, () => ['fleetcraft validate: Option \'--format <value>\' argument missing']),
  usage('skipping a rule that does not exist', (dir) => [dir, '--skip', 'security/secrets'], 2,
    () => ['fleetcraft validate: unknown rule "security/secrets" in --skip; list the rules with fleetcraft validate --list-rules']),
  usage('with a schema folder that does not exist', (dir) => [dir, '--schemas', path.join(dir, 'crds')], 2,
    (dir) => [`fleetcraft validate: schema folder ${path.join(dir, 'crds')} does not exist; pass --schemas DIR with the Kubernetes OpenAPI and CRD files`]),
  usage('with --schemas and --no-schemas', (dir) => [dir, '--schemas', dir, '--no-schemas'], 2, () => ['fleetcraft validate: --schemas and --no-schemas exclude each other']),
  usage('with an unknown option', (dir) => [dir, '--strict'], 2,
    () => ['fleetcraft validate: Unknown option \'--strict\'. To specify a positional argument starting with a \'-\', place it at the end of the command after \'--\', as in \'-- "--strict"']),
  construct('ConsensusStatefulSet with an even replica count', () => new ConsensusStatefulSet(testChart(), 'raft', { image: ETCD, replicas: 4 }),
    'ConsensusStatefulSet \'raft\': replicas (4) must be odd and between 1 and 11, so a majority survives the same number of failures; use 3 or 5'),
  construct('ConsensusStatefulSet with one member in production', () => new ConsensusStatefulSet(testChart(), 'raft', { image: ETCD, replicas: 1, production: true }),
    'ConsensusStatefulSet \'raft\': replicas (1) cannot lose a single member, and production is true; use 3 or 5 in production'),
  construct('ConsensusStatefulSet with the client port on the peer port', () => new ConsensusStatefulSet(testChart(), 'raft', { image: ETCD, clientPort: 2380 }),
    'ConsensusStatefulSet \'raft\': peerPort (2380) equals clientPort; clients and members need separate ports so the NetworkPolicy can tell them apart; use 2380 for peers and 2379 for clients'),
  construct('NetworkDaemonSet with an MTU above 9216', () => new NetworkDaemonSet(testChart(), 'agent', { image: IMAGE, mtu: 10000 }),
    'NetworkDaemonSet \'agent\': mtu (10000) must be an integer between 576 and 9216; use 1500, or 9000 for jumbo frames'),
  construct('NetworkDaemonSet with a malformed sysctl', () => new NetworkDaemonSet(testChart(), 'agent', { image: IMAGE, sysctls: { 'net..ipv4': '1' } }),
    'NetworkDaemonSet \'agent\': sysctls ("net..ipv4") is not a valid kernel parameter path (dot-separated segments of lowercase letters, digits, \'_\' or \'-\', under kernel, net, vm, fs, user, dev, abi, debug); use the dotted name `sysctl -a` prints, e.g. "net.ipv4.ip_forward"'),
  construct('AutoscaledService with minReplicas above maxReplicas', () => new AutoscaledService(testChart(), 'api', { image: IMAGE, port: 8080, minReplicas: 10, maxReplicas: 5 }),
    'AutoscaledService \'api\': minReplicas (10) must not exceed maxReplicas (5); raise maxReplicas or lower the minimum'),
  construct('AutoscaledService with canary weights that miss 100', () => new AutoscaledService(testChart(), 'api', { image: IMAGE, port: 8080, maxReplicas: 5, strategy: RolloutStrategy.canary({ stableWeight: 80, canaryWeight: 10 }) }),
    'AutoscaledService \'api\': strategy.canaryWeight (10) and strategy.stableWeight (80) must sum to 100 (they sum to 90); use canaryWeight 20, or e.g. 90 and 10'),
  construct('VeleroSchedule with a four-field cron', () => new VeleroSchedule(testChart(), 'hourly', { schedule: '0 * * *', ttl: Duration.days(7), includedNamespaces: ['api'] }),
    'VeleroSchedule \'hourly\': schedule ("0 * * *") must have 5 fields (minute hour day-of-month month day-of-week), got 4; write e.g. "0 * * * *" (hourly) or "0 2 * * *" (02:00 daily); seconds, years, time zones and @every are not supported'),
  construct('VeleroSchedule whose TTL is shorter than its interval', () => new VeleroSchedule(testChart(), 'daily', { schedule: '0 2 * * *', ttl: Duration.hours(12), includedNamespaces: ['api'] }),
    'VeleroSchedule \'daily\': ttl ("12h0m0s") is shorter than the longest interval between two backups of schedule "0 2 * * *" (24h0m0s), so there would be times with no backup kept; use a ttl of at least 24h0m0s'),
  construct('FederatedApp without members', () => new FederatedApp(testChart(), 'api', { workload: FederatedWorkload.autoscaledService({ image: IMAGE, port: 8080, maxReplicas: 10 }), totalReplicas: 6, members: [] }),
    'FederatedApp \'api\': members is empty; list at least one member with a name and a weight'),
  environment('with two regions sharing a cluster name', { ...production, regions: [production.regions[0], { ...production.regions[1], clusterName: 'prod-use1' }] },
    'environment \'production\' is invalid:\n  - cluster name "prod-use1" is used by two regions; give each cluster its own name'),
  environment('without regions', { ...dev, regions: [] },
    'environment \'dev\' is invalid:\n  - regions is empty; an environment needs at least one region with a cluster'),
  environment('with a zero weight', { ...dev, regions: [{ ...dev.regions[0], weight: 0 }] },
    'environment \'dev\' is invalid:\n  - weight of region us-east-1 (0) is not a positive integer; use 1, 2, 3, …'),
  synthCli('of an unknown environment', ['--env', 'prod'], 2, ['fleetcraft synth: unknown environment "prod"; valid names: dev, staging, production, all']),
  synthCli('with an unknown option', ['--dry-run'], 2,
    ['fleetcraft synth: Unknown option \'--dry-run\'']),
];

describe('bad-input catalogue', () => {
  test('holds at least 30 inputs, every broken fixture among them', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(30);
    const named = CATALOGUE.map((c) => c.name.split(':')[0]);
    for (const f of fs.readdirSync(BROKEN)) expect(named).toContain(f);
  });

  describe.each(CATALOGUE.filter((c) => !c.needsSchemas))('$name', (c) => {
    test('produces exactly its messages and leaves its folder as it was', () => expectCase(c));
  });
});

describeWithSchemas('bad-input catalogue: inputs only the upstream schemas catch', () => {
  describe.each(CATALOGUE.filter((c) => c.needsSchemas))('$name', (c) => {
    test('produces exactly its messages and leaves its folder as it was', () => expectCase(c));
  });
});
