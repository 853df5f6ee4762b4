import { App, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { HookErrorMode } from '../../../lib/k8s/backup';
import {
  CONSENSUS_TLS_MOUNT_PATH, ConsensusCertificateAuthority, ConsensusClientEgress, ConsensusEngine, ConsensusStatefulSet, ConsensusStatefulSetProps,
  ConsensusTls, IConsensusClient, MAX_MEMBERS,
} from '../../../lib/k8s/consensus';
import { KubeObject } from '../../../lib/policy/objects';
import { countOf, field, findAll, findObject, synth, testApp, testChart } from '../../util';

const IMAGE = 'quay.io/coreos/etcd:v3.5.21';
const msg = (rest: string) => `ConsensusStatefulSet 'raft': ${rest}`;

const build = (props: Partial<ConsensusStatefulSetProps> = {}) => {
  const chart = testChart();
  const cluster = new ConsensusStatefulSet(chart, 'raft', { image: IMAGE, namespace: 'db', tls: ConsensusTls.certManager(), ...props });
  return { cluster, objects: synth(chart) };
};

type Env = Array<{ name: string; value?: string }>;
interface Container { name: string; env?: Env; volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>; command?: string[] }
const envOf = (c: Container): Record<string, string | undefined> => Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));
const podSpec = (objects: KubeObject[], kind: string, name: string, path = 'spec.template.spec') =>
  field(findObject(objects, kind, name, 'db'), path) as { containers: Container[]; initContainers?: Container[]; volumes?: unknown[] };
const member = (objects: KubeObject[]) => podSpec(objects, 'StatefulSet', 'raft').containers[0];
const cert = (objects: KubeObject[], name: string, ns = 'db') => field(findObject(objects, 'Certificate', name, ns), 'spec') as Record<string, unknown>;

const TLS_MOUNT = { name: 'tls', mountPath: '/etc/consensus/tls', readOnly: true };
const CLIENT_TLS_ENV = { ETCDCTL_CACERT: '/etc/consensus/tls/ca.crt', ETCDCTL_CERT: '/etc/consensus/tls/tls.crt', ETCDCTL_KEY: '/etc/consensus/tls/tls.key' };

/** A workload that can be allowed as a client: a construct with a pod selector, a namespace and an egress hook. */
class Client extends Construct implements IConsensusClient {
  public readonly egress: ConsensusClientEgress[] = [];
  constructor(scope: Construct, id: string, public readonly namespace?: string, public readonly podSelector: Record<string, string> = { app: 'api' }) {
    super(scope, id);
  }
  /** Idempotent, as the interface asks. */
  public allowEgressTo(rule: ConsensusClientEgress): void {
    if (!this.egress.some((r) => JSON.stringify(r) === JSON.stringify(rule))) this.egress.push(rule);
  }
}

/** raft in namespace `db` and a client in namespace `api`, one App. */
const twoNamespaces = (tls: ConsensusTls) => {
  const app: App = testApp();
  const db = new Chart(app, 'db', { namespace: 'db', disableResourceNameHashes: true });
  const raft = new ConsensusStatefulSet(db, 'raft', { image: IMAGE, tls });
  const client = new Client(new Chart(app, 'api', { namespace: 'api', disableResourceNameHashes: true }), 'api');
  return { app, db, raft, client };
};

describe('ConsensusStatefulSet tls', () => {
  describe('defaults', () => {
    const { cluster, objects } = build();

    test('tls defaults to none: plain http, no cert-manager objects, no key pair mounted', () => {
      const plain = build({ tls: undefined });
      expect(plain.cluster.clientEndpoint).toBe('http://raft.db.svc.cluster.local:2379');
      expect(plain.cluster.peerUrls[0]).toBe('http://raft-0.raft-peer.db.svc.cluster.local:2380');
      expect(plain.objects.filter((o) => o.apiVersion === 'cert-manager.io/v1')).toEqual([]);
      expect([plain.cluster.certificates, plain.cluster.clientCertificateSecretName]).toEqual([undefined, undefined]);
      expect(envOf(member(plain.objects)).ETCD_CLIENT_CERT_AUTH).toBeUndefined();
      expect(member(plain.objects).volumeMounts).toEqual([{ name: 'data', mountPath: '/var/lib/etcd' }]);
    });

    test('the snapshot and membership Jobs\' tlsSecretName defaults to none: no key pair mounted', () => {
      const plain = build({ tls: undefined, snapshots: { bucket: 'backups' } });
      const cron = podSpec(plain.objects, 'CronJob', 'raft-snapshot', 'spec.jobTemplate.spec.template.spec');
      const job = podSpec(plain.objects, 'Job', 'raft-membership');
      expect([cron.volumes, job.volumes].map((v) => (v as Array<{ name: string }>).map((x) => x.name))).toEqual([['snapshot', 'tmp'], ['tmp']]);
      expect(envOf(job.containers[0]).ETCDCTL_CACERT).toBeUndefined();
    });

    test('authority defaults to selfSigned: a self-signed Issuer, the CA Certificate and the CA Issuer, in the namespace', () => {
      expect(field(findObject(objects, 'Issuer', 'raft-selfsigned', 'db'), 'spec')).toEqual({ selfSigned: {} });
      expect(cert(objects, 'raft-ca')).toEqual(expect.objectContaining({
        isCA: true, secretName: 'raft-ca', commonName: 'raft-ca',
        issuerRef: { name: 'raft-selfsigned', kind: 'Issuer', group: 'cert-manager.io' },
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Never' },
      }));
      expect(field(findObject(objects, 'Issuer', 'raft-ca', 'db'), 'spec')).toEqual({ ca: { secretName: 'raft-ca' } });
      expect(cluster.certificates?.caSecretName).toBe('raft-ca');
      for (const name of ['raft-member', 'raft-operations', 'raft-client']) {
        expect(cert(objects, name).issuerRef).toEqual({ name: 'raft-ca', kind: 'Issuer', group: 'cert-manager.io' });
      }
    });

    test('the CA: duration defaults to 3650 days, renewBefore to 365 days', () => {
      expect([cert(objects, 'raft-ca').duration, cert(objects, 'raft-ca').renewBefore]).toEqual(['87600h0m0s', '8760h0m0s']);
    });

    test('member and client certificates: certificateDuration defaults to 90 days, renewBefore to 30 days; a new ECDSA key at each renewal', () => {
      for (const name of ['raft-member', 'raft-operations', 'raft-client']) {
        expect(cert(objects, name)).toEqual(expect.objectContaining({
          duration: '2160h0m0s', renewBefore: '720h0m0s', privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        }));
      }
    });

    test('three certificates: member (server and client auth), operations and client (client auth), each with its Secret', () => {
      expect(findAll(objects, 'Certificate').map((o) => `${o.metadata?.name} → ${(o.spec as { secretName: string }).secretName}`)).toEqual([
        'raft-ca → raft-ca', 'raft-member → raft-member-tls', 'raft-operations → raft-operations-tls', 'raft-client → raft-client-tls',
      ]);
      expect(cert(objects, 'raft-member').usages).toEqual(['digital signature', 'server auth', 'client auth']);
      expect(cert(objects, 'raft-operations').usages).toEqual(['digital signature', 'client auth']);
      expect(cert(objects, 'raft-client').usages).toEqual(['digital signature', 'client auth']);
      expect(cert(objects, 'raft-member').commonName).toBe('raft-member');
      expect(cluster.clientCertificateSecretName).toBe('raft-client-tls');
      expect(cluster.certificates?.secretNames).toEqual({ member: 'raft-member-tls', operations: 'raft-operations-tls', client: 'raft-client-tls' });
    });
  });

  describe('the member certificate covers every member', () => {
    test('every possible member\'s stable DNS names up to the most members, the client Service\'s names, localhost and 127.0.0.1', () => {
      const { objects } = build({ replicas: 3 });
      const spec = cert(objects, 'raft-member');
      const members = Array.from({ length: MAX_MEMBERS }, (_, i) => [
        `raft-${i}.raft-peer`, `raft-${i}.raft-peer.db.svc`, `raft-${i}.raft-peer.db.svc.cluster.local`,
      ]).flat();
      expect(spec.dnsNames).toEqual([...members, 'raft', 'raft.db', 'raft.db.svc', 'raft.db.svc.cluster.local', 'localhost']);
      expect(spec.ipAddresses).toEqual(['127.0.0.1']);
    });

    test('every host in the peer and client URLs is one of its names', () => {
      const { cluster, objects } = build({ replicas: 11, clusterDomain: 'east.local' });
      const names = cert(objects, 'raft-member').dnsNames as string[];
      const hosts = [...cluster.peerUrls, cluster.clientEndpoint].map((u) => new URL(u).hostname);
      expect(hosts.filter((h) => !names.includes(h))).toEqual([]);
      expect(hosts).toHaveLength(12);
    });

    test('without a namespace, the namespace-relative names', () => {
      const chart = testChart();
      new ConsensusStatefulSet(chart, 'raft', { image: IMAGE, tls: ConsensusTls.certManager() });
      const names = field(findObject(synth(chart), 'Certificate', 'raft-member'), 'spec.dnsNames') as string[];
      expect(names.slice(0, 2)).toEqual(['raft-0.raft-peer', 'raft-1.raft-peer']);
      expect(names.slice(-2)).toEqual(['raft', 'localhost']);
    });
  });

  describe('the members', () => {
    const { cluster, objects } = build({ replicas: 5 });
    const e = envOf(member(objects));

    test('https peer and client URLs; clientEndpoint and peerUrls say so', () => {
      expect(cluster.clientEndpoint).toBe('https://raft.db.svc.cluster.local:2379');
      expect(cluster.peerUrls).toEqual([0, 1, 2, 3, 4].map((i) => `https://raft-${i}.raft-peer.db.svc.cluster.local:2380`));
      expect(e).toEqual(expect.objectContaining({
        ETCD_LISTEN_PEER_URLS: 'https://0.0.0.0:2380', ETCD_LISTEN_CLIENT_URLS: 'https://0.0.0.0:2379',
        ETCD_ADVERTISE_CLIENT_URLS: 'https://$(ETCD_NAME).raft-peer.db.svc.cluster.local:2379',
        ETCD_INITIAL_ADVERTISE_PEER_URLS: 'https://$(ETCD_NAME).raft-peer.db.svc.cluster.local:2380',
        ETCD_INITIAL_CLUSTER: cluster.peerUrls.map((u, i) => `raft-${i}=${u}`).join(','),
      }));
    });

    test('client-certificate authentication on the client and the peer port, only member certificates on the peer port', () => {
      expect(e).toEqual(expect.objectContaining({
        ETCD_CERT_FILE: '/etc/consensus/tls/tls.crt', ETCD_KEY_FILE: '/etc/consensus/tls/tls.key', ETCD_TRUSTED_CA_FILE: '/etc/consensus/tls/ca.crt',
        ETCD_CLIENT_CERT_AUTH: 'true',
        ETCD_PEER_CERT_FILE: '/etc/consensus/tls/tls.crt', ETCD_PEER_KEY_FILE: '/etc/consensus/tls/tls.key', ETCD_PEER_TRUSTED_CA_FILE: '/etc/consensus/tls/ca.crt',
        ETCD_PEER_CLIENT_CERT_AUTH: 'true', ETCD_PEER_CERT_ALLOWED_CN: 'raft-member',
      }));
      expect(CONSENSUS_TLS_MOUNT_PATH).toBe('/etc/consensus/tls');
    });

    test('the metrics port stays plain HTTP, and every probe uses it', () => {
      expect(e.ETCD_LISTEN_METRICS_URLS).toBe('http://0.0.0.0:2381');
      const c = member(objects) as unknown as Record<string, unknown>;
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
        expect(field(c, `${probe}.httpGet`)).toEqual(expect.objectContaining({ port: 2381, scheme: 'HTTP' }));
      }
    });

    test('the member Secret is mounted whole and read-only in the member and its join step; group-readable only', () => {
      const pod = podSpec(objects, 'StatefulSet', 'raft');
      expect(member(objects).volumeMounts).toEqual([{ name: 'data', mountPath: '/var/lib/etcd' }, TLS_MOUNT]);
      const join = pod.initContainers?.[0] as Container;
      expect(join.volumeMounts).toContainEqual(TLS_MOUNT);
      expect(pod.volumes).toContainEqual({ name: 'tls', secret: { secretName: 'raft-member-tls', defaultMode: 0o440 } });
      expect(JSON.stringify(pod)).not.toContain('subPath');
    });

    test('the join step calls the client Service over https with the member\'s certificate', () => {
      const join = podSpec(objects, 'StatefulSet', 'raft').initContainers?.[0] as Container;
      expect(envOf(join)).toEqual(expect.objectContaining({ ETCDCTL_ENDPOINTS: 'https://raft.db.svc.cluster.local:2379', ...CLIENT_TLS_ENV }));
    });

    test('the Velero pre-backup hook: https to the member itself, with the member\'s mounted certificate', () => {
      const command = ['etcdctl', '--endpoints=https://127.0.0.1:2379', '--cacert=/etc/consensus/tls/ca.crt', '--cert=/etc/consensus/tls/tls.crt',
        '--key=/etc/consensus/tls/tls.key', 'snapshot', 'save', '/var/lib/etcd/velero-snapshot.db'];
      expect(field(findObject(objects, 'StatefulSet', 'raft', 'db'), 'spec.template.metadata.annotations')).toEqual(expect.objectContaining({
        'pre.hook.backup.velero.io/command': JSON.stringify(command),
      }));
      expect(cluster.preBackupHooks).toEqual([expect.objectContaining({ command, container: 'etcd', onError: HookErrorMode.FAIL })]);
    });
  });

  describe('the Jobs', () => {
    const { objects } = build({ snapshots: { bucket: 'backups' } });

    test('the membership Job: https and the operations certificate', () => {
      const job = podSpec(objects, 'Job', 'raft-membership').containers[0];
      expect(envOf(job)).toEqual(expect.objectContaining({ ETCDCTL_ENDPOINTS: 'https://raft.db.svc.cluster.local:2379', ...CLIENT_TLS_ENV }));
      expect(envOf(job).DESIRED_PEER_URLS?.split(',').every((u) => u.startsWith('https://'))).toBe(true);
      expect(envOf(job).REMOVAL_ORDER?.split(',')).toEqual(Array.from({ length: 8 }, (_, i) => `https://raft-${10 - i}.raft-peer.db.svc.cluster.local:2380`));
      expect(job.volumeMounts).toContainEqual(TLS_MOUNT);
      expect(podSpec(objects, 'Job', 'raft-membership').volumes).toContainEqual({ name: 'tls', secret: { secretName: 'raft-operations-tls', defaultMode: 0o440 } });
    });

    test('the snapshot CronJob: https and the operations certificate in the step that takes the snapshot; not in the uploader', () => {
      const pod = podSpec(objects, 'CronJob', 'raft-snapshot', 'spec.jobTemplate.spec.template.spec');
      const take = pod.initContainers?.[0] as Container;
      expect(take.command).toEqual(['etcdctl', '--endpoints=https://raft.db.svc.cluster.local:2379', 'snapshot', 'save', '/snapshot/snapshot.db']);
      expect(envOf(take)).toEqual(CLIENT_TLS_ENV);
      expect(take.volumeMounts).toContainEqual(TLS_MOUNT);
      expect(pod.containers[0].volumeMounts?.map((m) => m.name)).toEqual(['snapshot', 'tmp']);
      expect(pod.volumes).toContainEqual({ name: 'tls', secret: { secretName: 'raft-operations-tls', defaultMode: 0o440 } });
    });
  });

  describe('overrides', () => {
    test('certificate lifetimes and the CA\'s', () => {
      const { objects } = build({
        tls: ConsensusTls.certManager({
          certificateDuration: Duration.days(30), renewBefore: Duration.days(10),
          authority: ConsensusCertificateAuthority.selfSigned({ duration: Duration.days(730), renewBefore: Duration.days(180) }),
        }),
      });
      expect([cert(objects, 'raft-member').duration, cert(objects, 'raft-member').renewBefore]).toEqual(['720h0m0s', '240h0m0s']);
      expect([cert(objects, 'raft-ca').duration, cert(objects, 'raft-ca').renewBefore]).toEqual(['17520h0m0s', '4320h0m0s']);
    });

    test('a ClusterIssuer authority: no Issuer or CA of the cluster\'s own; every certificate from the ClusterIssuer', () => {
      const { cluster, objects } = build({ tls: ConsensusTls.certManager({ authority: ConsensusCertificateAuthority.clusterIssuer('platform-ca') }) });
      expect(findAll(objects, 'Issuer')).toEqual([]);
      expect(findAll(objects, 'Certificate').map((o) => o.metadata?.name)).toEqual(['raft-member', 'raft-operations', 'raft-client']);
      expect(cert(objects, 'raft-client').issuerRef).toEqual({ name: 'platform-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' });
      expect([cluster.certificates?.issuer, cluster.certificates?.caSecretName]).toEqual([undefined, undefined]);
    });

    test('production with TLS disabled for a stated reason: plain http', () => {
      const { cluster, objects } = build({ production: true, tls: ConsensusTls.disabled('the mesh encrypts pod traffic (STRICT mTLS)') });
      expect(cluster.clientEndpoint).toBe('http://raft.db.svc.cluster.local:2379');
      expect(objects.filter((o) => o.apiVersion === 'cert-manager.io/v1')).toEqual([]);
      expect(ConsensusTls.disabled('the mesh encrypts pod traffic (STRICT mTLS)').reason).toBe('the mesh encrypts pod traffic (STRICT mTLS)');
    });

    test('the generic engine gets the key pair as documented variables', () => {
      const { objects } = build({ engine: ConsensusEngine.generic({ snapshotCommand: ['raftctl', 'snapshot'] }), image: 'ghcr.io/acme/raftd:1.4.0', snapshots: { bucket: 'b' } });
      expect(envOf(member(objects))).toEqual(expect.objectContaining({
        RAFT_TLS_CERT_FILE: '/etc/consensus/tls/tls.crt', RAFT_TLS_KEY_FILE: '/etc/consensus/tls/tls.key', RAFT_TLS_CA_FILE: '/etc/consensus/tls/ca.crt',
        RAFT_TLS_PEER_COMMON_NAME: 'raft-member',
      }));
      const take = podSpec(objects, 'CronJob', 'raft-snapshot', 'spec.jobTemplate.spec.template.spec').initContainers?.[0] as Container;
      expect(envOf(take)).toEqual(expect.objectContaining({ RAFT_CLIENT_ENDPOINT: 'https://raft.db.svc.cluster.local:2379', RAFT_TLS_CERT_FILE: '/etc/consensus/tls/tls.crt' }));
    });
  });

  describe('clients', () => {
    test('same namespace: allowClient adds no certificate; the client mounts clientCertificateSecretName', () => {
      const chart = testChart();
      const raft = new ConsensusStatefulSet(chart, 'raft', { image: IMAGE, namespace: 'db', tls: ConsensusTls.certManager() });
      raft.allowClient(new Client(chart, 'api', 'db'));
      expect(findAll(synth(chart), 'Certificate')).toHaveLength(4);
      expect(raft.addClientCertificate('db')).toBe(raft.certificates?.client);
    });

    test('another namespace with a ClusterIssuer: allowClient issues the shared client identity there, once', () => {
      const { app, raft, client } = twoNamespaces(ConsensusTls.certManager({ authority: ConsensusCertificateAuthority.clusterIssuer('platform-ca') }));
      raft.allowClient(client);
      raft.allowClient(client);
      expect(raft.addClientCertificate('api')).toBe(raft.addClientCertificate('api'));
      const objects = app.charts.flatMap((c) => synth(c));
      expect(countOf(objects, 'Certificate', 'raft-client', 'api')).toBe(1);
      expect(cert(objects, 'raft-client', 'api')).toEqual(expect.objectContaining({
        secretName: 'raft-client-tls', usages: ['digital signature', 'client auth'], issuerRef: { name: 'platform-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' },
      }));
      expect(client.egress).toEqual([{ namespace: 'db', podLabels: raft.memberSelector, ports: [2379] }]);
    });
  });

  describe('refuses', () => {
    test('production without tls, naming the value and the fix', () => {
      expect(() => build({ production: true, tls: undefined })).toThrow(msg(
        'tls (undefined) must be set when production is true: without it the peer and client ports speak plain http, unauthenticated, to anything that gets past the NetworkPolicy; pass tls: ConsensusTls.certManager(), or opt out explicitly with tls: ConsensusTls.disabled(\'<why plain http is acceptable>\')'));
    });

    test('a client in another namespace when the cluster\'s own CA issues only in its namespace', () => {
      const { raft, client } = twoNamespaces(ConsensusTls.certManager());
      expect(() => raft.allowClient(client)).toThrow(msg(
        'allowClient(client "api/api").namespace ("api") cannot mount the client certificate Secret "raft-client-tls": the cluster\'s own CA issues only in its namespace ("db"); run the client in that namespace, or issue from a ClusterIssuer: tls: ConsensusTls.certManager({ authority: ConsensusCertificateAuthority.clusterIssuer(name) })'));
      expect(() => raft.addClientCertificate('api')).toThrow(msg('addClientCertificate(namespace) ("api") cannot be issued into'));
    });

    test('a client certificate without TLS', () => {
      const chart = testChart();
      const raft = new ConsensusStatefulSet(chart, 'raft', { image: IMAGE, namespace: 'db' });
      expect(() => raft.addClientCertificate('api')).toThrow(msg('tls (undefined) is not cert-manager TLS, so there is no client certificate to issue; set tls: ConsensusTls.certManager({ ... })'));
    });

    test('disabled without a reason', () => {
      expect(() => ConsensusTls.disabled('  ')).toThrow('ConsensusTls \'disabled\': reason ("  ") must say why plain http is acceptable; e.g. ConsensusTls.disabled(\'a service mesh encrypts pod traffic\')');
      expect(() => ConsensusTls.disabled(undefined as never)).toThrow('ConsensusTls \'disabled\': reason (undefined) is required');
    });

    test('certificate lifetimes cert-manager would refuse or never renew', () => {
      expect(() => ConsensusTls.certManager({ certificateDuration: Duration.minutes(30) })).toThrow(
        'ConsensusTls \'certManager\': certificateDuration ("30 minutes") must be a whole number of milliseconds and at least one hour (cert-manager\'s minimum); use e.g. Duration.days(90)');
      expect(() => ConsensusTls.certManager({ certificateDuration: Duration.days(30) })).toThrow(
        'ConsensusTls \'certManager\': renewBefore ("30 days") must be more than zero and less than certificateDuration (30 days), or the certificate is renewed all the time or never; use about a third of certificateDuration, e.g. Duration.days(30) for 90 days');
      expect(() => ConsensusCertificateAuthority.selfSigned({ duration: Duration.days(365) })).toThrow(
        'ConsensusTls \'selfSigned\': renewBefore ("365 days") must be more than zero and less than duration (365 days)');
    });

    test('options and authorities of the wrong shape', () => {
      expect(() => build({ tls: 'on' as never })).toThrow(msg('tls ("on") must be a ConsensusTls, not a string; build one with ConsensusTls.certManager()'));
      expect(() => ConsensusTls.certManager({ authority: 'platform-ca' as never })).toThrow(
        'ConsensusTls \'certManager\': authority ("platform-ca") must be a ConsensusCertificateAuthority, not a string; build one with ConsensusCertificateAuthority.selfSigned()');
      expect(() => ConsensusTls.certManager({ renewBefore: '720h' as never })).toThrow('ConsensusTls \'certManager\': renewBefore ("720h") must be a Duration');
      expect(() => ConsensusCertificateAuthority.clusterIssuer('Platform CA')).toThrow('ConsensusTls \'clusterIssuer\': name ("Platform CA") must be an object name');
    });
  });
});
