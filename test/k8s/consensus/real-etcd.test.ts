/**
 * The consensus scripts (membership hook Job, member join step, snapshot CronJob, Velero pre-backup hook) run
 * exactly as a ConsensusStatefulSet synthesizes them, against real etcd members started by ./etcd-harness.ts.
 * Skipped, loudly, where etcd is not installed (Debian: etcd-server and etcd-client). The members here are etcd 3.4
 * (Debian's); the image the environments pin is 3.5 — where the two differ, the scripts say so in a comment.
 */
import * as path from 'path';
import { Duration } from 'cdk8s';
import { ConsensusStatefulSet, ConsensusTls, InitialClusterState } from '../../../lib/k8s/consensus';
import { synth, testChart } from '../../util';
import { containerNamed, describeWithEtcd, describeWithEtcdTls, EtcdHarness, Manifest, MemberEntry, RunResult } from './etcd-harness';

const IMAGE = 'quay.io/coreos/etcd:v3.5.21';
const DATA: Readonly<Record<string, string>> = { 'app/alpha': '1', 'app/beta': 'two', 'app/gamma': 'three words' };
/** etcd's strict reconfiguration check wants the leader connected to every voter for the last 5 s before an add. */
const STRICT_RECONFIG_WINDOW_MS = 5500;

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The objects of a ConsensusStatefulSet 'raft' in namespace 'db', on the harness's ports, with short timings; with
 * `tls`, TLS from cert-manager (the harness issues the certificates).
 */
function manifest(h: EtcdHarness, replicas: number, initialClusterState: InitialClusterState, options: { tls?: boolean } = {}): Manifest {
  const chart = testChart();
  new ConsensusStatefulSet(chart, 'raft', {
    image: IMAGE, namespace: 'db', replicas, initialClusterState, ...h.ports,
    heartbeatInterval: Duration.millis(50), electionTimeout: Duration.millis(500),
    snapshots: { bucket: 'backups' },
    ...(options.tls ? { tls: ConsensusTls.certManager(), production: true } : {}),
  });
  return new Manifest(synth(chart), 'raft', 'db');
}

/** `raft-<ordinal> <status>[ learner]` for each member. */
const summary = (list: readonly MemberEntry[]) => list.map((m) => `raft-${m.ordinal} ${m.status}${m.learner ? ' learner' : ''}`);
const started = (...ordinals: number[]) => ordinals.map((i) => `raft-${i} started`);
/** `exit <code>` and what a run printed, so a failed assertion shows the whole output. */
const ran = (r: RunResult) => `exit ${r.code}\n${r.output}`;

/**
 * Starts a new cluster of `replicas` (state NEW), waits for it to be ready, writes DATA; returns the manifest. With
 * `tls`, the harness first issues the manifest's certificates, and the tests' own etcdctl presents the shared client
 * identity (`raft-client-tls`, what an allowed client such as the API mounts).
 */
async function bootstrap(h: EtcdHarness, replicas: number, options: { tls?: boolean } = {}): Promise<{ manifest: Manifest; settled: () => Promise<void> }> {
  const m = manifest(h, replicas, InitialClusterState.NEW, options);
  if (options.tls) h.issueCertificates(m, 'raft-client-tls');
  await h.startMembers(m, range(replicas));
  await h.waitReady(m, range(replicas));
  const t0 = Date.now();
  await h.put(0, DATA);
  return { manifest: m, settled: () => sleep(Math.max(0, t0 + STRICT_RECONFIG_WINDOW_MS - Date.now())) };
}

/** The StatefulSet's rolling update after a change of its environment: highest ordinal first, each ready before the next. */
async function rollingRestart(h: EtcdHarness, m: Manifest, ordinals: readonly number[]): Promise<void> {
  for (const i of [...ordinals].sort((a, b) => b - a)) {
    await h.stopMember(i);
    await h.startMembers(m, [i]);
    await h.waitReady(m, [i]);
  }
}

async function expectDataOnEach(h: EtcdHarness, ordinals: readonly number[]): Promise<void> {
  for (const i of ordinals) expect({ member: i, data: await h.readAll(h.clientUrl(i), 'app/') }).toEqual({ member: i, data: DATA });
}

/** The host file a container's path argument names, through the container's volume mounts. */
function hostPath(volumes: ReadonlyMap<string, string>, mounts: readonly { name: string; mountPath: string }[], podPath: string): string {
  const mount = mounts.find((v) => podPath.startsWith(`${v.mountPath}/`));
  if (!mount) throw new Error(`${podPath} is on no volume of the container`);
  return path.join(volumes.get(mount.name) as string, podPath.slice(mount.mountPath.length));
}

describeWithEtcd('consensus scripts against real etcd members', () => {
  let h: EtcdHarness;
  let t0 = 0;
  const timings: [string, number][] = [];

  beforeEach(async () => {
    h = await EtcdHarness.create();
    t0 = Date.now();
  });
  afterEach(async () => {
    timings.push([expect.getState().currentTestName ?? '?', Date.now() - t0]);
    await h.close();
  });
  afterAll(() => {
    process.stderr.write(`\nreal etcd scenarios:\n${timings.map(([n, ms]) => `  ${(ms / 1000).toFixed(1).padStart(5)} s  ${n}`).join('\n')}\n\n`);
  });

  test('scale 3 → 5: the Job registers one learner and one voter; both pods start at once, join in turn, hold the data', async () => {
    const { settled } = await bootstrap(h, 3);
    await settled();
    const m5 = manifest(h, 5, InitialClusterState.EXISTING);

    const job = await h.runMembershipJob(m5);
    expect(ran(job)).toMatch(/^exit 0\n/);
    expect(summary(await h.memberList(0))).toEqual([...started(0, 1, 2), 'raft-3 unstarted learner', 'raft-4 unstarted']);

    await h.startMembers(m5, [3, 4]);
    await h.waitReady(m5, [3, 4]);
    expect(summary(await h.memberList(0))).toEqual(started(0, 1, 2, 3, 4));
    await expectDataOnEach(h, range(5));
    // raft-4's join step held it until raft-3 had started, then promoted raft-3.
    const peer3 = `http://${h.memberIp(3)}:${h.ports.peerPort}`;
    expect(h.initOutput(3)).toContain('raft-3 joins the cluster');
    expect(h.initOutput(4)).toMatch(new RegExp(`waiting for ${peer3} to start first[\\s\\S]*promoted learner ${peer3} to a voter[\\s\\S]*raft-4 joins the cluster`));

    await rollingRestart(h, m5, [0, 1, 2]);
    expect(h.initOutput(0)).toContain('raft-0 has data: it restarts as the member it was');
    expect(summary(await h.memberList(4))).toEqual(started(0, 1, 2, 3, 4));
    await expectDataOnEach(h, range(5));
  });

  test('scale 5 → 3: the Job removes raft-4 then raft-3, checking health after each; no data lost', async () => {
    const { settled } = await bootstrap(h, 5);
    await settled();
    const m3 = manifest(h, 3, InitialClusterState.EXISTING);
    const peer = (i: number) => `http://${h.memberIp(i)}:${h.ports.peerPort}`;

    const job = await h.runMembershipJob(m3);
    expect(ran(job)).toMatch(/^exit 0\n/);
    const removing4 = job.output.indexOf(`removing member ${peer(4)}`);
    const removing3 = job.output.indexOf(`removing member ${peer(3)}`);
    expect({ removing4: removing4 >= 0, removing3After4: removing3 > removing4 }).toEqual({ removing4: true, removing3After4: true });
    expect(job.output.slice(removing4, removing3)).toContain('is healthy');
    expect(job.output.slice(removing3)).toContain('is healthy');

    // A removed member stops by itself; then the StatefulSet deletes the pods and (whenScaled: Delete) their claims.
    await h.waitExited(4);
    await h.waitExited(3);
    h.deleteClaims(3);
    h.deleteClaims(4);
    expect(summary(await h.memberList(0))).toEqual(started(0, 1, 2));
    await expectDataOnEach(h, range(3));

    await rollingRestart(h, m3, [0, 1, 2]);
    expect(summary(await h.memberList(2))).toEqual(started(0, 1, 2));
    await expectDataOnEach(h, range(3));
  });

  test('refusal: a majority down, the state still new, or growth by more than two: the Job exits non-zero and changes nothing', async () => {
    // The first sync: no cluster yet and the state new — nothing to do, the StatefulSet bootstraps.
    const firstSync = await h.runMembershipJob(manifest(h, 3, InitialClusterState.NEW));
    expect(ran(firstSync)).toMatch(/^exit 0\n[\s\S]*bootstrap sync/);

    const { manifest: m3, settled } = await bootstrap(h, 3);
    await settled();
    const before = await h.memberList(0);

    const stillNew = await h.runMembershipJob(manifest(h, 5, InitialClusterState.NEW));
    expect(ran(stillNew)).toMatch(/^exit 1\n[\s\S]*set it to existing in Git first/);
    expect(await h.memberList(0)).toEqual(before);

    const byFour = await h.runMembershipJob(manifest(h, 7, InitialClusterState.EXISTING));
    expect(ran(byFour)).toMatch(/^exit 1\n[\s\S]*at most two members per sync/);
    expect(await h.memberList(0)).toEqual(before);

    await h.stopMember(1);
    await h.stopMember(2);
    const m5 = manifest(h, 5, InitialClusterState.EXISTING);
    // raft-0 alone has no leader, so it is not ready and the client Service has no endpoint.
    const noEndpoint = await h.runMembershipJob(m5);
    expect(ran(noEndpoint)).toMatch(/^exit 1\n[\s\S]*refusing to change membership blind/);
    // Readiness lags: the Service still sends the Job to raft-0, which answers member list from its own view.
    const minority = await h.runMembershipJob(m5, { serviceTarget: 0 });
    expect(ran(minority)).toMatch(/^exit 1\n[\s\S]*no quorum/);
    const shrink = await h.runMembershipJob(manifest(h, 1, InitialClusterState.EXISTING), { serviceTarget: 0 });
    expect(ran(shrink)).toMatch(/^exit 1\n[\s\S]*no quorum/);

    await h.startMembers(m3, [1, 2]);
    await h.waitReady(m3, [0, 1, 2]);
    expect(await h.memberList(0)).toEqual(before);
    await expectDataOnEach(h, range(3));
  });

  test('idempotence: running the Job twice for the same target changes nothing the second time', async () => {
    const { settled } = await bootstrap(h, 3);
    await settled();
    const before = await h.memberList(0);

    const m3 = manifest(h, 3, InitialClusterState.EXISTING);
    for (const run of [await h.runMembershipJob(m3), await h.runMembershipJob(m3)]) {
      expect(ran(run)).toMatch(/^exit 0\n[\s\S]*already match/);
    }
    expect(await h.memberList(0)).toEqual(before);

    // A second sync while the new pods have not started yet (e.g. a retried sync): nothing more is registered.
    const m5 = manifest(h, 5, InitialClusterState.EXISTING);
    expect(ran(await h.runMembershipJob(m5))).toMatch(/^exit 0\n/);
    const afterFirst = await h.memberList(0);
    expect(summary(afterFirst)).toEqual([...started(0, 1, 2), 'raft-3 unstarted learner', 'raft-4 unstarted']);
    expect(ran(await h.runMembershipJob(m5))).toMatch(/^exit 0\n/);
    expect(await h.memberList(0)).toEqual(afterFirst);

    // And once they run, a third run changes nothing either.
    await h.startMembers(m5, [3, 4]);
    await h.waitReady(m5, [3, 4]);
    const grown = await h.memberList(0);
    expect(ran(await h.runMembershipJob(m5))).toMatch(/^exit 0\n[\s\S]*already match/);
    expect(await h.memberList(0)).toEqual(grown);
  });

  test('snapshot: the CronJob\'s snapshot and the Velero hook\'s each restore into a new one-member cluster holding the data', async () => {
    const { manifest: m } = await bootstrap(h, 3);

    const cron = m.snapshotCronJob;
    const take = containerNamed(cron, 'snapshot');
    const run = await h.run(m, cron, 'snapshot');
    expect(ran(run)).toMatch(/^exit 0\n/);
    const cronFile = hostPath(run.volumes, take.volumeMounts ?? [], [...(take.command ?? []), ...(take.args ?? [])].slice(-1)[0]);
    const fromCron = await h.restoreSingleMember(cronFile, 'cron');
    expect(await h.readAll(fromCron, 'app/')).toEqual(DATA);
    expect((await h.etcdctl(fromCron, ['member', 'list', '-w', 'simple'])).trim().split('\n')).toHaveLength(1);
    await h.stopExtras();

    // Velero runs the hook in member 1's container, which writes the snapshot onto that member's data volume.
    const hook = m.veleroPreBackupHook;
    const exec = await h.execInMember(m, 1, hook.container, hook.command);
    expect(ran(exec)).toMatch(/^exit 0\n/);
    const member = containerNamed(m.memberPod, hook.container);
    const claims = new Map(m.claimNames.map((c) => [c, h.claimDir(1, c)]));
    const veleroFile = hostPath(claims, member.volumeMounts ?? [], hook.command[hook.command.length - 1]);
    const fromVelero = await h.restoreSingleMember(veleroFile, 'velero');
    expect(await h.readAll(fromVelero, 'app/')).toEqual(DATA);
    expect((await h.etcdctl(fromVelero, ['member', 'list', '-w', 'simple'])).trim().split('\n')).toHaveLength(1);
  });
});

describeWithEtcdTls('consensus scripts against real etcd members speaking TLS (the StatefulSet\'s own TLS settings)', () => {
  let h: EtcdHarness;
  beforeEach(async () => {
    h = await EtcdHarness.create();
  });
  afterEach(async () => {
    await h.close();
  });

  test('scale 3 → 5 over https with client certificates; plain or unauthenticated clients are refused; a renewed member certificate is served without a restart', async () => {
    const { settled } = await bootstrap(h, 3, { tls: true });

    // Only a client with a certificate from the CA gets in: not plain http, not TLS without a client certificate; and
    // the peer port takes only member certificates (ETCD_PEER_CERT_ALLOWED_CN), not the clients' shared identity.
    await expect(h.etcdctl(`http://${h.memberIp(0)}:${h.ports.clientPort}`, ['endpoint', 'health'], 8000)).rejects.toThrow(/exited/);
    expect(await h.tlsGet(0, h.ports.clientPort, '/version')).toEqual({ error: expect.stringMatching(/alert bad certificate/) });
    expect(await h.tlsGet(0, h.ports.clientPort, '/version', 'raft-client-tls')).toEqual({ status: 200 });
    expect(await h.tlsGet(0, h.ports.peerPort, '/version', 'raft-member-tls')).toEqual({ status: 200 });
    expect(await h.tlsGet(0, h.ports.peerPort, '/version', 'raft-client-tls')).toEqual({ error: expect.stringMatching(/alert bad certificate/) });
    const log = h.logTail(0, 1000);
    expect([/client didn't provide a certificate/.test(log), /client certificate authentication failed/.test(log)]).toEqual([true, true]);
    expect(await h.readAll(h.clientUrl(1), 'app/')).toEqual(DATA);

    await settled();
    const m5 = manifest(h, 5, InitialClusterState.EXISTING, { tls: true });
    const job = await h.runMembershipJob(m5);
    expect(ran(job)).toMatch(/^exit 0\n/);
    expect(summary(await h.memberList(0))).toEqual([...started(0, 1, 2), 'raft-3 unstarted learner', 'raft-4 unstarted']);
    await h.startMembers(m5, [3, 4]);
    await h.waitReady(m5, [3, 4]);
    const list = await h.memberList(0);
    expect(summary(list)).toEqual(started(0, 1, 2, 3, 4));
    expect(list.map((e) => e.peerUrl)).toEqual(range(5).map((i) => `https://${h.memberIp(i)}:${h.ports.peerPort}`));
    await expectDataOnEach(h, range(5));
    expect(h.initOutput(4)).toMatch(/promoted learner https:\/\/[\d.]+:\d+ to a voter[\s\S]*raft-4 joins the cluster/);

    // cert-manager renews the member certificate into its Secret; a new handshake gets the new one, no restart.
    const before = h.servedSerial(0);
    const renewed = h.renew(m5, 'raft-member');
    expect(renewed).not.toBe(before);
    expect(h.servedSerial(0)).toBe(renewed);
    await h.put(2, { 'app/after-renewal': 'yes' });
    expect(await h.readAll(h.clientUrl(4), 'app/after-renewal')).toEqual({ 'app/after-renewal': 'yes' });
  });

  test('snapshot over https: the CronJob\'s snapshot (operations certificate) and the Velero hook\'s (the member\'s own) each restore, holding the data', async () => {
    const { manifest: m } = await bootstrap(h, 3, { tls: true });

    const cron = m.snapshotCronJob;
    const take = containerNamed(cron, 'snapshot');
    expect(take.env?.find((e) => e.name === 'ETCDCTL_CERT')?.value).toBe('/etc/consensus/tls/tls.crt');
    const run = await h.run(m, cron, 'snapshot');
    expect(ran(run)).toMatch(/^exit 0\n/);
    const cronFile = hostPath(run.volumes, take.volumeMounts ?? [], [...(take.command ?? []), ...(take.args ?? [])].slice(-1)[0]);
    const fromCron = await h.restoreSingleMember(cronFile, 'cron');
    expect(await h.readAll(fromCron, 'app/')).toEqual(DATA);
    await h.stopExtras();

    const hook = m.veleroPreBackupHook;
    expect(hook.command).toEqual(expect.arrayContaining(['--endpoints=https://127.0.0.1:' + h.ports.clientPort, '--cert=/etc/consensus/tls/tls.crt']));
    const exec = await h.execInMember(m, 1, hook.container, hook.command);
    expect(ran(exec)).toMatch(/^exit 0\n/);
    const memberContainer = containerNamed(m.memberPod, hook.container);
    const claims = new Map(m.claimNames.map((c) => [c, h.claimDir(1, c)]));
    const veleroFile = hostPath(claims, memberContainer.volumeMounts ?? [], hook.command[hook.command.length - 1]);
    const fromVelero = await h.restoreSingleMember(veleroFile, 'velero');
    expect(await h.readAll(fromVelero, 'app/')).toEqual(DATA);
  });
});
