import { dnsLabelError, dnsSubdomainError, labelValueError, portNameError, qualifiedNameError } from '../private/names';
import { describeObject, KubeObject, Violation } from './objects';
import { podTemplateOf } from './workloads';

type Json = Record<string, unknown>;

/** Kinds whose names the API server validates as DNS-1123 labels rather than subdomains. */
const LABEL_NAMED_KINDS = new Set(['Namespace', 'Service']);
/** Kinds whose names are path segments (anything but '/', '%', '.' and '..'). */
const PATH_NAMED_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

/**
 * Checks what the API server enforces beyond a schema: object, namespace, label and annotation names; that a
 * workload's selector matches its pod template; that volume mounts name a volume; container and port names.
 */
export function checkApiRules(obj: KubeObject): Violation[] {
  const out: Violation[] = [];
  const object = describeObject(obj);
  const add = (path: string, message: string, rule: string): void => {
    out.push({ rule: `api/${rule}`, severity: 'error', object, path, message });
  };
  checkMetadata(obj, add);
  const spec = asObject(obj.spec);
  if (!spec) return out;
  // KubeFed templates are validated by the member clusters' API servers, when they are propagated there.
  const pod = podTemplateOf(obj);
  if (pod?.workload.local) {
    if (pod.selector) checkSelector(pod.selector, pod.labels, pod.path, add);
    checkPodSpec(pod.spec, pod.path ? `${pod.path}.spec` : 'spec', obj.kind === 'StatefulSet' ? claimNames(spec) : [], add);
  }
  if (obj.kind === 'Service') checkServicePorts(spec, add);
  return out;
}

type Add = (path: string, message: string, rule: string) => void;

function checkMetadata(obj: KubeObject, add: Add): void {
  const meta = obj.metadata;
  if (!meta || (meta.name === undefined && meta.generateName === undefined)) {
    add('metadata.name', 'every object needs metadata.name', 'name');
    return;
  }
  if (meta.name !== undefined) {
    const name = String(meta.name);
    let error: string | undefined;
    if (PATH_NAMED_KINDS.has(obj.kind)) {
      error = name === '.' || name === '..' || /[/%]/.test(name) || name === '' ? 'must not be "." or ".." nor contain "/" or "%"' : undefined;
    } else if (LABEL_NAMED_KINDS.has(obj.kind)) {
      error = dnsLabelError(name);
    } else {
      error = dnsSubdomainError(name);
    }
    if (error) add('metadata.name', `name "${name}" ${error}`, 'name');
  }
  if (meta.namespace !== undefined) {
    const error = dnsLabelError(String(meta.namespace));
    if (error) add('metadata.namespace', `namespace "${String(meta.namespace)}" ${error}`, 'name');
  }
  for (const [key, value] of Object.entries(asObject(meta.labels) ?? {})) {
    const keyError = qualifiedNameError(key);
    if (keyError) add(`metadata.labels.${key}`, `label key "${key}" ${keyError}`, 'label');
    const valueError = labelValueError(String(value));
    if (valueError) add(`metadata.labels.${key}`, `label value "${String(value)}" ${valueError}`, 'label');
  }
  for (const key of Object.keys(asObject(meta.annotations) ?? {})) {
    const keyError = qualifiedNameError(key);
    if (keyError) add(`metadata.annotations.${key}`, `annotation key "${key}" ${keyError}`, 'label');
  }
}

function checkSelector(selector: Json, labels: Record<string, string>, path: string, add: Add): void {
  const matchLabels = (asObject(selector.matchLabels) ?? {}) as Record<string, string>;
  const expressions = (Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) as Json[];
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) {
    add('spec.selector', 'selector is empty; it must select the pod template\'s labels', 'selector-matches-template');
    return;
  }
  for (const [key, value] of Object.entries(matchLabels)) {
    if (labels[key] !== value) {
      add('spec.selector.matchLabels', `selector ${key}=${value} does not match the template label ${key}=${labels[key] ?? '<unset>'} at ${path}.metadata.labels; make them equal`, 'selector-matches-template');
    }
  }
  for (const e of expressions) {
    const key = String(e.key);
    const values = (Array.isArray(e.values) ? e.values : []).map(String);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const ok = e.operator === 'In' ? has && values.includes(labels[key])
      : e.operator === 'NotIn' ? !has || !values.includes(labels[key])
        : e.operator === 'Exists' ? has
          : e.operator === 'DoesNotExist' ? !has : false;
    if (!ok) add('spec.selector.matchExpressions', `selector expression ${key} ${String(e.operator)} ${JSON.stringify(values)} does not match the template labels at ${path}.metadata.labels`, 'selector-matches-template');
  }
}

function claimNames(spec: Json): string[] {
  const templates = Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : [];
  return templates.map((t) => String(asObject(asObject(t)?.metadata)?.name ?? '')).filter((n) => n !== '');
}

function checkPodSpec(podSpec: Json, path: string, claims: string[], add: Add): void {
  const volumes = (Array.isArray(podSpec.volumes) ? podSpec.volumes : []).map((v) => String(asObject(v)?.name ?? ''));
  const volumeSet = new Set([...volumes, ...claims]);
  const seenVolumes = new Set<string>();
  volumes.forEach((name, i) => {
    const error = dnsLabelError(name);
    if (error) add(`${path}.volumes[${i}].name`, `volume name "${name}" ${error}`, 'volume-name');
    if (seenVolumes.has(name)) add(`${path}.volumes[${i}].name`, `volume name "${name}" is used twice; names must be unique`, 'volume-name');
    seenVolumes.add(name);
  });
  const containerNames = new Set<string>();
  for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
    const containers = Array.isArray(podSpec[field]) ? (podSpec[field] as unknown[]) : [];
    containers.forEach((raw, i) => {
      const c = asObject(raw) ?? {};
      const cpath = `${path}.${field}[${i}]`;
      const name = String(c.name ?? '');
      const nameError = dnsLabelError(name);
      if (nameError) add(`${cpath}.name`, `container name "${name}" ${nameError}`, 'container-name');
      if (containerNames.has(name)) add(`${cpath}.name`, `container name "${name}" is used twice in the pod; names must be unique`, 'container-name');
      containerNames.add(name);
      const mounts = Array.isArray(c.volumeMounts) ? c.volumeMounts : [];
      mounts.forEach((m, j) => {
        const mount = String(asObject(m)?.name ?? '');
        if (!volumeSet.has(mount)) {
          const known = [...volumeSet].sort().join(', ') || 'none';
          add(`${cpath}.volumeMounts[${j}].name`, `mounts volume "${mount}", which the pod does not define (volumes: ${known}); add the volume or fix the name`, 'volume-mount');
        }
      });
      const portNames = new Set<string>();
      const ports = Array.isArray(c.ports) ? c.ports : [];
      ports.forEach((p, j) => {
        const portName = asObject(p)?.name;
        if (portName === undefined) return;
        const error = portNameError(String(portName));
        if (error) add(`${cpath}.ports[${j}].name`, `port name "${String(portName)}" ${error}`, 'port-name');
        if (portNames.has(String(portName))) add(`${cpath}.ports[${j}].name`, `port name "${String(portName)}" is used twice in the container`, 'port-name');
        portNames.add(String(portName));
      });
    });
  }
}

function checkServicePorts(spec: Json, add: Add): void {
  const ports = (Array.isArray(spec.ports) ? spec.ports : []).map((p) => asObject(p) ?? {});
  const names = new Set<string>();
  ports.forEach((p, i) => {
    if (p.name === undefined) {
      if (ports.length > 1) add(`spec.ports[${i}].name`, 'every port of a multi-port Service needs a name', 'port-name');
      return;
    }
    const name = String(p.name);
    const error = dnsLabelError(name);
    if (error) add(`spec.ports[${i}].name`, `port name "${name}" ${error}`, 'port-name');
    if (names.has(name)) add(`spec.ports[${i}].name`, `port name "${name}" is used twice in the Service`, 'port-name');
    names.add(name);
    if (typeof p.targetPort === 'string') {
      const targetError = portNameError(p.targetPort);
      if (targetError) add(`spec.ports[${i}].targetPort`, `named target port "${p.targetPort}" ${targetError}`, 'port-name');
    }
  });
}

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}
