import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { NetworkDaemonSet } from '../../../lib/k8s/network-agent';
import { field, findObject, synth, testApp, testChart } from '../../util';

const IMAGE = 'ghcr.io/acme/net-agent:1.4.2';

describe('NetworkDaemonSet defaults (audit)', () => {
  test('ports defaults to "- none": the agent container declares no ports', () => {
    const chart = testChart();
    // Without ports the probes have no default, so they are the only other props given.
    new NetworkDaemonSet(chart, 'net-agent', {
      image: IMAGE, readiness: kplus.Probe.fromCommand(['agent', 'ready']), liveness: kplus.Probe.fromCommand(['agent', 'alive']),
    });
    const objects = synth(chart);
    const agent = field(findObject(objects, 'DaemonSet', 'net-agent'), 'spec.template.spec.containers.0') as Record<string, unknown>;
    expect(agent.name).toBe('agent');
    expect(agent.ports).toBeUndefined();
  });

  test('namespace defaults to "- none (the chart\'s namespace)": the DaemonSet and ServiceAccount land in the chart\'s namespace', () => {
    const chart = new Chart(testApp(), 'test', { disableResourceNameHashes: true, namespace: 'kube-network' });
    new NetworkDaemonSet(chart, 'net-agent', { image: IMAGE, ports: [{ name: 'health', number: 9879 }] });
    const objects = synth(chart);
    expect(findObject(objects, 'DaemonSet', 'net-agent').metadata?.namespace).toBe('kube-network');
    expect(findObject(objects, 'ServiceAccount', 'net-agent').metadata?.namespace).toBe('kube-network');
  });
});
