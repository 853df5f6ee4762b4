import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import {
  celString, NODE_SPEC_FIELDS_KEPT, nodePatchPolicySpec, NetworkDaemonSet, NetworkDaemonSetProps, serviceAccountUsername,
  TOKEN_NODE_NAME_KEY,
} from '../../../lib/k8s/network-agent';
import { describeWithSchemas, expectConformant, findAll, findObject, SCHEMA_DIR, synth, testApp, testChart } from '../../util';

type Json = Record<string, unknown>;
const IMAGE = 'ghcr.io/acme/net-agent:1.4.2';
const HEALTH = [{ name: 'health', number: 9879 }];
const WHO = 'system:serviceaccount:network:net-agent (the network agent)';

const build = (props: Partial<NetworkDaemonSetProps> = {}, chart: Chart = testChart()) => {
  const agent = new NetworkDaemonSet(chart, 'net-agent', { image: IMAGE, ports: HEALTH, ...props });
  return { agent, objects: synth(chart) };
};

describe('NetworkDaemonSet node patch policy', () => {
  test('removeStartupTaint defaults to false: no admission policy and no binding', () => {
    const { agent, objects } = build({ namespace: 'network' });
    expect(findAll(objects, 'ValidatingAdmissionPolicy')).toEqual([]);
    expect(findAll(objects, 'ValidatingAdmissionPolicyBinding')).toEqual([]);
    expect(agent.nodePatchPolicy).toBeUndefined();
    expect(agent.nodePatchPolicyBinding).toBeUndefined();
  });

  describe('with removeStartupTaint', () => {
    const { agent, objects } = build({ namespace: 'network', removeStartupTaint: true });
    const policy = findObject(objects, 'ValidatingAdmissionPolicy', 'net-agent-startup-taint');
    const binding = findObject(objects, 'ValidatingAdmissionPolicyBinding', 'net-agent-startup-taint');
    const spec = policy.spec as Json;

    test('a cluster-scoped policy and binding of admissionregistration.k8s.io/v1, named like the ClusterRole', () => {
      for (const o of [policy, binding]) {
        expect(o.apiVersion).toBe('admissionregistration.k8s.io/v1');
        expect(o.metadata?.namespace).toBeUndefined();
        expect(o.metadata?.labels?.['app.kubernetes.io/name']).toBe('net-agent');
      }
      expect(agent.nodePatchPolicy?.name).toBe('net-agent-startup-taint');
      expect(agent.nodePatchPolicyBinding?.name).toBe('net-agent-startup-taint');
    });

    test('both pass the Kubernetes 1.36 schema', () => {
      expectConformant([policy, binding]);
    });

    test('the binding enforces the policy by refusing (Deny) what it does not admit', () => {
      expect(binding.spec).toEqual({ policyName: 'net-agent-startup-taint', validationActions: ['Deny'] });
    });

    test('it matches updates (PUT and PATCH) of nodes, not their subresources, and fails closed', () => {
      expect(spec.failurePolicy).toBe('Fail');
      expect(spec.matchConstraints).toEqual({
        resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['nodes'] }],
      });
    });

    test('it applies to the agent\'s ServiceAccount only', () => {
      expect(spec.matchConditions).toEqual([
        { name: 'network-agent-service-account', expression: 'request.userInfo.username == \'system:serviceaccount:network:net-agent\'' },
      ]);
    });

    test('the variables: the node its token names, and the taints before and after', () => {
      expect(spec.variables).toEqual([
        {
          name: 'tokenNodeName',
          expression: 'has(request.userInfo.extra) && \'authentication.kubernetes.io/node-name\' in request.userInfo.extra'
            + ' ? request.userInfo.extra[\'authentication.kubernetes.io/node-name\'] : []',
        },
        { name: 'oldTaints', expression: 'has(oldObject.spec.taints) ? oldObject.spec.taints : []' },
        { name: 'newTaints', expression: 'has(object.spec.taints) ? object.spec.taints : []' },
      ]);
    });

    test('validations: its own node, only the startup taint, no other spec field, no label, no annotation', () => {
      expect(spec.validations).toEqual([
        {
          expression: 'variables.tokenNodeName == [object.metadata.name]',
          message: `${WHO} may change only the node its pod runs on (authentication.kubernetes.io/node-name of its token): `
            + 'refused a change to another node, or by a token that names no node; use the token the kubelet mounts and patch the node named by NODE_NAME',
          reason: 'Forbidden',
        },
        {
          expression: 'variables.newTaints == variables.oldTaints ||\n'
            + 'variables.newTaints == variables.oldTaints.filter(t, !(t.key == \'fleetcraft.io/network-not-ready\' && t.effect == \'NoSchedule\'))',
          message: `${WHO} may only remove the startup taint fleetcraft.io/network-not-ready:NoSchedule from spec.taints: `
            + 'refused adding, changing, reordering or removing any other taint',
          reason: 'Forbidden',
        },
        {
          expression: [
            'object.spec.?configSource == oldObject.spec.?configSource &&',
            'object.spec.?externalID == oldObject.spec.?externalID &&',
            'object.spec.?podCIDR == oldObject.spec.?podCIDR &&',
            'object.spec.?podCIDRs == oldObject.spec.?podCIDRs &&',
            'object.spec.?providerID == oldObject.spec.?providerID &&',
            'object.spec.?unschedulable == oldObject.spec.?unschedulable',
          ].join('\n'),
          message: `${WHO} may not change spec fields other than taints: refused a change to configSource, externalID, podCIDR, podCIDRs, providerID, unschedulable`,
          reason: 'Forbidden',
        },
        {
          expression: 'object.metadata.?labels == oldObject.metadata.?labels',
          message: `${WHO} may not change the node's labels: refused adding, changing or removing a label`,
          reason: 'Forbidden',
        },
        {
          expression: 'object.metadata.?annotations == oldObject.metadata.?annotations',
          message: `${WHO} may not change the node's annotations: refused adding, changing or removing an annotation`,
          reason: 'Forbidden',
        },
      ]);
    });

    test('every validation has a one-line message (the API server requires one for multi-line expressions)', () => {
      for (const v of spec.validations as Json[]) {
        expect(typeof v.message).toBe('string');
        expect(v.message).not.toMatch(/\n/);
      }
    });
  });

  test('the ServiceAccount\'s namespace comes from the chart when the prop is unset', () => {
    const chart = new Chart(testApp(), 'c', { namespace: 'kube-network', disableResourceNameHashes: true });
    const { objects } = build({ removeStartupTaint: true }, chart);
    const spec = findObject(objects, 'ValidatingAdmissionPolicy', 'net-agent-startup-taint').spec as Json;
    expect(spec.matchConditions).toEqual([
      { name: 'network-agent-service-account', expression: 'request.userInfo.username == \'system:serviceaccount:kube-network:net-agent\'' },
    ]);
    expect(((spec.validations as Json[])[0].message as string).startsWith('system:serviceaccount:kube-network:net-agent ')).toBe(true);
  });

  test('a named DaemonSet names its policy and binding after it', () => {
    const { objects } = build({ namespace: 'network', removeStartupTaint: true, name: 'transport' });
    expect(findObject(objects, 'ValidatingAdmissionPolicyBinding', 'transport-startup-taint').spec)
      .toEqual({ policyName: 'transport-startup-taint', validationActions: ['Deny'] });
    expect((findObject(objects, 'ValidatingAdmissionPolicy', 'transport-startup-taint').spec as Json).matchConditions)
      .toEqual([{ name: 'network-agent-service-account', expression: 'request.userInfo.username == \'system:serviceaccount:network:transport\'' }]);
  });
});

describe('node patch policy renderers', () => {
  test('celString quotes and escapes', () => {
    expect(celString('net-agent')).toBe('\'net-agent\'');
    expect(celString('a\'b\\c')).toBe('\'a\\\'b\\\\c\'');
  });

  test('serviceAccountUsername is the Kubernetes user name of a ServiceAccount', () => {
    expect(serviceAccountUsername('network', 'net-agent')).toBe('system:serviceaccount:network:net-agent');
  });

  test('the token key is the one the API server sets for pod-bound tokens', () => {
    expect(TOKEN_NODE_NAME_KEY).toBe('authentication.kubernetes.io/node-name');
    expect(JSON.stringify(nodePatchPolicySpec('ns', 'sa'))).toContain(TOKEN_NODE_NAME_KEY);
  });
});

describeWithSchemas('node patch policy against the Kubernetes 1.36 schema', () => {
  test('the spec fields kept are exactly those of a Node spec besides taints', () => {
    const swagger = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, 'kubernetes', 'swagger-v1.36.json'), 'utf8')) as {
      definitions: Record<string, { properties?: Record<string, unknown> }>;
    };
    const nodeSpec = Object.keys(swagger.definitions['io.k8s.api.core.v1.NodeSpec'].properties ?? {});
    expect([...NODE_SPEC_FIELDS_KEPT].sort()).toEqual(nodeSpec.filter((f) => f !== 'taints').sort());
  });
});
