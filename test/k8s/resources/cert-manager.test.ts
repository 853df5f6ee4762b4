import { JsonPatch, Testing } from 'cdk8s';
import { Certificate, CertificateSpec, ClusterIssuer, Issuer } from '../../../lib/k8s/resources/cert-manager';
import { checkConformance } from '../../../lib/policy/conformance';
import { KubeObject } from '../../../lib/policy/objects';
import { describeWithSchemas, field, findObject, schemaRegistry, synth, testChart } from '../../util';

/** Every field the typed spec has, as the consensus member certificate uses them. */
const FULL_SPEC: CertificateSpec = {
  secretName: 'raft-member-tls',
  issuerRef: { name: 'raft-ca', kind: 'Issuer', group: 'cert-manager.io' },
  commonName: 'raft-member',
  dnsNames: ['raft-0.raft-peer.db.svc', 'raft-0.raft-peer.db.svc.cluster.local', 'localhost'],
  ipAddresses: ['127.0.0.1'],
  isCA: false,
  usages: ['digital signature', 'key encipherment', 'server auth', 'client auth'],
  duration: '2160h0m0s',
  renewBefore: '720h0m0s',
  privateKey: { algorithm: 'ECDSA', size: 256, encoding: 'PKCS8', rotationPolicy: 'Always' },
  secretTemplate: { labels: { 'app.kubernetes.io/name': 'etcd' }, annotations: { owner: 'db' } },
  revisionHistoryLimit: 3,
};

describe('cert-manager resources', () => {
  test('a self-signed Issuer, a CA Certificate and a CA Issuer: the chain a namespace\'s own CA needs', () => {
    const chart = testChart();
    new Issuer(chart, 'SelfSigned', { metadata: { name: 'raft-selfsigned', namespace: 'db' }, spec: { selfSigned: {} } });
    new Certificate(chart, 'Ca', {
      metadata: { name: 'raft-ca', namespace: 'db' },
      spec: {
        secretName: 'raft-ca', isCA: true, commonName: 'raft-ca', usages: ['cert sign', 'crl sign', 'digital signature'],
        issuerRef: { name: 'raft-selfsigned', kind: 'Issuer' }, privateKey: { algorithm: 'ECDSA', rotationPolicy: 'Never' },
      },
    });
    new Issuer(chart, 'CaIssuer', { metadata: { name: 'raft-ca', namespace: 'db' }, spec: { ca: { secretName: 'raft-ca' } } });
    const objects = synth(chart);
    expect(objects.map((o) => `${o.apiVersion} ${o.kind}/${o.metadata?.name}`)).toEqual([
      'cert-manager.io/v1 Issuer/raft-selfsigned', 'cert-manager.io/v1 Certificate/raft-ca', 'cert-manager.io/v1 Issuer/raft-ca',
    ]);
    expect(field(findObject(objects, 'Issuer', 'raft-selfsigned', 'db'), 'spec')).toEqual({ selfSigned: {} });
  });

  test('a Certificate with every typed field conforms and is emitted as given', () => {
    const chart = testChart();
    new Certificate(chart, 'Member', { metadata: { name: 'raft-member', namespace: 'db' }, spec: FULL_SPEC });
    expect(findObject(synth(chart), 'Certificate', 'raft-member', 'db').spec).toEqual(FULL_SPEC);
  });

  test('a ClusterIssuer is cluster-scoped and backed by a CA Secret', () => {
    const chart = testChart();
    new ClusterIssuer(chart, 'Ca', { metadata: { name: 'platform-ca' }, spec: { ca: { secretName: 'platform-ca' } } });
    const issuer = findObject(synth(chart), 'ClusterIssuer', 'platform-ca');
    expect([issuer.apiVersion, issuer.metadata?.namespace, issuer.spec]).toEqual(['cert-manager.io/v1', undefined, { ca: { secretName: 'platform-ca' } }]);
  });
});

describeWithSchemas('cert-manager schemas catch what the types would let through by a patch', () => {
  const check = (patch: JsonPatch) => {
    const chart = testChart();
    new Certificate(chart, 'Member', { metadata: { name: 'raft-member', namespace: 'db' }, spec: FULL_SPEC }).addJsonPatch(patch);
    return checkConformance(Testing.synth(chart) as KubeObject[], schemaRegistry());
  };

  test('a misspelt field is an unknown field', () => {
    expect(check(JsonPatch.add('/spec/dnsName', ['x']))).toEqual([expect.objectContaining({
      rule: 'schema', object: 'Certificate db/raft-member', message: 'unknown field "dnsName" (not in the schema; check its spelling and placement)',
    })]);
  });

  test('a usage outside the CRD\'s enum, and a Certificate without its Secret name, are refused', () => {
    expect(check(JsonPatch.add('/spec/usages/-', 'serverAuth')).map((v) => v.path)).toEqual(['spec.usages[4]']);
    expect(check(JsonPatch.remove('/spec/secretName')).map((v) => v.path)).toEqual(['spec']);
  });
});
