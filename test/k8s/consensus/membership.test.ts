import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { InitialClusterState } from '../../../lib/k8s/consensus';
import { ConsensusStatefulSet } from '../../../lib/k8s/consensus';
import { ETCD_JOIN_SCRIPT, ETCD_MEMBERSHIP_SCRIPT } from '../../../lib/k8s/consensus';
import { field, findObject, synth, testChart } from '../../util';

const IMAGE = 'quay.io/coreos/etcd:v3.5.21';

describe('ConsensusMembership', () => {
  const chart = testChart();
  const cluster = new ConsensusStatefulSet(chart, 'raft', { image: IMAGE, namespace: 'db' });
  const objects = synth(chart);
  const job = findObject(objects, 'Job', 'raft-membership', 'db');
  const pod = field(job, 'spec.template.spec') as Record<string, unknown>;

  test('an Argo CD PreSync hook, re-created on every sync', () => {
    expect(job.metadata?.annotations).toEqual({ 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' });
    expect(cluster.membership?.job).toBeDefined();
  });

  test('retries with back-off for at most 15 minutes, never restarts in place', () => {
    expect(field(job, 'spec.backoffLimit')).toBe(6);
    expect(field(job, 'spec.activeDeadlineSeconds')).toBe(900);
    expect(pod.restartPolicy).toBe('Never');
  });

  test('runs the reconciler script with sh in the tools image, restricted, with a writable /tmp', () => {
    const c = field(pod, 'containers.0') as Record<string, unknown>;
    expect(c.command).toEqual(['/bin/sh', '-c', ETCD_MEMBERSHIP_SCRIPT]);
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    expect(c.securityContext).toEqual(expect.objectContaining({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }));
    expect(c.volumeMounts).toEqual([{ mountPath: '/tmp', name: 'tmp' }]);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(field(pod, 'securityContext.seccompProfile')).toEqual({ type: 'RuntimeDefault' });
    expect(field(job, 'spec.template.metadata.labels')).toEqual(expect.objectContaining({ 'app.kubernetes.io/component': 'membership' }));
  });

  test('its NetworkPolicy allows only the members\' client port and DNS', () => {
    const np = findObject(objects, 'NetworkPolicy', 'raft-membership', 'db');
    expect(field(np, 'spec.podSelector')).toEqual({ matchLabels: { ...cluster.memberSelector, 'app.kubernetes.io/component': 'membership' } });
    expect(field(np, 'spec.ingress')).toBeUndefined();
    expect(field(np, 'spec.egress.0')).toEqual({ to: [{ podSelector: { matchLabels: cluster.memberSelector } }], ports: [{ protocol: 'TCP', port: 2379 }] });
    expect(field(np, 'spec.egress.1.ports')).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
  });
});

/**
 * The reconciler script against a fake etcdctl that keeps the member list in a file (`id, status, name, peer URL,
 * client URL, is learner`, as `etcdctl member list -w simple` prints it) and logs every change.
 */
describe('the etcd membership script', () => {
  const FAKE_ETCDCTL = `#!/bin/sh
case "$1 $2" in
  "member list") [ -n "\${DOWN:-}" ] && { echo "Error: context deadline exceeded" >&2; exit 1; }; cat "$STATE" ;;
  "member remove") echo "remove $3" >> "$LOG"; grep -v "^$3," "$STATE" > "$STATE.new"; mv "$STATE.new" "$STATE" ;;
  "member add") shift 2; echo "add $*" >> "$LOG"; [ -n "\${REFUSE_ADD:-}" ] && exit 1
    learner=false; [ "$2" = --learner ] && { learner=true; shift; }
    echo "new$1, unstarted, , \${2#--peer-urls=}, , $learner" >> "$STATE" ;;
  "endpoint health") echo "health\${3:+ $3}" >> "$LOG"; [ -n "\${NO_QUORUM:-}" ] && [ -z "\${3:-}" ] && exit 1; exit 0 ;;
esac
`;
  const url = (i: number) => `http://raft-${i}.raft-peer:2380`;
  const line = (i: number) => `m${i}, started, raft-${i}, ${url(i)}, http://raft-${i}.raft-peer:2379, false`;

  const run = (live: string[], replicas: number, state: InitialClusterState, extra: Record<string, string> = {}) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consensus-membership-'));
    try {
      fs.writeFileSync(path.join(dir, 'etcdctl'), FAKE_ETCDCTL, { mode: 0o755 });
      fs.writeFileSync(path.join(dir, 'members'), live.map((l) => `${l}\n`).join(''));
      fs.writeFileSync(path.join(dir, 'log'), '');
      const desired = Array.from({ length: replicas }, (_, i) => i);
      const env = {
        PATH: `${dir}:/usr/bin:/bin`, STATE: path.join(dir, 'members'), LOG: path.join(dir, 'log'),
        ETCDCTL_ENDPOINTS: 'http://raft:2379', INITIAL_CLUSTER_STATE: state, REPLICAS: String(replicas),
        DESIRED_PEERS: desired.map((i) => `raft-${i}=${url(i)}`).join(','),
        DESIRED_PEER_URLS: desired.map(url).join(','),
        REMOVAL_ORDER: Array.from({ length: 11 - replicas }, (_, i) => url(10 - i)).join(','),
        QUORUM_CHECK_TIMEOUT: '15s',
        ...extra,
      };
      let code = 0;
      let out: string;
      try {
        out = execFileSync('/bin/sh', ['-c', ETCD_MEMBERSHIP_SCRIPT], { env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
      } catch (e) {
        const err = e as { status: number; stdout: Buffer };
        code = err.status;
        out = err.stdout.toString();
      }
      const log = fs.readFileSync(path.join(dir, 'log')).toString().split('\n').filter((l) => l !== '');
      return { code, out, log };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  const started = (...ordinals: number[]) => ordinals.map(line);

  test('scale down 5 → 3: checks the quorum, then removes raft-4 then raft-3, checking health after each', () => {
    const r = run(started(0, 1, 2, 3, 4), 3, InitialClusterState.EXISTING);
    expect(r.code).toBe(0);
    expect(r.log).toEqual(['health', 'remove m4', 'health --cluster', 'remove m3', 'health --cluster']);
  });

  test('scale up 3 → 5: registers raft-3 as a learner, then raft-4 as a voter, before they start', () => {
    const r = run(started(0, 1, 2), 5, InitialClusterState.EXISTING);
    expect(r.code).toBe(0);
    expect(r.log).toEqual(['health', `add raft-3 --learner --peer-urls=${url(3)}`, `add raft-4 --peer-urls=${url(4)}`]);
  });

  test('a retry after a partial scale-up registers only what is missing, as a voter', () => {
    const r = run([...started(0, 1, 2), `new3, unstarted, , ${url(3)}, , true`], 5, InitialClusterState.EXISTING);
    expect(r.log).toEqual(['health', `add raft-4 --peer-urls=${url(4)}`]);
  });

  test('while the new members have not started, a second run registers nothing', () => {
    const r = run([...started(0, 1, 2), `new3, unstarted, , ${url(3)}, , true`, `new4, unstarted, , ${url(4)}, , false`], 5, InitialClusterState.EXISTING);
    expect(r).toEqual({ code: 0, out: 'membership: the live members already match the 5 desired ones\n', log: [] });
  });

  test('growing by more than two at once (3 → 7): fails before any change, naming the way', () => {
    const r = run(started(0, 1, 2), 7, InitialClusterState.EXISTING);
    expect(r.code).toBe(1);
    expect(r.out).toContain('grow by at most two members per sync (e.g. 3 -> 5, then 5 -> 7); changing nothing');
    expect(r.log).toEqual([]);
  });

  test('growing a one-member cluster (1 → 3): fails before any change, as an unstarted voter would cost the quorum', () => {
    const r = run(started(0), 3, InitialClusterState.EXISTING);
    expect(r.code).toBe(1);
    expect(r.out).toContain('1 of 1 voters run: one more voter that has not started yet would leave no quorum');
    expect(r.log).toEqual([]);
  });

  test('no quorum (a minority member answers the member list): fails after the check, changing nothing', () => {
    const r = run(started(0, 1, 2), 5, InitialClusterState.EXISTING, { NO_QUORUM: '1' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('the cluster has no quorum');
    expect(r.log).toEqual(['health']);
  });

  test('nothing to do when the members match', () => {
    const r = run(started(0, 1, 2), 3, InitialClusterState.EXISTING);
    expect(r).toEqual({ code: 0, out: 'membership: the live members already match the 3 desired ones\n', log: [] });
  });

  test('first sync: no cluster answers and the state is new, so the StatefulSet bootstraps it', () => {
    const r = run([], 3, InitialClusterState.NEW, { DOWN: '1' });
    expect(r.code).toBe(0);
    expect(r.log).toEqual([]);
  });

  test('no cluster answers while the state is existing: fails, changing nothing', () => {
    const r = run(started(0, 1, 2), 3, InitialClusterState.EXISTING, { DOWN: '1' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('refusing to change membership blind');
    expect(r.log).toEqual([]);
  });

  test('scaling while the state is still new: fails with the fix, changing nothing', () => {
    const r = run(started(0, 1, 2), 5, InitialClusterState.NEW);
    expect(r.code).toBe(1);
    expect(r.out).toContain('initialClusterState is new; set it to existing in Git first');
    expect(r.log).toEqual([]);
  });

  test('a member of no ordinal of this StatefulSet: fails, changing nothing', () => {
    const r = run([...started(0, 1, 2), 'zz, started, other, http://other:2380, http://other:2379, false'], 3, InitialClusterState.EXISTING);
    expect(r.code).toBe(1);
    expect(r.out).toContain('belongs to no ordinal of this StatefulSet');
    expect(r.log).toEqual([]);
  });

  test('etcd refusing a registration (strict reconfiguration check): fails so the Job retries', () => {
    const r = run(started(0, 1, 2), 5, InitialClusterState.EXISTING, { REFUSE_ADD: '1' });
    expect(r.code).toBe(1);
    expect(r.log).toEqual(['health', `add raft-3 --learner --peer-urls=${url(3)}`]);
  });
});

/** The member join step against a fake etcdctl (the real members run it in real-etcd.test.ts). */
describe('the etcd join step', () => {
  const FAKE_ETCDCTL = `#!/bin/sh
case "$1 $2" in
  "member list") cat "$STATE" ;;
  "member promote") echo "promote $3" >> "$LOG" ;;
esac
`;
  const url = (i: number) => `http://raft-${i}.raft-peer:2380`;
  const line = (i: number, status = 'started', learner = false) =>
    `m${i}, ${status}, ${status === 'started' ? `raft-${i}` : ''}, ${url(i)}, ${status === 'started' ? `http://raft-${i}.raft-peer:2379` : ''}, ${learner}`;

  const run = (ordinal: number, live: string[], opts: { data?: boolean; state?: InitialClusterState } = {}) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consensus-join-'));
    try {
      fs.writeFileSync(path.join(dir, 'etcdctl'), FAKE_ETCDCTL, { mode: 0o755 });
      fs.writeFileSync(path.join(dir, 'members'), live.map((l) => `${l}\n`).join(''));
      fs.writeFileSync(path.join(dir, 'log'), '');
      if (opts.data) fs.mkdirSync(path.join(dir, 'data', 'member'), { recursive: true });
      const env = {
        PATH: `${dir}:/usr/bin:/bin`, STATE: path.join(dir, 'members'), LOG: path.join(dir, 'log'),
        ETCD_NAME: `raft-${ordinal}`, ETCD_DATA_DIR: path.join(dir, 'data'), ETCD_INITIAL_ADVERTISE_PEER_URLS: url(ordinal),
        ETCD_INITIAL_CLUSTER: [0, 1, 2, 3, 4].map((i) => `raft-${i}=${url(i)}`).join(','),
        ETCD_INITIAL_CLUSTER_STATE: opts.state ?? InitialClusterState.EXISTING, ETCDCTL_ENDPOINTS: 'http://raft:2379',
      };
      const r = spawnSync('/bin/sh', ['-c', ETCD_JOIN_SCRIPT], { env, timeout: 10000 });
      const log = fs.readFileSync(path.join(dir, 'log')).toString().split('\n').filter((l) => l !== '');
      return { code: r.status, out: r.stdout.toString(), log };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  test('a member with data starts at once, whatever the member list says', () => {
    expect(run(1, [], { data: true })).toEqual({ code: 0, out: 'join: raft-1 has data: it restarts as the member it was\n', log: [] });
  });

  test('a member bootstrapping a new cluster starts at once', () => {
    expect(run(1, [], { state: InitialClusterState.NEW })).toEqual({ code: 0, out: 'join: raft-1 bootstraps a new cluster with the other initial members\n', log: [] });
  });

  test('the last new member promotes the started learner before it, then starts', () => {
    const r = run(4, [line(0), line(1), line(2), line(3, 'started', true), line(4, 'unstarted')]);
    expect(r).toEqual({ code: 0, out: `join: promoted learner ${url(3)} to a voter\njoin: raft-4 joins the cluster\n`, log: ['promote m3'] });
  });

  test('a started member whose volume is empty is refused with the fix', () => {
    const r = run(1, [line(0), line(1), line(2)]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${url(1)} is a started member but`);
    expect(r.out).toContain('remove it (etcdctl member remove) and sync again');
  });
});
