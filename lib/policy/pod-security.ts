import { PodSecurityLevel } from './pod-security-level';

/**
 * Capabilities the `baseline` level lets a container add.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
 */
export const BASELINE_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP',
  'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
];

/**
 * Sysctls the `baseline` level allows (the upstream v1.32+ set, the one Kubernetes 1.36 enforces).
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
 */
export const SAFE_SYSCTLS: readonly string[] = [
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
];

/**
 * Volume types the `restricted` level allows.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = [
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
];

const SELINUX_TYPES = ['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];
/** Profile types allowed for both seccomp (restricted) and AppArmor (baseline). */
const PROFILE_OK = ['RuntimeDefault', 'Localhost'];
const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** A pod as the checks see it: its spec and (for AppArmor annotations) its metadata. */
export interface PodInput {
  readonly spec: Record<string, unknown>;
  readonly metadata?: Record<string, unknown>;
}

/** One field of a pod that a Pod Security check forbids. */
export interface PodSecurityFinding {
  /** The check's id, e.g. `baseline-privileged` or `restricted-capabilities`. */
  readonly check: string;
  /** The level that forbids it. */
  readonly level: PodSecurityLevel;
  /** Dotted path from the pod object, e.g. `spec.containers[0].securityContext.privileged`. */
  readonly path: string;
  /** What the pod does, e.g. `container "agent" sets securityContext.privileged=true`. */
  readonly detail: string;
  /** How to comply, e.g. `remove it`. */
  readonly fix: string;
}

/**
 * One Pod Security Standards check, matching an upstream `pod-security-admission` check.
 * @see https://github.com/kubernetes/kubernetes/tree/master/staging/src/k8s.io/pod-security-admission/policy
 */
export interface PodSecurityCheck {
  /** Stable id (`baseline-…` / `restricted-…`); the policy rule is `pss/<id>`. */
  readonly id: string;
  /** The lowest level that enforces it (and every stricter level). */
  readonly level: PodSecurityLevel.BASELINE | PodSecurityLevel.RESTRICTED;
  /** One line for the docs. */
  readonly doc: string;
  /** A baseline check this one replaces at `restricted` (upstream's OverrideCheckIDs), so nothing is reported twice. */
  readonly overrides?: string;
  /** Upstream skips this check for Windows pods (`spec.os.name: windows`). */
  readonly skipWindows?: boolean;
  /** Returns every forbidden field of the pod. */
  readonly run: (pod: PodView) => Array<Omit<PodSecurityFinding, 'check' | 'level'>>;
}

type Json = Record<string, unknown>;

/** A pod with its containers (init, regular and ephemeral) listed, as the checks read it. */
interface PodView {
  readonly spec: Json;
  readonly metadata: Json;
  readonly containers: ReadonlyArray<{ readonly c: Json; readonly path: string; readonly who: string }>;
}

function obj(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function view(pod: PodInput): PodView {
  const spec = obj(pod.spec);
  const containers: Array<{ c: Json; path: string; who: string }> = [];
  for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
    list(spec[field]).forEach((raw, i) => {
      const c = obj(raw);
      containers.push({ c, path: `spec.${field}[${i}]`, who: `container "${String(c.name ?? i)}"` });
    });
  }
  return { spec, metadata: obj(pod.metadata), containers };
}

type Found = Array<Omit<PodSecurityFinding, 'check' | 'level'>>;

/** Pod-level then container-level security contexts: `[who, path, securityContext]`. */
function contexts(pod: PodView): Array<[string, string, Json]> {
  const out: Array<[string, string, Json]> = [['the pod', 'spec.securityContext', obj(pod.spec.securityContext)]];
  for (const { c, path, who } of pod.containers) out.push([who, `${path}.securityContext`, obj(c.securityContext)]);
  return out;
}

/**
 * Every check, baseline first: the Pod Security Standards of Kubernetes 1.36 as upstream admission enforces them
 * (`ulimits` and `cgroupOptions`, which 1.37 adds, are not in the 1.36 API and not checked).
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export const POD_SECURITY_CHECKS: readonly PodSecurityCheck[] = [
  {
    id: 'baseline-windows-host-process', level: PodSecurityLevel.BASELINE,
    doc: 'no Windows HostProcess pods or containers',
    run: (pod) => contexts(pod).filter(([, , sc]) => obj(sc.windowsOptions).hostProcess === true).map(([who, path]) => ({
      path: `${path}.windowsOptions.hostProcess`, detail: `${who} sets securityContext.windowsOptions.hostProcess=true`, fix: 'remove it',
    })),
  },
  {
    id: 'baseline-host-namespaces', level: PodSecurityLevel.BASELINE,
    doc: 'no `hostNetwork`, `hostPID` or `hostIPC`',
    run: (pod) => ['hostNetwork', 'hostPID', 'hostIPC'].filter((f) => pod.spec[f] === true).map((f) => ({
      path: `spec.${f}`, detail: `the pod sets ${f}=true, sharing the node's namespaces`, fix: `remove ${f}`,
    })),
  },
  {
    id: 'baseline-privileged', level: PodSecurityLevel.BASELINE,
    doc: 'no privileged containers',
    run: (pod) => pod.containers.filter(({ c }) => obj(c.securityContext).privileged === true).map(({ path, who }) => ({
      path: `${path}.securityContext.privileged`, detail: `${who} sets securityContext.privileged=true`,
      fix: 'remove it and add only the capabilities the container needs',
    })),
  },
  {
    id: 'baseline-capabilities', level: PodSecurityLevel.BASELINE,
    doc: `adds no capabilities beyond ${BASELINE_CAPABILITIES.join(', ')}`,
    run: (pod) => pod.containers.flatMap(({ c, path, who }) => {
      const bad = list(obj(obj(c.securityContext).capabilities).add).map(String).filter((cap) => !BASELINE_CAPABILITIES.includes(cap));
      return bad.length === 0 ? [] : [{
        path: `${path}.securityContext.capabilities.add`, detail: `${who} adds capabilities ${bad.join(', ')}`,
        fix: `add only ${BASELINE_CAPABILITIES.join(', ')} (spelled without CAP_)`,
      }];
    }),
  },
  {
    id: 'baseline-host-path', level: PodSecurityLevel.BASELINE,
    doc: 'no `hostPath` volumes',
    run: (pod) => list(pod.spec.volumes).flatMap((v, i) => (obj(v).hostPath === undefined ? [] : [{
      path: `spec.volumes[${i}].hostPath`, detail: `volume "${String(obj(v).name)}" mounts host path ${String(obj(obj(v).hostPath).path)}`,
      fix: 'use an emptyDir, configMap, secret or persistentVolumeClaim volume',
    }])),
  },
  {
    id: 'baseline-host-ports', level: PodSecurityLevel.BASELINE,
    doc: 'no host ports',
    run: (pod) => pod.containers.flatMap(({ c, path, who }) => list(c.ports).flatMap((p, j) => {
      const hostPort = obj(p).hostPort;
      return hostPort === undefined || hostPort === 0 ? [] : [{
        path: `${path}.ports[${j}].hostPort`, detail: `${who} binds host port ${String(hostPort)}`,
        fix: 'remove hostPort and reach the port through a Service',
      }];
    })),
  },
  {
    id: 'baseline-apparmor', level: PodSecurityLevel.BASELINE,
    doc: 'AppArmor profile `RuntimeDefault` or `Localhost` only (never `Unconfined`)',
    run: (pod) => {
      const out: Found = [];
      for (const [who, path, sc] of contexts(pod)) {
        const type = obj(sc.appArmorProfile).type;
        if (sc.appArmorProfile !== undefined && !PROFILE_OK.includes(String(type))) {
          out.push({ path: `${path}.appArmorProfile.type`, detail: `${who} sets appArmorProfile.type=${String(type)}`, fix: 'use RuntimeDefault or Localhost' });
        }
      }
      for (const [key, value] of Object.entries(obj(pod.metadata.annotations))) {
        const v = String(value);
        if (key.startsWith(APPARMOR_PREFIX) && v !== '' && v !== 'runtime/default' && !v.startsWith('localhost/')) {
          out.push({ path: `metadata.annotations.${key}`, detail: `annotation ${key}=${v}`, fix: 'use runtime/default or localhost/<profile>, or securityContext.appArmorProfile' });
        }
      }
      return out;
    },
  },
  {
    id: 'baseline-selinux', level: PodSecurityLevel.BASELINE,
    doc: 'SELinux type only `container_t`, `container_init_t`, `container_kvm_t` or `container_engine_t`; no custom user or role',
    run: (pod) => contexts(pod).flatMap(([who, path, sc]) => {
      if (sc.seLinuxOptions === undefined) return [];
      const o = obj(sc.seLinuxOptions);
      const out: Found = [];
      if (o.type !== undefined && o.type !== '' && !SELINUX_TYPES.includes(String(o.type))) {
        out.push({ path: `${path}.seLinuxOptions.type`, detail: `${who} sets seLinuxOptions.type=${String(o.type)}`, fix: `use ${SELINUX_TYPES.join(', ')} or leave it unset` });
      }
      for (const f of ['user', 'role']) {
        if (o[f] !== undefined && o[f] !== '') out.push({ path: `${path}.seLinuxOptions.${f}`, detail: `${who} sets seLinuxOptions.${f}=${String(o[f])}`, fix: 'remove it' });
      }
      return out;
    }),
  },
  {
    id: 'baseline-proc-mount', level: PodSecurityLevel.BASELINE,
    doc: '`procMount` `Default` (any value in a user namespace, `hostUsers: false`)',
    run: (pod) => (pod.spec.hostUsers === false ? [] : procMount(pod, 'remove it (Default), or run the pod in a user namespace (hostUsers: false)')),
  },
  {
    id: 'baseline-seccomp', level: PodSecurityLevel.BASELINE,
    doc: 'seccomp profile never `Unconfined`',
    run: (pod) => contexts(pod).filter(([, , sc]) => obj(sc.seccompProfile).type === 'Unconfined').map(([who, path]) => ({
      path: `${path}.seccompProfile.type`, detail: `${who} sets seccompProfile.type=Unconfined`, fix: 'use RuntimeDefault or Localhost',
    })),
  },
  {
    id: 'baseline-sysctls', level: PodSecurityLevel.BASELINE,
    doc: 'only the safe, namespaced sysctls',
    run: (pod) => list(obj(pod.spec.securityContext).sysctls).flatMap((s, i) => {
      const name = String(obj(s).name);
      return SAFE_SYSCTLS.includes(name) ? [] : [{
        path: `spec.securityContext.sysctls[${i}].name`, detail: `the pod sets sysctl ${name}`,
        fix: `tune it on the node instead (pods may set only ${SAFE_SYSCTLS.join(', ')})`,
      }];
    }),
  },
  {
    id: 'baseline-probe-host', level: PodSecurityLevel.BASELINE,
    doc: 'no `host` in probes or lifecycle handlers',
    run: (pod) => pod.containers.flatMap(({ c, path, who }) => {
      const out: Found = [];
      const handlers: Array<[string, unknown]> = [
        ['livenessProbe', c.livenessProbe], ['readinessProbe', c.readinessProbe], ['startupProbe', c.startupProbe],
        ['lifecycle.postStart', obj(c.lifecycle).postStart], ['lifecycle.preStop', obj(c.lifecycle).preStop],
      ];
      for (const [name, handler] of handlers) {
        for (const kind of ['httpGet', 'tcpSocket']) {
          const host = obj(obj(handler)[kind]).host;
          if (host !== undefined && host !== '') {
            out.push({ path: `${path}.${name}.${kind}.host`, detail: `${who} sets ${name}.${kind}.host=${String(host)}`, fix: 'remove host so the handler targets the pod itself' });
          }
        }
      }
      return out;
    }),
  },
  {
    id: 'restricted-volumes', level: PodSecurityLevel.RESTRICTED, overrides: 'baseline-host-path',
    doc: `volumes only of the types ${RESTRICTED_VOLUME_TYPES.join(', ')}`,
    run: (pod) => list(pod.spec.volumes).flatMap((v, i) => {
      const types = Object.keys(obj(v)).filter((k) => k !== 'name');
      // A volume with only a name is an emptyDir: the API server defaults it before admission sees it.
      if (types.length === 0 || types.some((t) => RESTRICTED_VOLUME_TYPES.includes(t))) return [];
      return [{
        path: `spec.volumes[${i}]`, detail: `volume "${String(obj(v).name)}" is of type ${types.join(', ')}`,
        fix: `use ${RESTRICTED_VOLUME_TYPES.join(', ')}`,
      }];
    }),
  },
  {
    id: 'restricted-privilege-escalation', level: PodSecurityLevel.RESTRICTED, skipWindows: true,
    doc: '`allowPrivilegeEscalation: false` on every container, init containers included',
    run: (pod) => pod.containers.filter(({ c }) => obj(c.securityContext).allowPrivilegeEscalation !== false).map(({ path, who }) => ({
      path: `${path}.securityContext.allowPrivilegeEscalation`, detail: `${who} does not set securityContext.allowPrivilegeEscalation=false`, fix: 'set it to false',
    })),
  },
  {
    id: 'restricted-run-as-non-root', level: PodSecurityLevel.RESTRICTED,
    doc: '`runAsNonRoot: true` on the pod or on every container',
    run: (pod) => {
      const podValue = obj(pod.spec.securityContext).runAsNonRoot;
      const fix = 'set securityContext.runAsNonRoot: true on the pod, with a non-zero runAsUser the image can run as';
      const out: Found = podValue === false ? [{ path: 'spec.securityContext.runAsNonRoot', detail: 'the pod sets securityContext.runAsNonRoot=false', fix }] : [];
      const implicit: Found = [];
      for (const { c, path, who } of pod.containers) {
        const value = obj(c.securityContext).runAsNonRoot;
        if (value === false) out.push({ path: `${path}.securityContext.runAsNonRoot`, detail: `${who} sets securityContext.runAsNonRoot=false`, fix });
        else if (value === undefined && podValue !== true) {
          implicit.push({ path: `${path}.securityContext.runAsNonRoot`, detail: `${who} does not set securityContext.runAsNonRoot=true and neither does the pod`, fix });
        }
      }
      // Like upstream: containers that merely inherit are reported only when nothing sets a bad value explicitly.
      return out.length > 0 ? out : implicit;
    },
  },
  {
    id: 'restricted-run-as-user', level: PodSecurityLevel.RESTRICTED,
    doc: 'no `runAsUser: 0`',
    run: (pod) => contexts(pod).filter(([, , sc]) => sc.runAsUser === 0).map(([who, path]) => ({
      path: `${path}.runAsUser`, detail: `${who} sets securityContext.runAsUser=0`, fix: 'run as a non-zero user, e.g. 65532',
    })),
  },
  {
    id: 'restricted-seccomp', level: PodSecurityLevel.RESTRICTED, overrides: 'baseline-seccomp', skipWindows: true,
    doc: 'seccomp profile `RuntimeDefault` or `Localhost` on the pod or on every container',
    run: (pod) => {
      const fix = 'set securityContext.seccompProfile.type: RuntimeDefault on the pod';
      const podProfile = obj(pod.spec.securityContext).seccompProfile;
      const podType = obj(podProfile).type;
      const out: Found = podProfile !== undefined && !PROFILE_OK.includes(String(podType))
        ? [{ path: 'spec.securityContext.seccompProfile.type', detail: `the pod sets seccompProfile.type=${String(podType)}`, fix }] : [];
      const podOk = podProfile !== undefined && PROFILE_OK.includes(String(podType));
      const implicit: Found = [];
      for (const { c, path, who } of pod.containers) {
        const own = obj(c.securityContext).seccompProfile;
        if (own !== undefined) {
          if (!PROFILE_OK.includes(String(obj(own).type))) out.push({ path: `${path}.securityContext.seccompProfile.type`, detail: `${who} sets seccompProfile.type=${String(obj(own).type)}`, fix });
        } else if (!podOk) {
          implicit.push({ path: `${path}.securityContext.seccompProfile`, detail: `${who} has no seccompProfile RuntimeDefault or Localhost and neither does the pod`, fix });
        }
      }
      return out.length > 0 ? out : implicit;
    },
  },
  {
    id: 'restricted-capabilities', level: PodSecurityLevel.RESTRICTED, overrides: 'baseline-capabilities', skipWindows: true,
    doc: 'capabilities drop `ALL` and add at most `NET_BIND_SERVICE`',
    run: (pod) => pod.containers.flatMap(({ c, path, who }) => {
      const caps = obj(obj(c.securityContext).capabilities);
      const out: Found = [];
      if (!list(caps.drop).includes('ALL')) {
        out.push({ path: `${path}.securityContext.capabilities.drop`, detail: `${who} does not drop ALL capabilities`, fix: 'set securityContext.capabilities.drop: ["ALL"]' });
      }
      const bad = list(caps.add).map(String).filter((cap) => cap !== 'NET_BIND_SERVICE');
      if (bad.length > 0) {
        out.push({ path: `${path}.securityContext.capabilities.add`, detail: `${who} adds capabilities ${bad.join(', ')}`, fix: 'add at most NET_BIND_SERVICE' });
      }
      return out;
    }),
  },
  {
    id: 'restricted-proc-mount', level: PodSecurityLevel.RESTRICTED, overrides: 'baseline-proc-mount',
    doc: '`procMount` `Default`, even in a user namespace',
    run: (pod) => procMount(pod, 'remove it (Default)'),
  },
];

function procMount(pod: PodView, fix: string): Found {
  return pod.containers.filter(({ c }) => {
    const v = obj(c.securityContext).procMount;
    return v !== undefined && v !== 'Default';
  }).map(({ c, path, who }) => ({
    path: `${path}.securityContext.procMount`, detail: `${who} sets securityContext.procMount=${String(obj(c.securityContext).procMount)}`, fix,
  }));
}

const ORDER = [PodSecurityLevel.PRIVILEGED, PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED];

/** Whether `level` enforces checks of `checkLevel` (restricted enforces baseline's too). */
function enforces(level: PodSecurityLevel, checkLevel: PodSecurityLevel): boolean {
  return ORDER.indexOf(level) >= ORDER.indexOf(checkLevel);
}

/**
 * The checks a level runs, as upstream runs them: every check of that level and below, except baseline checks a
 * stricter one replaces, and (for Windows pods) the restricted checks upstream skips.
 */
export function podSecurityChecksFor(level: PodSecurityLevel, windows = false): PodSecurityCheck[] {
  const active = POD_SECURITY_CHECKS.filter((c) => enforces(level, c.level) && !(windows && c.skipWindows));
  const replaced = new Set(active.map((c) => c.overrides).filter((id): id is string => id !== undefined));
  return active.filter((c) => !replaced.has(c.id));
}

/**
 * Checks one pod (a Pod's or pod template's `spec` and `metadata`) against a Pod Security Standards level, with
 * the semantics of the upstream `pod-security-admission` checks for Kubernetes 1.36. Returns every forbidden
 * field; none means the level admits the pod.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export function checkPodSecurity(pod: PodInput, level: PodSecurityLevel): PodSecurityFinding[] {
  const v = view(pod);
  const windows = obj(v.spec.os).name === 'windows';
  return podSecurityChecksFor(level, windows).flatMap((check) =>
    check.run(v).map((f) => ({ check: check.id, level: check.level, ...f })));
}

/**
 * The least permissive Pod Security level that admits the pod: `restricted`, `baseline` or `privileged` (what the
 * namespace of a workload must enforce, at most).
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export function requiredPodSecurityLevel(pod: PodInput): PodSecurityLevel {
  if (checkPodSecurity(pod, PodSecurityLevel.RESTRICTED).length === 0) return PodSecurityLevel.RESTRICTED;
  if (checkPodSecurity(pod, PodSecurityLevel.BASELINE).length === 0) return PodSecurityLevel.BASELINE;
  return PodSecurityLevel.PRIVILEGED;
}
