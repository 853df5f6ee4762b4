import {
  interfaceNameError, kernelTuningScript, MAX_MTU, MIN_MTU, mtuError, sysctlNameError, sysctlPath, sysctlValueError,
} from '../../../lib/k8s/network-agent';

describe('network kernel rules', () => {
  test('sysctl names: dotted paths under the known top-level namespaces', () => {
    for (const ok of ['net.ipv4.ip_forward', 'net.core.default_qdisc', 'net.ipv4.conf.all.rp_filter', 'net.ipv6.conf.eth-0.disable_ipv6', 'vm.max_map_count',
      'kernel.pid_max', 'fs.inotify.max_user_watches', 'user.max_user_namespaces', 'dev.raid.speed_limit_min', 'abi.vsyscall32', 'debug.exception-trace']) {
      expect(sysctlNameError(ok)).toBeUndefined();
    }
    for (const bad of ['net', 'net.', 'net..core', 'Net.ipv4.ip_forward', 'net/ipv4/ip_forward', 'proc.sys.x', 'net.ipv4.ip forward', '.net.core', 'sunrpc.tcp_slot_table_entries']) {
      expect(sysctlNameError(bad)).toBe('is not a valid kernel parameter path (dot-separated segments of lowercase letters, digits, \'_\' or \'-\', under kernel, net, vm, fs, user, dev, abi, debug)');
    }
  });

  test('sysctl values: no quotes, newlines or shell syntax', () => {
    for (const ok of ['1', 'bbr', '4096 87380 6291456', '1024-65535', '0 2147483647']) expect(sysctlValueError(ok)).toBeUndefined();
    for (const bad of ['', '1\'', '1\n2', '$(reboot)', '1;2', '`x`']) expect(sysctlValueError(bad)).toBe('must be non-empty and consist of letters, digits, spaces and . _ , : / + -');
  });

  test('MTU bounds are inclusive: 576 and 9216', () => {
    expect([MIN_MTU, MAX_MTU]).toEqual([576, 9216]);
    expect(mtuError(576)).toBeUndefined();
    expect(mtuError(9216)).toBeUndefined();
    expect(mtuError(575)).toBe('must be an integer between 576 and 9216');
    expect(mtuError(9217)).toBe('must be an integer between 576 and 9216');
  });

  test('interface names follow IFNAMSIZ', () => {
    expect(interfaceNameError('eth0')).toBeUndefined();
    expect(interfaceNameError('a'.repeat(15))).toBeUndefined();
    expect(interfaceNameError('a'.repeat(16))).toBe('must be 1 to 15 letters, digits, \'_\', \'.\' or \'-\' (a Linux interface name)');
    expect(interfaceNameError('eth0/1')).toBe('must be 1 to 15 letters, digits, \'_\', \'.\' or \'-\' (a Linux interface name)');
  });

  test('a sysctl name maps to its /proc/sys file', () => {
    expect(sysctlPath('net.ipv4.tcp_congestion_control')).toBe('/proc/sys/net/ipv4/tcp_congestion_control');
  });

  test('a script with sysctls only does not touch the MTU', () => {
    expect(kernelTuningScript({ sysctls: [['vm.max_map_count', '262144']] })).toBe('set -eu\nprintf \'%s\\n\' \'262144\' > \'/proc/sys/vm/max_map_count\'\n');
  });
});
