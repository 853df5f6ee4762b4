import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { NETWORK_DAEMON_SET_PROP_SHAPES, NetworkDaemonSet, NetworkDaemonSetProps } from '../../../lib/k8s/network-agent';
import { findObject, synth, testChart } from '../../util';

const IMAGE = 'ghcr.io/acme/net-agent:1.4.2';
const HEALTH = [{ name: 'health', number: 9879 }];
const P = 'NetworkDaemonSet \'agent\': ';
/** Builds with `props` as a plain-JavaScript caller could pass them (no compile-time check). */
const build = (props: unknown) => () => new NetworkDaemonSet(testChart(), 'agent', props as NetworkDaemonSetProps);
const withBase = (extra: Record<string, unknown>) => build({ image: IMAGE, ports: HEALTH, ...extra });

describe('NetworkDaemonSet prop guard', () => {
  test('valid props pass and synthesize as before', () => {
    const chart = testChart();
    new NetworkDaemonSet(chart, 'agent', { image: IMAGE, ports: HEALTH, env: { LOG_LEVEL: 'info' }, maxUnavailable: kplus.PercentOrAbsolute.percent(10) });
    expect(findObject(synth(chart), 'DaemonSet', 'agent').kind).toBe('DaemonSet');
  });

  test('every prop of the interface has a shape', () => {
    expect(Object.keys(NETWORK_DAEMON_SET_PROP_SHAPES)).toContain('removeStartupTaint');
    expect(NETWORK_DAEMON_SET_PROP_SHAPES.image.required).toBe(true);
  });

  test('a number where a Size is due', () => {
    expect(withBase({ resources: { memory: { limit: 512 as unknown as Size } } })).toThrow(
      `${P}resources.memory.limit (512) must be a Size, not a number; build one with Size.gibibytes(10)`);
  });

  test('a number where a PercentOrAbsolute, a string where a Probe or NodeTaintQuery is due', () => {
    expect(withBase({ maxUnavailable: 1 })).toThrow(`${P}maxUnavailable (1) must be a PercentOrAbsolute, not a number; build one with PercentOrAbsolute.absolute(1)`);
    expect(withBase({ readiness: 'tcp' })).toThrow(`${P}readiness ("tcp") must be a Probe, not a string; build one with Probe.fromHttpGet('/healthz')`);
    expect(withBase({ tolerations: ['x'] })).toThrow(`${P}tolerations[0] ("x") must be a NodeTaintQuery, not a string; build one with NodeTaintQuery.exists('key')`);
  });

  test('a string where a map is due', () => {
    expect(withBase({ env: 'A=1' })).toThrow(`${P}env ("A=1") must be an object of names to values, not a string; pass { name: value }`);
    expect(withBase({ sysctls: 'net.ipv4.ip_forward=1' })).toThrow(`${P}sysctls ("net.ipv4.ip_forward=1") must be an object of names to values, not a string; pass { name: value }`);
  });

  test('an environment variable name that Kubernetes refuses', () => {
    expect(withBase({ env: { '1A': 'x' } })).toThrow(
      `${P}env ("1A") is not an environment variable name (letters, digits, "-", "_" and ".", not starting with a digit); use a name such as "LOG_LEVEL"`);
  });

  test('out-of-range numbers: 1e308, NaN, a BigInt, a negative port; a fraction and a port above 65535 reach the rules', () => {
    expect(withBase({ mtu: 1e308 })).toThrow(`${P}mtu (1e+308) must be from 0 to 2147483647; pass a value in that range`);
    expect(withBase({ mtu: NaN })).toThrow(`${P}mtu (NaN) must be a finite number; pass a number from 0 to 2147483647`);
    expect(withBase({ mtu: 10n })).toThrow(`${P}mtu (10n) must be a number, not a bigint; pass a number from 0 to 2147483647`);
    expect(withBase({ ports: [{ name: 'health', number: -1 }] })).toThrow(`${P}ports[0].number (-1) must be from 0 to 2147483647; pass a value in that range`);
    expect(withBase({ ports: [{ name: 'health', number: 80.5 }] })).toThrow(`${P}ports["health"].number (80.5) must be an integer between 1 and 65535; use the port the agent listens on`);
    expect(withBase({ mtu: 1500.5 })).toThrow(`${P}mtu (1500.5) must be an integer between 576 and 9216; use 1500, or 9000 for jumbo frames`);
  });

  test('a misspelt key is refused with the nearest name, at any depth', () => {
    expect(withBase({ hostNetwrk: false })).toThrow(`${P}hostNetwrk (false) is not a known prop; did you mean "hostNetwork"?`);
    expect(withBase({ ports: [{ name: 'health', numbr: 9879 }] })).toThrow(`${P}ports[0].numbr (9879) is not a known prop; did you mean "number"?`);
  });

  test('a required prop missing, at any depth', () => {
    expect(build({ ports: HEALTH })).toThrow(`${P}image (undefined) is required; pass it (see its documentation)`);
    expect(withBase({ hostPaths: [{ name: 'bpf', path: '/sys/fs/bpf' }] })).toThrow(`${P}hostPaths[0].mountPath (undefined) is required; pass it (see its documentation)`);
  });

  test('props that are not an object', () => {
    expect(build(null)).toThrow(`${P}props (null) must be an object, not null; pass { ... } with the documented props`);
    expect(build([IMAGE])).toThrow(`${P}props (["ghcr.io/acme/net-agent:1.4.2"]) must be an object, not an array; pass { ... } with the documented props`);
  });

  test('enums, booleans and the part-of label value', () => {
    expect(withBase({ ports: [{ name: 'health', number: 9879, protocol: 'tcp' }] })).toThrow(`${P}ports[0].protocol ("tcp") must be one of "TCP", "UDP", "SCTP"; use one of the enum's members`);
    expect(withBase({ privileged: 'yes' })).toThrow(`${P}privileged ("yes") must be true or false, not a string; pass a boolean`);
    expect(withBase({ partOf: 'a/b' })).toThrow(
      `${P}partOf ("a/b") must be a label value (letters, digits, "-", "_" and ".", starting and ending with a letter or digit); fix the value`);
  });

  test('names keep the rules\' messages: the guard checks only their type', () => {
    expect(withBase({ name: 5 })).toThrow(`${P}name (5) must be a string, not a number; pass text`);
    expect(withBase({ name: 'Net_Agent' })).toThrow(`${P}name ("Net_Agent") must consist of lowercase letters, digits and '-', and start and end with a letter or digit; use a DNS-1123 label such as "net-agent"`);
  });
});
