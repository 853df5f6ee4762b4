import { KubeObject } from '../../lib/policy/objects';
import { PodSecurityLevel } from '../../lib/policy/pod-security-level';
import { buildContext } from '../../lib/policy/rules-context';
import { secretsWritten, TRANSPORT_RULES } from '../../lib/policy/rules-transport';

const check = (id: string, objects: KubeObject[]) => {
  const rule = TRANSPORT_RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule.check(buildContext(objects, PodSecurityLevel.RESTRICTED)).map((f) => ({ object: f.obj.metadata?.name, path: f.path, message: f.message, severity: f.severity ?? rule.severity }));
};

const ns = (name: string, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const etcd = (env: Record<string, string>, args: string[] = []): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'etcd', namespace: 'db' },
  spec: { selector: { matchLabels: { app: 'etcd' } }, serviceName: 'etcd', template: { metadata: { labels: { app: 'etcd' } }, spec: { containers: [{
    name: 'etcd', image: 'quay.io/coreos/etcd:v3.5.21', args, env: Object.entries(env).map(([name, value]) => ({ name, value })),
  }] } } },
});

describe('security/consensus-plain-http', () => {
  test('plain client or peer URLs in a production namespace are errors, by variable and by flag', () => {
    const found = check('security/consensus-plain-http', [ns('db', { environment: 'production' }),
      etcd({ ETCD_ADVERTISE_CLIENT_URLS: 'http://etcd-0.etcd.db.svc:2379', ETCD_INITIAL_CLUSTER: 'etcd-0=http://etcd-0.etcd.db.svc:2380' }, ['--listen-peer-urls=http://0.0.0.0:2380'])]);
    expect(found.map((f) => f.path)).toEqual(['spec.template.spec.containers[0].env[0]', 'spec.template.spec.containers[0].env[1]', 'spec.template.spec.containers[0]']);
    expect(found[0].message).toBe('sets ETCD_ADVERTISE_CLIENT_URLS to plain http://etcd-0.etcd.db.svc:2379 in a production namespace; serve TLS with client-certificate authentication (ConsensusStatefulSet `tls`) and use https:// URLs');
  });

  test('https, loopback, the metrics URL, or a namespace not labelled production pass', () => {
    const https = etcd({ ETCD_ADVERTISE_CLIENT_URLS: 'https://etcd-0.etcd.db.svc:2379', ETCD_LISTEN_CLIENT_URLS: 'https://0.0.0.0:2379,http://127.0.0.1:2379', ETCD_LISTEN_METRICS_URLS: 'http://0.0.0.0:2381' });
    expect(check('security/consensus-plain-http', [ns('db', { 'fleetcraft.io/environment': 'prod' }), https])).toEqual([]);
    expect(check('security/consensus-plain-http', [ns('db', { environment: 'staging' }), etcd({ ETCD_ADVERTISE_CLIENT_URLS: 'http://etcd:2379' })])).toEqual([]);
  });
});

describe('security/mesh-mtls-downgrade', () => {
  const pa = (name: string, mtls: Record<string, unknown>, portLevelMtls?: Record<string, unknown>): KubeObject => ({
    apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name, namespace: 'api' }, spec: { mtls, ...(portLevelMtls ? { portLevelMtls } : {}) },
  });
  test('PERMISSIVE or DISABLE beside a STRICT sibling is refused, port-level too', () => {
    const found = check('security/mesh-mtls-downgrade', [pa('api', { mode: 'STRICT' }), pa('legacy', { mode: 'PERMISSIVE' }), pa('probe', { mode: 'STRICT' }, { 8080: { mode: 'DISABLE' } })]);
    expect(found.map((f) => `${f.object} ${f.path}`)).toEqual(['legacy spec.mtls.mode', 'probe spec.portLevelMtls.8080.mode']);
    expect(found[0].message).toBe('sets PERMISSIVE in namespace api, where PeerAuthentication api requires STRICT: the pods it selects accept plain text; make it STRICT too');
  });
  test('PERMISSIVE alone, or in another namespace, passes', () => {
    expect(check('security/mesh-mtls-downgrade', [pa('legacy', { mode: 'PERMISSIVE' })])).toEqual([]);
  });
});

describe('security/ingress-tls-secret', () => {
  const ingress: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' }, spec: { tls: [{ hosts: ['a.example.com'], secretName: 'web-tls' }] } };
  test('a TLS Secret nothing writes warns; a Certificate, an ExternalSecret or a Secret writing it passes', () => {
    expect(check('security/ingress-tls-secret', [ingress])).toEqual([expect.objectContaining({ object: 'web', path: 'spec.tls[0].secretName', severity: 'warning' })]);
    const cert: KubeObject = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'web', namespace: 'shop' }, spec: { secretName: 'web-tls' } };
    expect(check('security/ingress-tls-secret', [ingress, cert])).toEqual([]);
  });
  test('secretsWritten: Secrets, ExternalSecret targets (not creationPolicy None), Certificates', () => {
    expect([...secretsWritten([
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'a', namespace: 'x' } },
      { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'b', namespace: 'x' }, spec: {} },
      { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'c', namespace: 'x' }, spec: { target: { name: 'd' } } },
      { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'e', namespace: 'x' }, spec: { target: { creationPolicy: 'None' } } },
      { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'f' }, spec: { secretName: 'g' } },
    ])].sort()).toEqual(['default/g', 'x/a', 'x/b', 'x/d']);
  });
});
