/**
 * The bad-input catalogue: every deliberately broken input, with the exact messages it must produce, and proof that
 * nothing it touches changes. Policy rules, malformed YAML, unknown kinds and the `validate` CLI are here; add
 * construct props and environments as more `BadInput`s (a `run` that returns the thrown error's message, and the
 * output folder a synth would write to as `folder`).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runValidate } from '../../stacks/validate';
import { describeWithSchemas, SCHEMA_DIR } from '../util';

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

/** Runs `fleetcraft validate` and keeps the problem and error lines. */
function cli(args: string[]): Outcome {
  const lines: string[] = [];
  const code = runValidate(args, { log: (l) => lines.push(l), error: (l) => lines.push(l) });
  const noise = (l: string) => /^(warning: (schema checks|no schema folder)|validate (passed|failed):|usage: |\s)/.test(l);
  return { code, messages: lines.filter((l) => !noise(l)) };
}

/** A broken manifest in test/fixtures/broken, validated alone; lines start after the file name. */
function fixture(name: string, file: string, code: number, lines: string[], needsSchemas = false): BadInput {
  const args = needsSchemas ? ['--schemas', SCHEMA_DIR] : ['--no-schemas'];
  return {
    name: `${file}: ${name}`, folder: BROKEN, needsSchemas,
    run: () => cli([`${BROKEN}/${file}`, ...args]),
    expected: { code, messages: lines.map((l) => `${BROKEN}/${file}${l.replace('<dir>', BROKEN)}`) },
  };
}

function schemaFixture(name: string, file: string, code: number, lines: string[]): BadInput {
  return fixture(name, file, code, lines, true);
}

/** A `validate` command line that is wrong; `folder` is a scratch folder it must not touch. */
function usage(name: string, args: (dir: string) => string[], code: number, messages: (dir: string) => string[], files: Record<string, string> = {}): BadInput {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetcraft-catalogue-'));
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  return { name: `validate ${name}`, folder: dir, run: () => cli(args(dir)), expected: { code, messages: messages(dir) } };
}

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
    ':13: error: Deployment autoscaler-replicas/app: spec.replicas: is scaled by HorizontalPodAutoscaler autoscaler-replicas/app but sets spec.replicas (3), so every GitOps sync resets the autoscaler\'s choice; remove the field [reliability/autoscaler-replicas]',
  ]),
  fixture('a privileged DaemonSet that does not record its opt-outs', 'declared-privilege.yaml', 1, [
    ':21: error: DaemonSet declared-privilege/agent: metadata.annotations: its pods need Pod Security level privileged (pss/baseline-host-namespaces, pss/restricted-capabilities) but it declares no reason; make it meet restricted, or annotate it fleetcraft.io/security-opt-outs: "<what it opts out of>: <why>" so audits see the exception [security/declared-privilege]',
  ]),
  fixture('pods in a namespace without a default-deny NetworkPolicy', 'default-deny-missing.yaml', 1, [
    ':2: error: Deployment default-deny-missing/app: namespace default-deny-missing runs pods (Deployment default-deny-missing/app) but no NetworkPolicy there denies all Ingress and Egress traffic by default; add one with podSelector: {}, policyTypes: [Ingress, Egress] and no rules (NamespaceBaseline does), then allow what each workload needs [security/default-deny]',
  ]),
  fixture('the same object twice', 'duplicate.yaml', 1, [
    ':10: error: ConfigMap duplicate/settings: is defined twice (first at <dir>/duplicate.yaml:2); applying both to one cluster keeps only one: remove or rename one, or validate each cluster\'s manifests separately [validate/duplicate]',
  ]),
  fixture('an HPA targeting a Deployment that does not exist', 'hpa-target.yaml', 1, [
    ':60: error: HorizontalPodAutoscaler hpa-target/app: spec.scaleTargetRef: targets Deployment hpa-target/ap, which is not a scalable workload in the set; fix scaleTargetRef.name or add the workload [integrity/autoscaler-target]',
  ]),
  fixture('an image tagged latest', 'image-latest.yaml', 1, [
    ':13: error: Deployment image-latest/app: spec.template.spec.containers[0].image: image "ghcr.io/example/app:latest" uses the mutable tag latest, so two nodes can run different code; pin a version tag or a digest [reliability/image-tag]',
  ]),
  fixture('an image without a tag or digest', 'image-untagged.yaml', 1, [
    ':13: error: Deployment image-untagged/app: spec.template.spec.containers[0].image: image "ghcr.io/example/app" has no tag or digest, so it means :latest and changes under you; pin it, e.g. "ghcr.io/example/app:1.2.3" or "ghcr.io/example/app@sha256:<digest>" [reliability/image-tag]',
  ]),
  fixture('a PDB that blocks every drain at the HPA minimum', 'pdb-blocks-drain.yaml', 1, [
    ':87: error: PodDisruptionBudget pdb-blocks-drain/app: spec.minAvailable: minAvailable 2 allows no voluntary disruption with 2 pod(s) (Deployment pdb-blocks-drain/app at HorizontalPodAutoscaler pdb-blocks-drain/app\'s minimum of 2), so every node drain blocks; use maxUnavailable: 1, or a minAvailable below the minimum pod count [reliability/pdb-disruptions]',
  ]),
  fixture('three replicas without a PodDisruptionBudget', 'pdb-missing.yaml', 1, [
    ':13: error: Deployment pdb-missing/app: runs up to 3 replicas but no PodDisruptionBudget in namespace pdb-missing selects its pods (app.kubernetes.io/name=app); add one so a node drain cannot take them all down at once [reliability/pdb]',
  ]),
  fixture('a PDB selecting no pods', 'pdb-selector.yaml', 1, [
    ':61: error: PodDisruptionBudget pdb-selector/app: spec.selector: selector app.kubernetes.io/name=api matches no pod template in the set (pod labels there: Deployment pdb-selector/app {app.kubernetes.io/name=app}); fix the selector so the budget protects the pods it was written for [integrity/pdb-selector]',
  ]),
  fixture('a long-running container without probes', 'probes-missing.yaml', 1, [
    ':13: error: Deployment probes-missing/app: spec.template.spec.containers[0]: container "app" has no readinessProbe or livenessProbe; add both so traffic only reaches ready pods and a hung process is restarted [reliability/probes]',
  ]),
  fixture('capabilities not dropped under restricted', 'pss-capabilities-restricted.yaml', 1, [
    ':13: error: Deployment pss-capabilities-restricted/app: spec.template.spec.containers[0].securityContext.capabilities.drop: container "app" does not drop ALL capabilities, which Pod Security level restricted forbids (namespace pss-capabilities-restricted is restricted by default: no Namespace object in the set labels it); set securityContext.capabilities.drop: ["ALL"], or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=baseline and annotate it fleetcraft.io/security-opt-outs [pss/restricted-capabilities]',
    ':13: error: Deployment pss-capabilities-restricted/app: metadata.annotations: its pods need Pod Security level baseline (pss/restricted-capabilities) but it declares no reason; make it meet restricted, or annotate it fleetcraft.io/security-opt-outs: "<what it opts out of>: <why>" so audits see the exception [security/declared-privilege]',
  ]),
  fixture('SYS_ADMIN under baseline', 'pss-capabilities.yaml', 1, [
    ':21: error: Deployment pss-capabilities/app: spec.template.spec.containers[0].securityContext.capabilities.add: container "app" adds capabilities SYS_ADMIN, which Pod Security level baseline forbids (namespace pss-capabilities enforces baseline); add only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT (spelled without CAP_), or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=privileged and annotate it fleetcraft.io/security-opt-outs [pss/baseline-capabilities]',
  ]),
  fixture('hostPID under baseline', 'pss-host-namespaces.yaml', 1, [
    ':21: error: Deployment pss-host-namespaces/app: spec.template.spec.hostPID: the pod sets hostPID=true, sharing the node\'s namespaces, which Pod Security level baseline forbids (namespace pss-host-namespaces enforces baseline); remove hostPID, or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=privileged and annotate it fleetcraft.io/security-opt-outs [pss/baseline-host-namespaces]',
  ]),
  fixture('a hostPath volume under baseline', 'pss-host-path.yaml', 1, [
    ':21: error: Deployment pss-host-path/app: spec.template.spec.volumes[0].hostPath: volume "docker" mounts host path /var/run/docker.sock, which Pod Security level baseline forbids (namespace pss-host-path enforces baseline); use an emptyDir, configMap, secret or persistentVolumeClaim volume, or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=privileged and annotate it fleetcraft.io/security-opt-outs [pss/baseline-host-path]',
  ]),
  fixture('a host port under baseline', 'pss-host-ports.yaml', 1, [
    ':21: error: Deployment pss-host-ports/app: spec.template.spec.containers[0].ports[0].hostPort: container "app" binds host port 8080, which Pod Security level baseline forbids (namespace pss-host-ports enforces baseline); remove hostPort and reach the port through a Service, or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=privileged and annotate it fleetcraft.io/security-opt-outs [pss/baseline-host-ports]',
  ]),
  fixture('a Pod Security level that does not exist', 'pss-namespace-level.yaml', 1, [
    ':2: error: Namespace pss-namespace-level: metadata.labels.pod-security.kubernetes.io/enforce: label pod-security.kubernetes.io/enforce="strict" is not a Pod Security level and admission rejects the Namespace; use restricted, baseline or privileged [pss/namespace-level]',
  ]),
  fixture('a Pod Security version not pinned (warning)', 'pss-namespace-unpinned.yaml', 0, [
    ':2: warning: Namespace pss-namespace-unpinned: metadata.labels.pod-security.kubernetes.io/enforce-version: sets pod-security.kubernetes.io/enforce-version=latest, so a cluster upgrade can change what is admitted; pin it to the cluster\'s minor, e.g. pod-security.kubernetes.io/enforce-version=v1.36 [pss/namespace-labels]',
  ]),
  fixture('privilege escalation allowed under restricted', 'pss-privilege-escalation.yaml', 1, [
    ':13: error: Deployment pss-privilege-escalation/app: spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation: container "app" does not set securityContext.allowPrivilegeEscalation=false, which Pod Security level restricted forbids (namespace pss-privilege-escalation is restricted by default: no Namespace object in the set labels it); set it to false, or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=baseline and annotate it fleetcraft.io/security-opt-outs [pss/restricted-privilege-escalation]',
    ':13: error: Deployment pss-privilege-escalation/app: metadata.annotations: its pods need Pod Security level baseline (pss/restricted-privilege-escalation) but it declares no reason; make it meet restricted, or annotate it fleetcraft.io/security-opt-outs: "<what it opts out of>: <why>" so audits see the exception [security/declared-privilege]',
  ]),
  fixture('a privileged container under baseline', 'pss-privileged.yaml', 1, [
    ':21: error: Deployment pss-privileged/app: spec.template.spec.containers[0].securityContext.privileged: container "app" sets securityContext.privileged=true, which Pod Security level baseline forbids (namespace pss-privileged enforces baseline); remove it and add only the capabilities the container needs, or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=privileged and annotate it fleetcraft.io/security-opt-outs [pss/baseline-privileged]',
  ]),
  fixture('root under restricted', 'pss-run-as-root.yaml', 1, [
    ':13: error: Deployment pss-run-as-root/app: spec.template.spec.containers[0].securityContext.runAsNonRoot: container "app" does not set securityContext.runAsNonRoot=true and neither does the pod, which Pod Security level restricted forbids (namespace pss-run-as-root is restricted by default: no Namespace object in the set labels it); set securityContext.runAsNonRoot: true on the pod, with a non-zero runAsUser the image can run as, or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=baseline and annotate it fleetcraft.io/security-opt-outs [pss/restricted-run-as-non-root]',
    ':13: error: Deployment pss-run-as-root/app: spec.template.spec.securityContext.runAsUser: the pod sets securityContext.runAsUser=0, which Pod Security level restricted forbids (namespace pss-run-as-root is restricted by default: no Namespace object in the set labels it); run as a non-zero user, e.g. 65532, or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=baseline and annotate it fleetcraft.io/security-opt-outs [pss/restricted-run-as-user]',
    ':13: error: Deployment pss-run-as-root/app: metadata.annotations: its pods need Pod Security level baseline (pss/restricted-run-as-non-root, pss/restricted-run-as-user) but it declares no reason; make it meet restricted, or annotate it fleetcraft.io/security-opt-outs: "<what it opts out of>: <why>" so audits see the exception [security/declared-privilege]',
  ]),
  fixture('seccomp Unconfined under baseline', 'pss-seccomp-unconfined.yaml', 1, [
    ':21: error: Deployment pss-seccomp-unconfined/app: spec.template.spec.securityContext.seccompProfile.type: the pod sets seccompProfile.type=Unconfined, which Pod Security level baseline forbids (namespace pss-seccomp-unconfined enforces baseline); use RuntimeDefault or Localhost, or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=privileged and annotate it fleetcraft.io/security-opt-outs [pss/baseline-seccomp]',
  ]),
  fixture('an unsafe sysctl under baseline', 'pss-sysctls.yaml', 1, [
    ':21: error: Deployment pss-sysctls/app: spec.template.spec.securityContext.sysctls[0].name: the pod sets sysctl net.core.somaxconn, which Pod Security level baseline forbids (namespace pss-sysctls enforces baseline); tune it on the node instead (pods may set only kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.ip_local_reserved_ports, net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout, net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes, net.ipv4.tcp_rmem, net.ipv4.tcp_wmem), or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=privileged and annotate it fleetcraft.io/security-opt-outs [pss/baseline-sysctls]',
  ]),
  fixture('imagePullPolicy Always (warning)', 'pull-always.yaml', 0, [
    ':13: warning: Deployment pull-always/app: spec.template.spec.containers[0].imagePullPolicy: container "app" sets imagePullPolicy: Always, so every restart depends on the registry; pin the image and use IfNotPresent [reliability/image-pull-policy]',
  ]),
  fixture('no memory limit', 'resources-missing.yaml', 1, [
    ':13: error: Deployment resources-missing/app: spec.template.spec.containers[0].resources: container "app" does not set resources.limits.memory; set CPU and memory requests so the scheduler can place it, and a memory limit so a leak cannot starve the node [reliability/resources]',
  ]),
  fixture('a memory request above its limit', 'resources-over-limit.yaml', 1, [
    ':13: error: Deployment resources-over-limit/app: spec.template.spec.containers[0].resources.requests.memory: container "app" requests 1Gi memory but is limited to 256Mi; the API server rejects a request above its limit: raise the limit or lower the request [reliability/resources]',
  ]),
  schemaFixture('a removed API (policy/v1beta1)', 'schema-removed-api.yaml', 1, [
    ':2: error: PodDisruptionBudget schema-removed-api/old: no schema for apiVersion policy/v1beta1 kind PodDisruptionBudget (removed or unknown API); PodDisruptionBudget is served as policy/v1 [schema]',
    ':2: error: PodDisruptionBudget schema-removed-api/old: spec.selector: selector app.kubernetes.io/name=old matches no pod template in the set (no workload in the set runs in namespace schema-removed-api); fix the selector so the budget protects the pods it was written for [integrity/pdb-selector]',
  ]),
  schemaFixture('a misspelt field (JSON input)', 'schema-unknown-field.json', 1, [
    ':1: error: ConfigMap schema-unknown-field/settings: unknown field "dataa" (not in the schema; check its spelling and placement) [schema]',
  ]),
  schemaFixture('a misspelt kind', 'schema-unknown-kind.yaml', 1, [
    ':2: error: ConfigMapp schema-unknown-kind/settings: no schema for apiVersion v1 kind ConfigMapp (removed or unknown API); is its CRD in the schema folder? [schema]',
  ]),
  fixture('a Secret with literal data', 'secret-data.yaml', 1, [
    ':2: error: Secret secret-data/db-credentials: stringData: carries literal secret values (keys: password, username), which would be committed to Git; deliver them through an ExternalSecret or the Pulumi program instead [security/secret-data]',
  ]),
  fixture('a Service selector matching no pods', 'service-selector.yaml', 1, [
    ':61: error: Service service-selector/app: spec.selector: selector app.kubernetes.io/name=ap matches no pod template in the set (pod labels there: Deployment service-selector/app {app.kubernetes.io/name=app}); fix the selector or the pod labels, or the Service routes to nothing [integrity/service-selector]',
  ]),
  fixture('replicas without spread (warning)', 'spread-missing.yaml', 0, [
    ':13: warning: Deployment spread-missing/app: spec.template.spec: runs up to 2 replicas with no topologySpreadConstraints or podAntiAffinity, so they may all land on one node or zone; spread them across kubernetes.io/hostname and topology.kubernetes.io/zone [reliability/spread]',
  ]),
  fixture('a StatefulSet naming a missing Service', 'statefulset-service.yaml', 1, [
    ':13: error: StatefulSet statefulset-service/db: spec.serviceName: names Service statefulset-service/db-peers, which is not in the set, so its pods get no stable DNS names; add a headless Service (clusterIP: None) with that name [integrity/statefulset-service]',
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
  usage('with an unknown format', (dir) => [dir, '--format', 'yaml'], 2, () => ['fleetcraft validate: unknown format "yaml"; use text or json']),
  usage('with --format and no value', (dir) => [dir, '--format'], 2, () => ['fleetcraft validate: Option \'--format <value>\' argument missing']),
  usage('skipping a rule that does not exist', (dir) => [dir, '--skip', 'security/secrets'], 2,
    () => ['fleetcraft validate: unknown rule "security/secrets" in --skip; list the rules with fleetcraft validate --list-rules']),
  usage('with a schema folder that does not exist', (dir) => [dir, '--schemas', path.join(dir, 'crds')], 2,
    (dir) => [`fleetcraft validate: schema folder ${path.join(dir, 'crds')} does not exist; pass --schemas DIR with the Kubernetes OpenAPI and CRD files`]),
  usage('with --schemas and --no-schemas', (dir) => [dir, '--schemas', dir, '--no-schemas'], 2, () => ['fleetcraft validate: --schemas and --no-schemas exclude each other']),
  usage('with an unknown option', (dir) => [dir, '--strict'], 2,
    () => ['fleetcraft validate: Unknown option \'--strict\'. To specify a positional argument starting with a \'-\', place it at the end of the command after \'--\', as in \'-- "--strict"']),
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
