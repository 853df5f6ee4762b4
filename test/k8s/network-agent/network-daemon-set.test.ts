import { Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { NamespaceBaseline } from '../../../lib/k8s/namespace-baseline';
import { PodSecurityLevel } from '../../../lib/policy/pod-security-level';
import {
  CapabilityName, LinuxCapability, NetworkDaemonSet, NetworkDaemonSetProps, SECURITY_OPT_OUTS_ANNOTATION, STARTUP_TAINT_ENV,
} from '../../../lib/k8s/network-agent';
import { NETWORK_NOT_READY_TAINT } from '../../../lib/k8s/network-agent';
import { KubeObject } from '../../../lib/policy/objects';
import { field, findAll, findObject, synth, testApp, testChart } from '../../util';

type Json = Record<string, unknown>;
const IMAGE = 'ghcr.io/acme/net-agent:1.4.2';
const HEALTH = [{ name: 'health', number: 9879 }];

const build = (props: Partial<NetworkDaemonSetProps> = {}, chart: Chart = testChart()) => {
  const agent = new NetworkDaemonSet(chart, 'net-agent', { image: IMAGE, ports: HEALTH, ...props });
  return { agent, objects: synth(chart) };
};
const ds = (objects: KubeObject[], name = 'net-agent') => findObject(objects, 'DaemonSet', name);
const pod = (objects: KubeObject[]) => field(ds(objects), 'spec.template.spec') as Json;
const agentContainer = (objects: KubeObject[]) => (pod(objects).containers as Json[]).find((c) => c.name === 'agent') as Json;
const initContainers = (objects: KubeObject[]) => (pod(objects).initContainers ?? []) as Json[];
const tuning = (objects: KubeObject[]) => initContainers(objects).find((c) => c.name === 'kernel-tuning') as Json;
const script = (objects: KubeObject[]) => (tuning(objects).command as string[])[2];
/** The exact message a refusal throws, built from the rule's parts. */
const expectRefusal = (props: Partial<NetworkDaemonSetProps>, message: string, chart?: Chart) => {
  expect(() => new NetworkDaemonSet(chart ?? testChart(), 'net-agent', { image: IMAGE, ports: HEALTH, ...props })).toThrow(message);
};

describe('NetworkDaemonSet', () => {
  describe('defaults', () => {
    const { agent, objects } = build();
    const spec = pod(objects);
    const main = agentContainer(objects);

    test('emits exactly a DaemonSet and its ServiceAccount, both named after the construct id', () => {
      expect(agent.name).toBe('net-agent');
      expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`).sort()).toEqual(['DaemonSet/net-agent', 'ServiceAccount/net-agent']);
      expect(spec.serviceAccountName).toBe('net-agent');
    });

    test('namespace defaults to none (the chart\'s)', () => {
      expect(ds(objects).metadata?.namespace).toBeUndefined();
      expect(findObject(objects, 'ServiceAccount', 'net-agent').metadata?.namespace).toBeUndefined();
    });

    test('hostNetwork defaults to true, with ClusterFirstWithHostNet DNS', () => {
      expect(spec.hostNetwork).toBe(true);
      expect(spec.dnsPolicy).toBe('ClusterFirstWithHostNet');
    });

    test('a port defaults to TCP, and with host networking its host port is its number', () => {
      expect(main.ports).toEqual([{ name: 'health', containerPort: 9879, hostPort: 9879, protocol: 'TCP' }]);
    });

    test('sysctls default to none and mtu to unchanged: no init container, no pod sysctls', () => {
      expect(spec.initContainers).toBeUndefined();
      expect(field(spec, 'securityContext.sysctls')).toBeUndefined();
    });

    test('capabilities default to none: ALL dropped, nothing added, non-root', () => {
      expect(agent.capabilities).toEqual([]);
      expect(main.securityContext).toEqual({
        allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true,
        runAsGroup: 65532, runAsNonRoot: true, runAsUser: 65532,
      });
    });

    test('privileged defaults to false', () => {
      expect(field(main, 'securityContext.privileged')).toBe(false);
    });

    test('the pod is non-root with RuntimeDefault seccomp', () => {
      expect(spec.securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } }));
    });

    test('hostPaths default to none: no volumes', () => {
      expect(spec.volumes).toBeUndefined();
      expect(main.volumeMounts).toBeUndefined();
    });

    test('tolerateAllTaints defaults to true, beside the startup taint; tolerations default to none', () => {
      expect(spec.tolerations).toEqual([
        { key: NETWORK_NOT_READY_TAINT.key, operator: 'Exists', effect: NETWORK_NOT_READY_TAINT.effect },
        { operator: 'Exists' },
      ]);
    });

    test('nodeSelector defaults to kubernetes.io/os: linux only', () => {
      expect(spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    });

    test('priorityClassName defaults to system-node-critical', () => {
      expect(spec.priorityClassName).toBe('system-node-critical');
    });

    test('maxUnavailable defaults to 1, without surge', () => {
      expect(field(ds(objects), 'spec.updateStrategy')).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    });

    test('resources default to 100m/128Mi requests and a 512Mi memory limit, no CPU limit', () => {
      expect(main.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } });
    });

    test('readiness and liveness default to a TCP check on the first port', () => {
      expect(field(main, 'readinessProbe.tcpSocket')).toEqual({ port: 9879 });
      expect(field(main, 'livenessProbe.tcpSocket')).toEqual({ port: 9879 });
    });

    test('removeStartupTaint defaults to false: no token anywhere, no RBAC, no taint variable', () => {
      expect(findObject(objects, 'ServiceAccount', 'net-agent').automountServiceAccountToken).toBe(false);
      expect(spec.automountServiceAccountToken).toBe(false);
      expect(findAll(objects, 'ClusterRole')).toEqual([]);
      expect(findAll(objects, 'ClusterRoleBinding')).toEqual([]);
      expect(agent.clusterRole).toBeUndefined();
      expect((main.env as Json[]).map((e) => e.name)).not.toContain(STARTUP_TAINT_ENV);
    });

    test('command and args default to the image\'s; env to NODE_NAME only', () => {
      expect(main.command).toBeUndefined();
      expect(main.args).toBeUndefined();
      expect(main.env).toEqual([{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }]);
    });

    test('the image is pulled IfNotPresent', () => {
      expect(main.image).toBe(IMAGE);
      expect(main.imagePullPolicy).toBe('IfNotPresent');
    });

    test('partOf defaults to no label; metadata to none (only the opt-out record)', () => {
      const labels = ds(objects).metadata?.labels ?? {};
      expect(labels['app.kubernetes.io/part-of']).toBeUndefined();
      expect(labels['app.kubernetes.io/managed-by']).toBe('fleetcraft');
      expect(ds(objects).metadata?.annotations).toEqual({ [SECURITY_OPT_OUTS_ANNOTATION]: 'hostNetwork' });
    });

    test('selects its pods by the stable labels, without the cdk8s address label', () => {
      expect(field(ds(objects), 'spec.selector')).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'net-agent', 'app.kubernetes.io/instance': 'net-agent' } });
      expect(Object.keys(field(ds(objects), 'spec.template.metadata.labels') as Json)).not.toContain('cdk8s.io/metadata.addr');
    });

    test('reports privileged, because of host networking', () => {
      expect(agent.podSecurityLevel).toBe(PodSecurityLevel.PRIVILEGED);
    });
  });

  describe('the seed\'s settings: BBR, IP forwarding, MTU 9000, NET_ADMIN', () => {
    const { agent, objects } = build({
      sysctls: { 'net.ipv4.tcp_congestion_control': 'bbr', 'net.core.default_qdisc': 'fq', 'net.ipv4.ip_forward': '1' },
      mtu: 9000,
      capabilities: [LinuxCapability.NET_ADMIN],
    });

    test('the kernel-tuning init step writes each sysctl, then the MTU of the default route\'s interface', () => {
      expect(initContainers(objects).map((c) => c.name)).toEqual(['kernel-tuning']);
      expect(script(objects)).toBe([
        'set -eu',
        'printf \'%s\\n\' \'bbr\' > \'/proc/sys/net/ipv4/tcp_congestion_control\'',
        'printf \'%s\\n\' \'fq\' > \'/proc/sys/net/core/default_qdisc\'',
        'printf \'%s\\n\' \'1\' > \'/proc/sys/net/ipv4/ip_forward\'',
        'iface=""',
        'while read -r name dest _; do if [ "$dest" = 00000000 ]; then iface="$name"; break; fi; done < /proc/net/route',
        'if [ -z "$iface" ]; then echo "no default IPv4 route: cannot tell which interface gets the MTU" >&2; exit 1; fi',
        'printf \'%s\\n\' \'9000\' > "/sys/class/net/$iface/mtu"',
        '',
      ].join('\n'));
      expect((tuning(objects).command as string[]).slice(0, 2)).toEqual(['/bin/sh', '-c']);
    });

    test('initImage defaults to the agent image; the init step alone is privileged, with small resources', () => {
      expect(tuning(objects).image).toBe(IMAGE);
      expect(tuning(objects).imagePullPolicy).toBe('IfNotPresent');
      expect(tuning(objects).securityContext).toEqual({
        allowPrivilegeEscalation: true, privileged: true, readOnlyRootFilesystem: true, runAsGroup: 0, runAsNonRoot: false, runAsUser: 0,
      });
      expect(tuning(objects).resources).toEqual({ requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '32Mi' } });
    });

    test('the agent drops ALL and adds exactly NET_ADMIN, as root, never privileged', () => {
      expect(agent.capabilities).toEqual(['NET_ADMIN']);
      expect(agentContainer(objects).securityContext).toEqual({
        allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] }, privileged: false, readOnlyRootFilesystem: true,
        runAsGroup: 0, runAsNonRoot: false, runAsUser: 0,
      });
    });

    test('records every opt-out on the DaemonSet', () => {
      expect(ds(objects).metadata?.annotations?.[SECURITY_OPT_OUTS_ANNOTATION])
        .toBe('hostNetwork, capabilities=NET_ADMIN, runAsRoot, privilegedInitContainer=kernel-tuning');
    });
  });

  describe('overrides', () => {
    test('name, namespace, partOf and metadata (fleetcraft labels win)', () => {
      const { objects } = build({
        name: 'transport', namespace: 'network', partOf: 'fleet',
        metadata: { labels: { team: 'net', 'app.kubernetes.io/name': 'x' }, annotations: { owner: 'net' } },
      });
      const d = findObject(objects, 'DaemonSet', 'transport', 'network');
      expect(d.metadata?.labels).toEqual(expect.objectContaining({ team: 'net', 'app.kubernetes.io/name': 'transport', 'app.kubernetes.io/part-of': 'fleet' }));
      expect(d.metadata?.annotations).toEqual({ owner: 'net', [SECURITY_OPT_OUTS_ANNOTATION]: 'hostNetwork' });
      expect(findObject(objects, 'ServiceAccount', 'transport', 'network').metadata?.labels?.['app.kubernetes.io/part-of']).toBe('fleet');
    });

    test('hostNetwork false: ClusterFirst DNS, no host port, no opt-outs', () => {
      const { objects } = build({ hostNetwork: false });
      expect(pod(objects).hostNetwork).toBe(false);
      expect(pod(objects).dnsPolicy).toBe('ClusterFirst');
      expect(agentContainer(objects).ports).toEqual([{ name: 'health', containerPort: 9879, protocol: 'TCP' }]);
      expect(ds(objects).metadata?.annotations).toBeUndefined();
    });

    test('ports: UDP and TCP may share a number; an explicit hostPort equal to the number is accepted', () => {
      const { objects } = build({ ports: [{ name: 'vxlan', number: 8472, protocol: kplus.Protocol.UDP, hostPort: 8472 }, { name: 'api', number: 8472 }] });
      expect(agentContainer(objects).ports).toEqual([
        { name: 'vxlan', containerPort: 8472, hostPort: 8472, protocol: 'UDP' },
        { name: 'api', containerPort: 8472, hostPort: 8472, protocol: 'TCP' },
      ]);
    });

    test('without host networking, only safe sysctls go into the pod\'s securityContext, with no init step', () => {
      const { objects } = build({ hostNetwork: false, sysctls: { 'net.ipv4.ip_local_port_range': '1024 65535', 'net.ipv4.tcp_syncookies': '1' } });
      expect(field(pod(objects), 'securityContext.sysctls')).toEqual([
        { name: 'net.ipv4.ip_local_port_range', value: '1024 65535' }, { name: 'net.ipv4.tcp_syncookies', value: '1' },
      ]);
      expect(pod(objects).initContainers).toBeUndefined();
    });

    test('with host networking, even safe sysctls go through the init step (the kubelet refuses pod net sysctls there)', () => {
      const { objects } = build({ sysctls: { 'net.ipv4.tcp_syncookies': '1' } });
      expect(script(objects)).toContain('\'/proc/sys/net/ipv4/tcp_syncookies\'');
      expect(field(pod(objects), 'securityContext.sysctls')).toBeUndefined();
    });

    test('mtuInterface and initImage', () => {
      const { objects } = build({ mtu: 1500, mtuInterface: 'ens5', initImage: 'busybox:1.36.1' });
      expect(script(objects)).toBe('set -eu\niface=\'ens5\'\nprintf \'%s\\n\' \'1500\' > "/sys/class/net/$iface/mtu"\n');
      expect(tuning(objects).image).toBe('busybox:1.36.1');
    });

    test('capabilities: CAP_ prefix accepted and dropped, duplicates removed, order kept', () => {
      const { agent, objects } = build({ capabilities: ['CAP_NET_RAW', LinuxCapability.NET_ADMIN, 'NET_RAW', 'BPF'] });
      expect(agent.capabilities).toEqual(['NET_RAW', 'NET_ADMIN', 'BPF']);
      expect(field(agentContainer(objects), 'securityContext.capabilities')).toEqual({ drop: ['ALL'], add: ['NET_RAW', 'NET_ADMIN', 'BPF'] });
    });

    test('privileged: true makes the agent privileged (escalation allowed, as the API server requires) and permits ALL', () => {
      const { objects } = build({ privileged: true, capabilities: ['ALL'] });
      expect(agentContainer(objects).securityContext).toEqual(expect.objectContaining({ privileged: true, allowPrivilegeEscalation: true, runAsUser: 0 }));
      expect(field(agentContainer(objects), 'securityContext.capabilities.add')).toEqual(['ALL']);
      expect(ds(objects).metadata?.annotations?.[SECURITY_OPT_OUTS_ANNOTATION]).toBe('hostNetwork, privileged, capabilities=ALL, runAsRoot');
    });

    test('hostPaths: read-only by default, type and propagation passed through', () => {
      const { objects } = build({
        hostPaths: [
          { name: 'xtables-lock', path: '/run/xtables.lock', mountPath: '/run/xtables.lock', type: kplus.HostPathVolumeType.FILE_OR_CREATE },
          { name: 'bpf-maps', path: '/sys/fs/bpf', mountPath: '/sys/fs/bpf', readOnly: false, propagation: kplus.MountPropagation.HOST_TO_CONTAINER },
        ],
      });
      expect(pod(objects).volumes).toEqual([
        { name: 'xtables-lock', hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' } },
        { name: 'bpf-maps', hostPath: { path: '/sys/fs/bpf', type: '' } },
      ]);
      expect(agentContainer(objects).volumeMounts).toEqual([
        { name: 'xtables-lock', mountPath: '/run/xtables.lock', readOnly: true, mountPropagation: 'None' },
        { name: 'bpf-maps', mountPath: '/sys/fs/bpf', readOnly: false, mountPropagation: 'HostToContainer' },
      ]);
    });

    test('tolerateAllTaints false keeps the startup-taint toleration; user tolerations are added, never replacing it', () => {
      const { objects } = build({ tolerateAllTaints: false, tolerations: [kplus.NodeTaintQuery.is('dedicated', 'edge', { effect: kplus.TaintEffect.NO_EXECUTE })] });
      expect(pod(objects).tolerations).toEqual([
        { key: NETWORK_NOT_READY_TAINT.key, operator: 'Exists', effect: 'NoSchedule' },
        { key: 'dedicated', operator: 'Equal', value: 'edge', effect: 'NoExecute' },
      ]);
    });

    test('nodeSelector labels are added to kubernetes.io/os: linux; priorityClassName and maxUnavailable', () => {
      const { objects } = build({ nodeSelector: { 'node.kubernetes.io/instance-type': 'c6in.large' }, priorityClassName: 'network-critical', maxUnavailable: kplus.PercentOrAbsolute.percent(10) });
      expect(pod(objects).nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'node.kubernetes.io/instance-type': 'c6in.large' });
      expect(pod(objects).priorityClassName).toBe('network-critical');
      expect(field(ds(objects), 'spec.updateStrategy.rollingUpdate')).toEqual({ maxUnavailable: '10%', maxSurge: 0 });
    });

    test('resources, probes, command, args and env', () => {
      const { objects } = build({
        ports: [],
        resources: { cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.units(1) }, memory: { request: Size.mebibytes(256), limit: Size.gibibytes(1) } },
        readiness: kplus.Probe.fromHttpGet('/readyz', { port: 9879 }),
        liveness: kplus.Probe.fromCommand(['agent', 'health']),
        command: ['agent'], args: ['--tunnel=vxlan'], env: { LOG_LEVEL: 'info' },
      });
      const main = agentContainer(objects);
      expect(main.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '1024Mi' } });
      expect(field(main, 'readinessProbe.httpGet')).toEqual(expect.objectContaining({ path: '/readyz', port: 9879 }));
      expect(field(main, 'livenessProbe.exec')).toEqual({ command: ['agent', 'health'] });
      expect(main.command).toEqual(['agent']);
      expect(main.args).toEqual(['--tunnel=vxlan']);
      expect(main.env).toEqual([
        { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }, { name: 'LOG_LEVEL', value: 'info' },
      ]);
    });
  });

  describe('removeStartupTaint', () => {
    const { agent, objects } = build({ namespace: 'network', removeStartupTaint: true });
    const main = agentContainer(objects);

    test('a ClusterRole allowing exactly get and patch on nodes, bound to the ServiceAccount', () => {
      expect(findObject(objects, 'ClusterRole', 'net-agent-startup-taint').rules).toEqual([{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'patch'] }]);
      const binding = findObject(objects, 'ClusterRoleBinding', 'net-agent-startup-taint');
      expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'net-agent-startup-taint' });
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'net-agent', namespace: 'network' }]);
      expect(agent.clusterRole).toBeDefined();
      expect(agent.clusterRoleBinding).toBeDefined();
    });

    test('a projected, hour-long token in the agent container only; automounting stays off', () => {
      expect(pod(objects).automountServiceAccountToken).toBe(false);
      expect(findObject(objects, 'ServiceAccount', 'net-agent').automountServiceAccountToken).toBe(false);
      expect(pod(objects).volumes).toEqual([{
        name: 'api-token',
        projected: {
          sources: [
            { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ],
        },
      }]);
      expect(main.volumeMounts).toEqual([{ name: 'api-token', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }]);
    });

    test('the agent learns its node and the taint key from the environment', () => {
      expect(main.env).toEqual(expect.arrayContaining([{ name: STARTUP_TAINT_ENV, value: 'fleetcraft.io/network-not-ready' }]));
      expect((main.env as Json[]).map((e) => e.name)).toContain('NODE_NAME');
    });

    test('the token is recorded as an opt-out', () => {
      expect(ds(objects).metadata?.annotations?.[SECURITY_OPT_OUTS_ANNOTATION]).toBe('hostNetwork, serviceAccountToken');
    });

    test('the chart\'s namespace is used when the prop is unset; the token mount follows host paths and init containers get none', () => {
      const chart = new Chart(testApp(), 'c', { namespace: 'kube-network', disableResourceNameHashes: true });
      const { objects: o } = build({ removeStartupTaint: true, sysctls: { 'net.ipv4.ip_forward': '1' }, hostPaths: [{ name: 'bpf-maps', path: '/sys/fs/bpf', mountPath: '/sys/fs/bpf' }] }, chart);
      expect(findObject(o, 'ClusterRoleBinding', 'net-agent-startup-taint').subjects).toEqual([{ kind: 'ServiceAccount', name: 'net-agent', namespace: 'kube-network' }]);
      expect((pod(o).volumes as Json[]).map((v) => v.name)).toEqual(['bpf-maps', 'api-token']);
      expect((agentContainer(o).volumeMounts as Json[]).map((m) => m.name)).toEqual(['bpf-maps', 'api-token']);
      expect(tuning(o).volumeMounts).toBeUndefined();
    });
  });

  test('NamespaceBaseline takes the level the agent reports', () => {
    const chart = testChart();
    const agent = new NetworkDaemonSet(chart, 'net-agent', { image: IMAGE, ports: HEALTH, namespace: 'network' });
    new NamespaceBaseline(chart, 'ns', { name: 'network', podSecurity: agent.podSecurityLevel });
    const objects = synth(chart);
    expect(findObject(objects, 'Namespace', 'network').metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  describe('refuses', () => {
    const P = 'NetworkDaemonSet \'net-agent\': ';

    test('a sysctl name that is not a kernel parameter path', () => {
      expectRefusal({ sysctls: { 'net.ipv4/ip_forward': '1' } }, `${P}sysctls ("net.ipv4/ip_forward") is not a valid kernel parameter path (dot-separated segments of lowercase letters, digits, '_' or '-', under kernel, net, vm, fs, user, dev, abi, debug); use the dotted name \`sysctl -a\` prints, e.g. "net.ipv4.ip_forward"`);
      expectRefusal({ sysctls: { 'proc.sys.foo': '1' } }, `${P}sysctls ("proc.sys.foo") is not a valid kernel parameter path`);
      expectRefusal({ sysctls: { 'net': '1' } }, `${P}sysctls ("net") is not a valid kernel parameter path`);
    });

    test('a sysctl value that could not be written safely', () => {
      expectRefusal({ sysctls: { 'net.ipv4.ip_forward': '1\'; reboot' } }, `${P}sysctls["net.ipv4.ip_forward"] ("1'; reboot") must be non-empty and consist of letters, digits, spaces and . _ , : / + -; write the value as \`sysctl\` prints it, e.g. "1" or "4096 87380 6291456"`);
    });

    test('an MTU outside 576-9216', () => {
      expectRefusal({ mtu: 9217 }, `${P}mtu (9217) must be an integer between 576 and 9216; use 1500, or 9000 for jumbo frames`);
      expectRefusal({ mtu: 575 }, `${P}mtu (575) must be an integer between 576 and 9216; use 1500, or 9000 for jumbo frames`);
      expectRefusal({ mtu: 1500.5 }, `${P}mtu (1500.5) must be an integer between 576 and 9216`);
    });

    test('an MTU without host networking, and an MTU interface without an MTU or with a bad name', () => {
      expectRefusal({ mtu: 9000, hostNetwork: false }, `${P}mtu (9000) would change only the pod's own interface without host networking; set hostNetwork: true, or leave mtu unset`);
      expectRefusal({ mtuInterface: 'eth0' }, `${P}mtuInterface ("eth0") has no effect without mtu; set mtu, or remove mtuInterface`);
      expectRefusal({ mtu: 9000, mtuInterface: 'eth0; reboot' }, `${P}mtuInterface ("eth0; reboot") must be 1 to 15 letters, digits, '_', '.' or '-' (a Linux interface name); use the node's interface name, e.g. "eth0" or "ens5"`);
    });

    test('a capability that is not a Linux capability', () => {
      expectRefusal({ capabilities: ['NET_ADMINS' as CapabilityName] }, `${P}capabilities ("NET_ADMINS") is not a Linux capability; use a name from capabilities(7) such as "NET_ADMIN" (the CAP_ prefix is optional)`);
      expectRefusal({ capabilities: ['net_admin' as CapabilityName] }, `${P}capabilities ("net_admin") is not a Linux capability`);
    });

    test('privileged implied by another prop without being set: ALL capabilities, Bidirectional propagation', () => {
      expectRefusal({ capabilities: ['ALL'] }, `${P}capabilities ("ALL") adds every capability, which is privileged mode without saying so; list the capabilities the agent needs, or set privileged: true`);
      expectRefusal({ capabilities: ['CAP_ALL' as CapabilityName] }, `${P}capabilities ("CAP_ALL") adds every capability, which is privileged mode without saying so`);
      expectRefusal({ hostPaths: [{ name: 'bpf-maps', path: '/sys/fs/bpf', mountPath: '/sys/fs/bpf', propagation: kplus.MountPropagation.BIDIRECTIONAL }] },
        `${P}hostPaths["bpf-maps"].propagation ("Bidirectional") is only allowed in a privileged container, so it implies privileged mode; use MountPropagation.HOST_TO_CONTAINER, or set privileged: true`);
    });

    test('two container ports on the same host port with host networking', () => {
      expectRefusal({ ports: [{ name: 'metrics', number: 9090 }, { name: 'health', number: 9090 }] },
        `${P}ports["health"].number (9090) uses host port 9090/TCP, which port "metrics" already uses with host networking; give each port its own number`);
      expectRefusal({ hostNetwork: false, ports: [{ name: 'metrics', number: 9090, hostPort: 80 }, { name: 'health', number: 9091, hostPort: 80 }] },
        `${P}ports["health"].number (9091) uses host port 80/TCP, which port "metrics" already uses; give each port its own number`);
    });

    test('a host port other than the container port with host networking', () => {
      expectRefusal({ ports: [{ name: 'metrics', number: 9090, hostPort: 19090 }] }, `${P}ports["metrics"].hostPort (19090) must equal the container port (9090) with host networking; leave hostPort unset`);
    });

    test('a maxUnavailable of 0 or 0%, or out of range', () => {
      expectRefusal({ maxUnavailable: kplus.PercentOrAbsolute.absolute(0) }, `${P}maxUnavailable (0) would stop the rolling update from ever replacing a pod; use 1, or a percentage such as "10%"`);
      expectRefusal({ maxUnavailable: kplus.PercentOrAbsolute.percent(0) }, `${P}maxUnavailable ("0%") would stop the rolling update from ever replacing a pod; use 1, or a percentage such as "10%"`);
      expectRefusal({ maxUnavailable: kplus.PercentOrAbsolute.percent(150) }, `${P}maxUnavailable ("150%") must be a positive integer or a percentage between 1% and 100%; use 1, or a percentage such as "10%"`);
      expectRefusal({ maxUnavailable: kplus.PercentOrAbsolute.absolute(-1) }, `${P}maxUnavailable (-1) must be a positive integer or a percentage between 1% and 100%`);
    });

    test('an unpinned image or init image', () => {
      expectRefusal({ image: 'ghcr.io/acme/net-agent' }, `${P}image ("ghcr.io/acme/net-agent") has no tag or digest, so nodes may run different builds; pin a version tag such as ":1.16.5", or a digest`);
      expectRefusal({ image: 'localhost:5000/net-agent:latest' }, `${P}image ("localhost:5000/net-agent:latest") uses the mutable "latest" tag, so nodes may run different builds; pin a version tag such as ":1.16.5", or a digest`);
      expectRefusal({ mtu: 9000, initImage: 'busybox' }, `${P}initImage ("busybox") has no tag or digest`);
      expect(() => build({ image: `ghcr.io/acme/net-agent@sha256:${'a'.repeat(64)}` })).not.toThrow();
    });

    test('probes that cannot default without a port', () => {
      expectRefusal({ ports: [] }, `${P}readiness (undefined) has no default without a port; pass readiness and liveness probes, or add a port`);
      expectRefusal({ ports: [], readiness: kplus.Probe.fromCommand(['true']) }, `${P}liveness (undefined) has no default without a port; pass readiness and liveness probes, or add a port`);
    });

    test('bad port names and numbers', () => {
      expectRefusal({ ports: [{ name: 'Metrics', number: 9090 }] }, `${P}ports["Metrics"].name ("Metrics") must consist of lowercase letters, digits and '-', and start and end with a letter or digit; use an IANA service name such as "metrics"`);
      expectRefusal({ ports: [{ name: 'metrics', number: 70000 }] }, `${P}ports["metrics"].number (70000) must be an integer between 1 and 65535; use the port the agent listens on`);
    });

    test('bad host paths', () => {
      expectRefusal({ hostPaths: [{ name: 'bpf', path: 'sys/fs/bpf', mountPath: '/sys/fs/bpf' }] }, `${P}hostPaths["bpf"].path ("sys/fs/bpf") must be an absolute path without ".." segments; use e.g. "/sys/fs/bpf"`);
      expectRefusal({ hostPaths: [{ name: 'bpf', path: '/sys/fs/bpf', mountPath: '/host/../etc' }] }, `${P}hostPaths["bpf"].mountPath ("/host/../etc") must be an absolute path without ".." segments`);
      expectRefusal({ hostPaths: [{ name: 'bpf', path: '/a', mountPath: '/a' }, { name: 'bpf', path: '/b', mountPath: '/b' }] }, `${P}hostPaths["bpf"].name ("bpf") is used by two host paths; give each host path its own name`);
      expectRefusal({ hostPaths: [{ name: 'BPF', path: '/a', mountPath: '/a' }] }, `${P}hostPaths["BPF"].name ("BPF") must consist of lowercase letters, digits and '-', and start and end with a letter or digit; use a DNS-1123 label such as "bpf-maps"`);
    });

    test('a memory-unlimited agent', () => {
      expectRefusal({ resources: { cpu: { request: kplus.Cpu.millis(100) } } }, `${P}resources.memory.limit (undefined) must be set, since memory is always limited; add memory: { request, limit }`);
    });

    test('taint removal without a known namespace', () => {
      expectRefusal({ removeStartupTaint: true }, `${P}namespace (undefined) must be known when removeStartupTaint is true, because the ClusterRoleBinding names the ServiceAccount's namespace; set namespace, or give the chart a namespace`);
    });

    test('bad names, namespaces, node selectors and priority classes', () => {
      expectRefusal({ name: 'Net_Agent' }, `${P}name ("Net_Agent") must consist of lowercase letters, digits and '-', and start and end with a letter or digit; use a DNS-1123 label such as "net-agent"`);
      expectRefusal({ namespace: 'Network' }, `${P}namespace ("Network") must consist of lowercase letters, digits and '-', and start and end with a letter or digit; use a DNS-1123 label such as "network"`);
      expectRefusal({ nodeSelector: { 'bad key!': 'x' } }, `${P}nodeSelector ("bad key!") name part must consist of alphanumerics, '-', '_' or '.', and start and end with an alphanumeric; use a label key such as "node.kubernetes.io/instance-type"`);
      expectRefusal({ nodeSelector: { pool: 'a b' } }, `${P}nodeSelector["pool"] ("a b") must be empty or consist of alphanumerics, '-', '_' or '.', and start and end with an alphanumeric; use a label value`);
      expectRefusal({ priorityClassName: 'Critical' }, `${P}priorityClassName ("Critical") must consist of lowercase letters, digits, '-' and '.', and start and end with a letter or digit; use "system-node-critical" or the name of a PriorityClass`);
    });
  });
});
