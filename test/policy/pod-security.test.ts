import { PodSecurityLevel } from '../../lib/policy/pod-security-level';
import { checkPodSecurity, POD_SECURITY_CHECKS, podSecurityChecksFor, PodInput, requiredPodSecurityLevel } from '../../lib/policy/pod-security';

type Json = Record<string, unknown>;

/** A pod that meets `restricted`: the starting point every case changes one thing in. */
function restrictedPod(): { spec: Json; metadata: Json } {
  return {
    metadata: { labels: { app: 'x' } },
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'app', image: 'ghcr.io/example/app:1.0.0',
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      }],
    },
  };
}

const containerSc = (pod: { spec: Json }): Json => ((pod.spec.containers as Json[])[0].securityContext as Json);
const podSc = (pod: { spec: Json }): Json => pod.spec.securityContext as Json;

const lines = (pod: PodInput, level: PodSecurityLevel): string[] =>
  checkPodSecurity(pod, level).map((f) => `${f.check} ${f.path}: ${f.detail}; ${f.fix}`);

interface Case {
  readonly check: string;
  /** A change that still passes the check (an edge it must accept). */
  readonly pass: (pod: { spec: Json; metadata: Json }) => void;
  /** A change that fails it. */
  readonly fail: (pod: { spec: Json; metadata: Json }) => void;
  /** Every line the failing pod produces. */
  readonly expected: string[];
}

const BASELINE_CASES: Case[] = [
  {
    check: 'baseline-windows-host-process',
    pass: (p) => { podSc(p).windowsOptions = { hostProcess: false }; },
    fail: (p) => { containerSc(p).windowsOptions = { hostProcess: true }; },
    expected: ['baseline-windows-host-process spec.containers[0].securityContext.windowsOptions.hostProcess: container "app" sets securityContext.windowsOptions.hostProcess=true; remove it'],
  },
  {
    check: 'baseline-host-namespaces',
    pass: (p) => { p.spec.hostNetwork = false; },
    fail: (p) => { p.spec.hostIPC = true; },
    expected: ['baseline-host-namespaces spec.hostIPC: the pod sets hostIPC=true, sharing the node\'s namespaces; remove hostIPC'],
  },
  {
    check: 'baseline-privileged',
    pass: (p) => { containerSc(p).privileged = false; },
    fail: (p) => { containerSc(p).privileged = true; },
    expected: ['baseline-privileged spec.containers[0].securityContext.privileged: container "app" sets securityContext.privileged=true; remove it and add only the capabilities the container needs'],
  },
  {
    check: 'baseline-capabilities',
    pass: (p) => { containerSc(p).capabilities = { add: ['CHOWN', 'NET_BIND_SERVICE', 'SYS_CHROOT'] }; },
    fail: (p) => { containerSc(p).capabilities = { add: ['CAP_CHOWN', 'NET_ADMIN'] }; },
    expected: ['baseline-capabilities spec.containers[0].securityContext.capabilities.add: container "app" adds capabilities CAP_CHOWN, NET_ADMIN; add only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT (spelled without CAP_)'],
  },
  {
    check: 'baseline-host-path',
    pass: (p) => { p.spec.volumes = [{ name: 'nfs', nfs: { server: 'nfs', path: '/' } }]; },
    fail: (p) => { p.spec.volumes = [{ name: 'logs', hostPath: { path: '/var/log' } }]; },
    expected: ['baseline-host-path spec.volumes[0].hostPath: volume "logs" mounts host path /var/log; use an emptyDir, configMap, secret or persistentVolumeClaim volume'],
  },
  {
    check: 'baseline-host-ports',
    pass: (p) => { (p.spec.containers as Json[])[0].ports = [{ containerPort: 80, hostPort: 0 }]; },
    fail: (p) => { (p.spec.containers as Json[])[0].ports = [{ containerPort: 80 }, { containerPort: 81, hostPort: 81 }]; },
    expected: ['baseline-host-ports spec.containers[0].ports[1].hostPort: container "app" binds host port 81; remove hostPort and reach the port through a Service'],
  },
  {
    check: 'baseline-apparmor',
    pass: (p) => {
      podSc(p).appArmorProfile = { type: 'RuntimeDefault' };
      containerSc(p).appArmorProfile = { type: 'Localhost', localhostProfile: 'k8s-app' };
      p.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'localhost/k8s-app' };
    },
    fail: (p) => {
      containerSc(p).appArmorProfile = { type: 'Unconfined' };
      p.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' };
    },
    expected: [
      'baseline-apparmor spec.containers[0].securityContext.appArmorProfile.type: container "app" sets appArmorProfile.type=Unconfined; use RuntimeDefault or Localhost',
      'baseline-apparmor metadata.annotations.container.apparmor.security.beta.kubernetes.io/app: annotation container.apparmor.security.beta.kubernetes.io/app=unconfined; use runtime/default or localhost/<profile>, or securityContext.appArmorProfile',
    ],
  },
  {
    check: 'baseline-selinux',
    pass: (p) => { podSc(p).seLinuxOptions = { type: 'container_engine_t', level: 's0:c123,c456' }; },
    fail: (p) => { containerSc(p).seLinuxOptions = { type: 'spc_t', user: 'system_u' }; },
    expected: [
      'baseline-selinux spec.containers[0].securityContext.seLinuxOptions.type: container "app" sets seLinuxOptions.type=spc_t; use container_t, container_init_t, container_kvm_t, container_engine_t or leave it unset',
      'baseline-selinux spec.containers[0].securityContext.seLinuxOptions.user: container "app" sets seLinuxOptions.user=system_u; remove it',
    ],
  },
  {
    check: 'baseline-proc-mount',
    pass: (p) => { containerSc(p).procMount = 'Unmasked'; p.spec.hostUsers = false; },
    fail: (p) => { containerSc(p).procMount = 'Unmasked'; },
    expected: ['baseline-proc-mount spec.containers[0].securityContext.procMount: container "app" sets securityContext.procMount=Unmasked; remove it (Default), or run the pod in a user namespace (hostUsers: false)'],
  },
  {
    check: 'baseline-seccomp',
    pass: (p) => { delete podSc(p).seccompProfile; },
    fail: (p) => { containerSc(p).seccompProfile = { type: 'Unconfined' }; },
    expected: ['baseline-seccomp spec.containers[0].securityContext.seccompProfile.type: container "app" sets seccompProfile.type=Unconfined; use RuntimeDefault or Localhost'],
  },
  {
    check: 'baseline-sysctls',
    pass: (p) => { podSc(p).sysctls = [{ name: 'net.ipv4.tcp_keepalive_time', value: '60' }, { name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }]; },
    fail: (p) => { podSc(p).sysctls = [{ name: 'net.ipv4.ip_forward', value: '1' }]; },
    expected: ['baseline-sysctls spec.securityContext.sysctls[0].name: the pod sets sysctl net.ipv4.ip_forward; tune it on the node instead (pods may set only kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.ip_local_reserved_ports, net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout, net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes, net.ipv4.tcp_rmem, net.ipv4.tcp_wmem)'],
  },
  {
    check: 'baseline-probe-host',
    pass: (p) => { (p.spec.containers as Json[])[0].readinessProbe = { httpGet: { path: '/', port: 80, host: '' } }; },
    fail: (p) => {
      const c = (p.spec.containers as Json[])[0];
      c.livenessProbe = { tcpSocket: { port: 80, host: '10.0.0.1' } };
      c.lifecycle = { preStop: { httpGet: { path: '/drain', port: 80, host: 'metadata.internal' } } };
    },
    expected: [
      'baseline-probe-host spec.containers[0].livenessProbe.tcpSocket.host: container "app" sets livenessProbe.tcpSocket.host=10.0.0.1; remove host so the handler targets the pod itself',
      'baseline-probe-host spec.containers[0].lifecycle.preStop.httpGet.host: container "app" sets lifecycle.preStop.httpGet.host=metadata.internal; remove host so the handler targets the pod itself',
    ],
  },
];

const RESTRICTED_CASES: Case[] = [
  {
    check: 'restricted-volumes',
    pass: (p) => {
      p.spec.volumes = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'].map((t, i) => ({ name: `v${i}`, [t]: {} }));
    },
    fail: (p) => { p.spec.volumes = [{ name: 'shared', nfs: { server: 'nfs', path: '/' } }]; },
    expected: ['restricted-volumes spec.volumes[0]: volume "shared" is of type nfs; use configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret'],
  },
  {
    check: 'restricted-privilege-escalation',
    pass: (p) => { p.spec.initContainers = [{ name: 'init', image: 'x:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }]; },
    fail: (p) => { p.spec.initContainers = [{ name: 'init', image: 'x:1', securityContext: { capabilities: { drop: ['ALL'] } } }]; },
    expected: ['restricted-privilege-escalation spec.initContainers[0].securityContext.allowPrivilegeEscalation: container "init" does not set securityContext.allowPrivilegeEscalation=false; set it to false'],
  },
  {
    check: 'restricted-run-as-non-root',
    pass: (p) => { delete podSc(p).runAsNonRoot; containerSc(p).runAsNonRoot = true; },
    fail: (p) => { delete podSc(p).runAsNonRoot; },
    expected: ['restricted-run-as-non-root spec.containers[0].securityContext.runAsNonRoot: container "app" does not set securityContext.runAsNonRoot=true and neither does the pod; set securityContext.runAsNonRoot: true on the pod, with a non-zero runAsUser the image can run as'],
  },
  {
    check: 'restricted-run-as-user',
    pass: (p) => { containerSc(p).runAsUser = 1000; },
    fail: (p) => { containerSc(p).runAsUser = 0; },
    expected: ['restricted-run-as-user spec.containers[0].securityContext.runAsUser: container "app" sets securityContext.runAsUser=0; run as a non-zero user, e.g. 65532'],
  },
  {
    check: 'restricted-seccomp',
    pass: (p) => { delete podSc(p).seccompProfile; containerSc(p).seccompProfile = { type: 'Localhost', localhostProfile: 'profiles/app.json' }; },
    fail: (p) => { delete podSc(p).seccompProfile; },
    expected: ['restricted-seccomp spec.containers[0].securityContext.seccompProfile: container "app" has no seccompProfile RuntimeDefault or Localhost and neither does the pod; set securityContext.seccompProfile.type: RuntimeDefault on the pod'],
  },
  {
    check: 'restricted-capabilities',
    pass: (p) => { containerSc(p).capabilities = { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }; },
    fail: (p) => { containerSc(p).capabilities = { drop: ['NET_RAW'], add: ['CHOWN'] }; },
    expected: [
      'restricted-capabilities spec.containers[0].securityContext.capabilities.drop: container "app" does not drop ALL capabilities; set securityContext.capabilities.drop: ["ALL"]',
      'restricted-capabilities spec.containers[0].securityContext.capabilities.add: container "app" adds capabilities CHOWN; add at most NET_BIND_SERVICE',
    ],
  },
  {
    check: 'restricted-proc-mount',
    pass: (p) => { containerSc(p).procMount = 'Default'; },
    fail: (p) => { containerSc(p).procMount = 'Unmasked'; p.spec.hostUsers = false; },
    expected: ['restricted-proc-mount spec.containers[0].securityContext.procMount: container "app" sets securityContext.procMount=Unmasked; remove it (Default)'],
  },
];

describe('checkPodSecurity', () => {
  test('every check has a case here', () => {
    expect([...BASELINE_CASES, ...RESTRICTED_CASES].map((c) => c.check).sort()).toEqual(POD_SECURITY_CHECKS.map((c) => c.id).sort());
  });

  test('the restricted pod passes every level', () => {
    for (const level of Object.values(PodSecurityLevel)) expect(lines(restrictedPod(), level)).toEqual([]);
  });

  describe.each(BASELINE_CASES)('$check (baseline)', (c) => {
    test('passes', () => {
      const pod = restrictedPod();
      c.pass(pod);
      expect(lines(pod, PodSecurityLevel.BASELINE)).toEqual([]);
    });
    test('fails with its message', () => {
      const pod = restrictedPod();
      c.fail(pod);
      expect(lines(pod, PodSecurityLevel.BASELINE)).toEqual(c.expected);
      expect(lines(pod, PodSecurityLevel.PRIVILEGED)).toEqual([]);
    });
  });

  describe.each(RESTRICTED_CASES)('$check (restricted)', (c) => {
    test('passes', () => {
      const pod = restrictedPod();
      c.pass(pod);
      expect(lines(pod, PodSecurityLevel.RESTRICTED)).toEqual([]);
    });
    test('fails with its message, and baseline admits it', () => {
      const pod = restrictedPod();
      c.fail(pod);
      expect(lines(pod, PodSecurityLevel.RESTRICTED)).toEqual(c.expected);
      expect(lines(pod, PodSecurityLevel.BASELINE)).toEqual([]);
    });
  });

  test('init and ephemeral containers are checked too', () => {
    const pod = restrictedPod();
    pod.spec.ephemeralContainers = [{ name: 'debug', image: 'busybox:1', securityContext: { privileged: true } }];
    expect(lines(pod, PodSecurityLevel.BASELINE)).toEqual([
      'baseline-privileged spec.ephemeralContainers[0].securityContext.privileged: container "debug" sets securityContext.privileged=true; remove it and add only the capabilities the container needs',
    ]);
  });

  test('at restricted, a stricter check replaces its baseline one (reported once)', () => {
    const pod = restrictedPod();
    pod.spec.volumes = [{ name: 'logs', hostPath: { path: '/var/log' } }];
    containerSc(pod).capabilities = { drop: ['ALL'], add: ['SYS_ADMIN'] };
    containerSc(pod).seccompProfile = { type: 'Unconfined' };
    expect(checkPodSecurity(pod, PodSecurityLevel.RESTRICTED).map((f) => f.check)).toEqual(['restricted-volumes', 'restricted-seccomp', 'restricted-capabilities']);
    expect(checkPodSecurity(pod, PodSecurityLevel.BASELINE).map((f) => f.check)).toEqual(['baseline-capabilities', 'baseline-host-path', 'baseline-seccomp']);
  });

  test('Windows pods skip the checks upstream skips, and keep the baseline ones those replace', () => {
    const pod = restrictedPod();
    pod.spec.os = { name: 'windows' };
    containerSc(pod).capabilities = { add: ['SYS_ADMIN'] };
    delete containerSc(pod).allowPrivilegeEscalation;
    delete podSc(pod).seccompProfile;
    expect(checkPodSecurity(pod, PodSecurityLevel.RESTRICTED).map((f) => f.check)).toEqual(['baseline-capabilities']);
  });

  test('like upstream, containers that only inherit a bad pod setting are reported when nothing sets one explicitly', () => {
    const pod = restrictedPod();
    podSc(pod).runAsNonRoot = false;
    expect(lines(pod, PodSecurityLevel.RESTRICTED)).toEqual([
      'restricted-run-as-non-root spec.securityContext.runAsNonRoot: the pod sets securityContext.runAsNonRoot=false; set securityContext.runAsNonRoot: true on the pod, with a non-zero runAsUser the image can run as',
    ]);
    podSc(pod).seccompProfile = { type: 'Unconfined' };
    expect(checkPodSecurity(pod, PodSecurityLevel.RESTRICTED).filter((f) => f.check === 'restricted-seccomp').map((f) => f.path)).toEqual(['spec.securityContext.seccompProfile.type']);
  });

  test('the privileged level runs no check', () => {
    expect(podSecurityChecksFor(PodSecurityLevel.PRIVILEGED)).toEqual([]);
  });
});

describe('requiredPodSecurityLevel', () => {
  test('a restricted pod needs restricted', () => {
    expect(requiredPodSecurityLevel(restrictedPod())).toBe(PodSecurityLevel.RESTRICTED);
  });

  test('a baseline capability needs baseline', () => {
    const pod = restrictedPod();
    containerSc(pod).capabilities = { drop: ['ALL'], add: ['CHOWN'] };
    expect(requiredPodSecurityLevel(pod)).toBe(PodSecurityLevel.BASELINE);
  });

  test('host networking needs privileged', () => {
    const pod = restrictedPod();
    pod.spec.hostNetwork = true;
    expect(requiredPodSecurityLevel(pod)).toBe(PodSecurityLevel.PRIVILEGED);
  });
});
