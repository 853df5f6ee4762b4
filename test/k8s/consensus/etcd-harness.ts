/**
 * A harness that runs a ConsensusStatefulSet's synthesized pods as local processes against real etcd members:
 * each pod gets its own loopback address (127.a.b.<n>, so every member listens on the same ports, as pods do), its
 * volumes are folders under one temporary directory, and the commands, scripts and environment are taken from the
 * synthesized objects, never copied. What Kubernetes would do for a pod is done here the same way:
 * - `$(VAR)` references in env values, command and args are expanded as the kubelet expands them (`$$` escapes);
 * - `valueFrom.fieldRef` gives the pod name, namespace or ordinal;
 * - a stable DNS name (`<name>-<i>.<peer-service>…`) resolves to member i's address, the client Service to a member
 *   whose readiness path answers (or to an address where nothing listens, when none does), and `0.0.0.0`,
 *   `127.0.0.1` and `localhost` to the pod's own address;
 * - a volume mount path at the start of a value (or of a `--flag=` value) is the pod's folder for that volume; a
 *   Secret volume is the folder {@link EtcdHarness.issueCertificates} wrote for that Secret, as cert-manager would
 *   (`tls.crt`, `tls.key`, `ca.crt`, swapped atomically through a `..data` link, as the kubelet does);
 * - `/bin/sh` is bash invoked as `sh` with a PATH holding only `sh` and `etcdctl`, like the tools image
 *   (registry.k8s.io/etcd: a static bash as `/bin/sh`, etcdctl, no coreutils); the member image's command is `etcd`.
 *
 * Every process is stopped by {@link EtcdHarness.close} (call it from afterEach/afterAll) and, failing that, when the
 * test process exits; a harness left over by a killed run is swept by the next one (its processes by pid, checked
 * against their environment). Every wait has a deadline and says what it waited for.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { KubeObject } from '../../../lib/policy/objects';
import { field, findAll, findObject } from '../../util';

/** The Debian packages that provide `etcd` and `etcdctl`. */
export const ETCD_PACKAGES = ['etcd-server', 'etcd-client'] as const;

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const ETCD_BIN = onPath('etcd');
const ETCDCTL_BIN = onPath('etcdctl');
/** `etcdutl` (etcd ≥ 3.5) restores snapshots; etcd 3.4 has only `etcdctl snapshot restore`. */
const ETCDUTL_BIN = onPath('etcdutl');
const BASH_BIN = onPath('bash');
const OPENSSL_BIN = onPath('openssl');

/** Whether certificates can be issued here (the TLS scenarios need `openssl`). */
export const HAS_OPENSSL = OPENSSL_BIN !== undefined;

/** Whether real etcd members can run here. */
export const HAS_ETCD = ETCD_BIN !== undefined && ETCDCTL_BIN !== undefined && BASH_BIN !== undefined;

/** Why the real-etcd tests are skipped, or undefined when they run. */
export const ETCD_SKIP_REASON = HAS_ETCD ? undefined
  : `etcd, etcdctl or bash not on PATH; install the Debian packages ${ETCD_PACKAGES.join(' and ')} (apt-get install -y ${ETCD_PACKAGES.join(' ')})`;

/** `describe` for suites that need real etcd: skipped, with a loud warning naming the packages, where it is absent. */
export const describeWithEtcd = HAS_ETCD ? describe : (name: string, fn: () => void): void => {
  console.warn(`\n*** SKIPPED "${name}": ${ETCD_SKIP_REASON} ***\n`);
  describe.skip(`${name} [SKIPPED: ${ETCD_SKIP_REASON}]`, fn);
};

/** Why the TLS scenarios are skipped (they also need openssl, to issue what cert-manager would), or undefined. */
const TLS_SKIP_REASON = ETCD_SKIP_REASON ?? (HAS_OPENSSL ? undefined : 'openssl not on PATH; install the Debian package openssl');

/** `describe` for suites that need real etcd and openssl: skipped, with a loud warning, where either is absent. */
export const describeWithEtcdTls = TLS_SKIP_REASON === undefined ? describe : (name: string, fn: () => void): void => {
  console.warn(`\n*** SKIPPED "${name}": ${TLS_SKIP_REASON} ***\n`);
  describe.skip(`${name} [SKIPPED: ${TLS_SKIP_REASON}]`, fn);
};

// ---------------------------------------------------------------------------------------------------------------
// The synthesized objects

/** The fields of a container the harness reads. */
export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: readonly EnvVarSpec[];
  readonly volumeMounts?: readonly { readonly name: string; readonly mountPath: string; readonly readOnly?: boolean }[];
}

/** One env entry of a container. */
export interface EnvVarSpec {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly fieldRef?: { readonly fieldPath: string } };
}

/** The fields of a pod spec the harness reads. */
export interface PodSpec {
  readonly containers: readonly ContainerSpec[];
  readonly initContainers?: readonly ContainerSpec[];
  readonly volumes?: readonly { readonly name: string; readonly emptyDir?: object; readonly secret?: { readonly secretName: string } }[];
}

/** One ConsensusStatefulSet's synthesized objects, found by kind and name. */
export class Manifest {
  constructor(readonly objects: readonly KubeObject[], readonly name: string, readonly namespace: string) {}

  /** The StatefulSet. */
  get statefulSet(): KubeObject {
    return findObject(this.objects, 'StatefulSet', this.name, this.namespace);
  }

  /** The members' pod template spec. */
  get memberPod(): PodSpec {
    return field(this.statefulSet, 'spec.template.spec') as PodSpec;
  }

  /** The members' pod template annotations. */
  get memberAnnotations(): Readonly<Record<string, string>> {
    return (field(this.statefulSet, 'spec.template.metadata.annotations') ?? {}) as Record<string, string>;
  }

  /** The headless peer Service's name (the StatefulSet's `serviceName`). */
  get peerServiceName(): string {
    return field(this.statefulSet, 'spec.serviceName') as string;
  }

  /** The client Service's name (it must exist and not be headless). */
  get clientServiceName(): string {
    const service = findObject(this.objects, 'Service', this.name, this.namespace);
    if (field(service, 'spec.clusterIP') === 'None') throw new Error(`Service ${this.name} is headless; expected the client Service`);
    return this.name;
  }

  /** The data volume claim templates' names. */
  get claimNames(): readonly string[] {
    return ((field(this.statefulSet, 'spec.volumeClaimTemplates') ?? []) as { metadata: { name: string } }[]).map((c) => c.metadata.name);
  }

  /** The membership hook Job's pod spec. */
  get membershipJob(): PodSpec {
    return field(findObject(this.objects, 'Job', `${this.name}-membership`, this.namespace), 'spec.template.spec') as PodSpec;
  }

  /** The snapshot CronJob's pod spec. */
  get snapshotCronJob(): PodSpec {
    return field(findObject(this.objects, 'CronJob', `${this.name}-snapshot`, this.namespace), 'spec.jobTemplate.spec.template.spec') as PodSpec;
  }

  /** The cert-manager Certificates (cert-manager.io/v1), each with the fields the harness issues from. */
  get certificates(): readonly CertificateSpecOf[] {
    return findAll(this.objects, 'Certificate').filter((o) => o.apiVersion === 'cert-manager.io/v1')
      .map((o) => ({ name: o.metadata?.name ?? '', ...(o.spec as Omit<CertificateSpecOf, 'name'>) }));
  }

  /** Velero's pre-backup hook, from the member pod annotations: the container and the exec-form command. */
  get veleroPreBackupHook(): { container: string; command: readonly string[] } {
    const a = this.memberAnnotations;
    const container = a['pre.hook.backup.velero.io/container'];
    const command = a['pre.hook.backup.velero.io/command'];
    if (!container || !command) throw new Error(`StatefulSet ${this.name} has no Velero pre-backup hook annotations`);
    return { container, command: JSON.parse(command) as string[] };
  }
}

/** The fields of a cert-manager Certificate the harness issues from. */
export interface CertificateSpecOf {
  readonly name: string;
  readonly secretName: string;
  readonly commonName?: string;
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly isCA?: boolean;
  readonly usages?: readonly string[];
}

/** The container of a pod spec by name (init containers included). */
export function containerNamed(pod: PodSpec, name: string): ContainerSpec {
  const found = [...(pod.initContainers ?? []), ...pod.containers].filter((c) => c.name === name);
  if (found.length !== 1) throw new Error(`expected one container named ${name}, found ${found.length}`);
  return found[0];
}

// ---------------------------------------------------------------------------------------------------------------
// Kubernetes' expansion of $(VAR), as the kubelet does it (k8s.io/kubernetes third_party/forked/golang/expansion)

/** Expands `$(NAME)` from `vars` (unknown names stay as written) and `$$` to `$`, exactly as the kubelet does. */
export function expandK8s(input: string, vars: Readonly<Record<string, string>>): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let advance = 1;
    if (rest[0] === '$') {
      out += '$';
    } else if (rest[0] === '(') {
      const close = rest.indexOf(')', 1);
      if (close < 0) {
        out += '$(';
      } else {
        const name = rest.slice(1, close);
        out += Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : `$(${name})`;
        advance = close + 1;
      }
    } else {
      out += `$${rest[0]}`;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

// ---------------------------------------------------------------------------------------------------------------
// Processes

/** What a container run to completion did. */
export interface RunResult {
  /** Exit code; null when killed at the deadline. */
  readonly code: number | null;
  /** stdout and stderr, interleaved as they arrived. */
  readonly output: string;
  readonly ms: number;
}

/** A member process. */
interface Member {
  readonly ordinal: number;
  readonly process: ChildProcess;
  exited?: number | null;
  readonly exit: Promise<number | null>;
}

/** One line of `etcdctl member list -w simple`, with the member's ordinal from its peer URL. */
export interface MemberEntry {
  readonly id: string;
  readonly status: string;
  readonly name: string;
  readonly peerUrl: string;
  readonly learner: boolean;
  /** The ordinal whose address the peer URL points at, or -1. */
  readonly ordinal: number;
}

const HARNESS_PREFIX = 'fleetcraft-etcd-';
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = (): void => {
    for (const child of live) {
      try {
        if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(1);
    });
  }
}

/** Kills the processes of harnesses left over by a run that was killed (by pid, only if their environment is ours). */
function sweepLeftovers(): void {
  for (const entry of fs.readdirSync(os.tmpdir())) {
    if (!entry.startsWith(HARNESS_PREFIX)) continue;
    const dir = path.join(os.tmpdir(), entry);
    const owner = Number(fs.existsSync(path.join(dir, 'owner')) ? fs.readFileSync(path.join(dir, 'owner'), 'utf8') : NaN);
    if (Number.isInteger(owner) && owner !== process.pid && fs.existsSync(`/proc/${owner}`)) continue; // a live run's
    const pidFile = path.join(dir, 'pids');
    const pids = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').split('\n').filter(Boolean).map(Number) : [];
    for (const pid of pids) {
      try {
        const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
        if (environ.includes(dir)) process.kill(pid, 'SIGKILL');
      } catch {
        // gone, or not readable: not ours to kill
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `everyMs` until it returns a value; throws `what` with the last error at the deadline. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `; last error: ${last}` : ''}`);
    await sleep(everyMs);
  }
}

async function portFree(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, ip, () => server.close(() => resolve(true)));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The harness

/** Ports every member listens on (pass them to the construct, so the synthesized objects carry them). */
export interface HarnessPorts {
  readonly clientPort: number;
  readonly peerPort: number;
  readonly metricsPort: number;
}

/** Options of {@link EtcdHarness.run}. */
export interface RunOptions {
  /** Deadline for the container. @default 120 s */
  readonly timeoutMs?: number;
  /** The member the client Service routes to. @default - the first member whose readiness path answers */
  readonly serviceTarget?: number;
}

/** The ordinals a harness can address (the construct allows up to 11 members). */
const MAX_ORDINALS = 11;

export class EtcdHarness {
  /** Allocates addresses, ports and a temporary folder. */
  public static async create(): Promise<EtcdHarness> {
    if (!HAS_ETCD) throw new Error(ETCD_SKIP_REASON);
    installExitHook();
    sweepLeftovers();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), HARNESS_PREFIX));
    fs.writeFileSync(path.join(root, 'owner'), String(process.pid));
    const net16 = `127.${100 + Math.floor(Math.random() * 100)}.${1 + Math.floor(Math.random() * 250)}`;
    const harness = new EtcdHarness(root, net16);
    const ips = [...Array.from({ length: MAX_ORDINALS }, (_, i) => harness.memberIp(i)), harness.restoreIp];
    for (let attempt = 0; attempt < 50; attempt++) {
      const base = 20000 + Math.floor(Math.random() * 12000);
      const candidate = [base, base + 1, base + 2];
      let ok = true;
      for (const ip of ips) {
        for (const port of candidate) ok = ok && await portFree(ip, port);
        if (!ok) break;
      }
      if (ok) {
        harness.ports = { clientPort: candidate[0], peerPort: candidate[1], metricsPort: candidate[2] };
        return harness;
      }
    }
    throw new Error('found no three consecutive free ports on the harness addresses in 50 attempts');
  }

  /** The ports to synthesize with. */
  public ports: HarnessPorts = { clientPort: 0, peerPort: 0, metricsPort: 0 };
  private readonly members = new Map<number, Member>();
  private readonly initOutputs = new Map<number, string>();
  private readonly extra = new Set<ChildProcess>();
  private readonly toolsBin: string;
  private podSeq = 0;
  /** The Secret folder of the tests' own client certificate, once certificates are issued. */
  private clientTls?: string;

  private constructor(private readonly root: string, private readonly net16: string) {
    this.toolsBin = path.join(root, 'tools-bin');
    fs.mkdirSync(this.toolsBin);
    fs.mkdirSync(path.join(root, 'logs'));
    fs.symlinkSync(BASH_BIN as string, path.join(this.toolsBin, 'sh'));
    fs.symlinkSync(ETCDCTL_BIN as string, path.join(this.toolsBin, 'etcdctl'));
  }

  /** Member i's address. */
  public memberIp(ordinal: number): string {
    return `${this.net16}.${ordinal + 1}`;
  }

  /** Address of the restored single-member clusters. */
  public get restoreIp(): string {
    return `${this.net16}.60`;
  }

  /** An address where nothing listens: a Service without ready endpoints. */
  private get nowhereIp(): string {
    return `${this.net16}.250`;
  }

  /** Member i's client URL (`https://` once {@link issueCertificates} has run). */
  public clientUrl(ordinal: number): string {
    return `${this.clientTls ? 'https' : 'http'}://${this.memberIp(ordinal)}:${this.ports.clientPort}`;
  }

  /** The folder of member i's claim `claim` (its PersistentVolumeClaim `<claim>-<name>-<i>`). */
  public claimDir(ordinal: number, claim = 'data'): string {
    return path.join(this.root, 'volumes', `${claim}-${ordinal}`);
  }

  /** Deletes member i's claims, as `persistentVolumeClaimRetentionPolicy.whenScaled: Delete` does on scale-down. */
  public deleteClaims(ordinal: number): void {
    fs.rmSync(this.claimDir(ordinal), { recursive: true, force: true });
  }

  /** A fresh folder in the harness's temporary directory. */
  public tempDir(label: string): string {
    return fs.mkdtempSync(path.join(this.root, `${label}-`));
  }

  /** Whether member i's process runs. */
  public running(ordinal: number): boolean {
    const m = this.members.get(ordinal);
    return m !== undefined && m.exited === undefined;
  }

  /** What member i's init containers printed, over every start. */
  public initOutput(ordinal: number): string {
    return this.initOutputs.get(ordinal) ?? '';
  }

  /** The end of member i's log. */
  public logTail(ordinal: number, lines = 15): string {
    const file = path.join(this.root, 'logs', `member-${ordinal}.log`);
    if (!fs.existsSync(file)) return '(no log)';
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }

  // -- translating a pod's view of the world -------------------------------------------------------------------

  private resolveHost(host: string, manifest: Manifest, podIp: string, serviceIp: () => string): string {
    if (host === '0.0.0.0' || host === '127.0.0.1' || host === 'localhost') return podIp;
    const [first, ...rest] = host.split('.');
    const member = new RegExp(`^${manifest.name}-(\\d+)$`).exec(first);
    if (member && rest[0] === manifest.peerServiceName && Number(member[1]) < MAX_ORDINALS) return this.memberIp(Number(member[1]));
    if (first === manifest.clientServiceName && (rest.length === 0 || rest[0] === manifest.namespace)) return serviceIp();
    throw new Error(`the harness cannot resolve host "${host}" (neither a member, the client Service nor the pod itself)`);
  }

  private translate(value: string, manifest: Manifest, podIp: string, serviceIp: () => string, mounts: ReadonlyMap<string, string>): string {
    let out = value.replace(/(https?:\/\/)([A-Za-z0-9.-]+)/g, (_m, scheme: string, host: string) => `${scheme}${this.resolveHost(host, manifest, podIp, serviceIp)}`);
    const flag = /^--[a-z-]+=/.exec(out)?.[0] ?? '';
    const rest = out.slice(flag.length);
    for (const [mountPath, dir] of [...mounts].sort((a, b) => b[0].length - a[0].length)) {
      if (rest === mountPath || rest.startsWith(`${mountPath}/`)) {
        out = flag + dir + rest.slice(mountPath.length);
        break;
      }
    }
    return out;
  }

  /** The member the client Service routes to: the first member whose readiness path answers, else nowhere. */
  private async serviceIp(manifest: Manifest, target?: number): Promise<string> {
    if (target !== undefined) return this.memberIp(target);
    const readiness = containerReadinessPath(manifest);
    for (const ordinal of [...this.members.keys()].sort((a, b) => a - b)) {
      if (this.running(ordinal) && await this.httpOk(`http://${this.memberIp(ordinal)}:${this.ports.metricsPort}${readiness}`)) {
        return this.memberIp(ordinal);
      }
    }
    return this.nowhereIp;
  }

  private async httpOk(url: string): Promise<boolean> {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      return response.ok;
    } catch {
      return false;
    }
  }

  /** The command, arguments and environment a container gets in pod `podName` at `podIp` with these volumes. */
  private async containerProcess(
    manifest: Manifest, container: ContainerSpec, pod: { name: string; ip: string; ordinal?: number; volumes: ReadonlyMap<string, string> },
    serviceTarget?: number,
  ): Promise<{ file: string; args: string[]; env: Record<string, string> }> {
    const service = await this.serviceIp(manifest, serviceTarget);
    const mounts = new Map<string, string>();
    for (const m of container.volumeMounts ?? []) {
      const dir = pod.volumes.get(m.name);
      if (!dir) throw new Error(`container ${container.name} mounts volume ${m.name}, which pod ${pod.name} does not have`);
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      mounts.set(m.mountPath, dir);
    }
    const vars: Record<string, string> = {};
    for (const e of container.env ?? []) {
      let raw: string;
      if (e.value !== undefined) {
        raw = expandK8s(e.value, vars);
      } else if (e.valueFrom?.fieldRef) {
        const fieldPath = e.valueFrom.fieldRef.fieldPath;
        if (fieldPath === 'metadata.name') raw = pod.name;
        else if (fieldPath === 'metadata.namespace') raw = manifest.namespace;
        else if (fieldPath === "metadata.labels['apps.kubernetes.io/pod-index']" && pod.ordinal !== undefined) raw = String(pod.ordinal);
        else throw new Error(`env ${e.name} of ${container.name}: the harness does not know fieldRef ${fieldPath}`);
      } else {
        raw = '';
      }
      vars[e.name] = raw;
    }
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(vars)) env[k] = this.translate(v, manifest, pod.ip, () => service, mounts);
    env.PATH = this.toolsBin;
    const argv = [...(container.command ?? []), ...(container.args ?? [])].map((a) => expandK8s(a, vars));
    if (argv.length === 0) argv.push('etcd'); // the member image's CMD
    const [command, ...args] = argv;
    const file = command === '/bin/sh' || command === 'sh' ? path.join(this.toolsBin, 'sh')
      : command === 'etcdctl' || command === '/usr/local/bin/etcdctl' ? path.join(this.toolsBin, 'etcdctl')
        : command === 'etcd' || command === '/usr/local/bin/etcd' ? ETCD_BIN as string
          : undefined;
    if (!file) throw new Error(`container ${container.name}: the harness has no "${command}" (only sh, etcdctl and etcd)`);
    return { file, args: args.map((a) => this.translate(a, manifest, pod.ip, () => service, mounts)), env };
  }

  private spawnTracked(file: string, args: readonly string[], env: Record<string, string>, stdio: 'pipe' | number): ChildProcess {
    const child = spawn(file, [...args], { env, stdio: stdio === 'pipe' ? ['ignore', 'pipe', 'pipe'] : ['ignore', stdio, stdio] });
    live.add(child);
    if (child.pid !== undefined) fs.appendFileSync(path.join(this.root, 'pids'), `${child.pid}\n`);
    child.once('exit', () => live.delete(child));
    return child;
  }

  /** Runs a process to completion, killing it at the deadline. */
  private runProcess(file: string, args: readonly string[], env: Record<string, string>, timeoutMs: number): Promise<RunResult> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const child = this.spawnTracked(file, args, env, 'pipe');
      this.extra.add(child);
      let output = '';
      child.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
      child.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        this.extra.delete(child);
        const ms = Date.now() - started;
        if (signal === 'SIGKILL' && ms >= timeoutMs) output += `\n[harness: killed at the ${timeoutMs} ms deadline]`;
        resolve({ code, output, ms });
      });
    });
  }

  private podVolumes(pod: PodSpec, claims: Readonly<Record<string, string>> = {}): Map<string, string> {
    const podDir = path.join(this.root, 'pods', `pod-${++this.podSeq}`);
    const volumes = new Map<string, string>(Object.entries(claims));
    for (const v of pod.volumes ?? []) {
      if (v.secret) {
        const dir = this.secretDir(v.secret.secretName);
        if (!fs.existsSync(dir)) throw new Error(`volume ${v.name}: Secret ${v.secret.secretName} does not exist (no Certificate issued it; run issueCertificates first)`);
        volumes.set(v.name, dir);
        continue;
      }
      if (!v.emptyDir) throw new Error(`volume ${v.name}: the harness knows emptyDir, Secret and the claim templates only`);
      volumes.set(v.name, path.join(podDir, v.name));
    }
    return volumes;
  }

  /**
   * Runs one container of a Job-like pod (the membership Job, the snapshot CronJob) to completion, as a pod of its
   * own with fresh emptyDir volumes; returns the run and the pod's volume folders.
   */
  public async run(manifest: Manifest, pod: PodSpec, containerName: string, options: RunOptions = {}): Promise<RunResult & { volumes: ReadonlyMap<string, string> }> {
    const volumes = this.podVolumes(pod);
    const p = await this.containerProcess(manifest, containerNamed(pod, containerName), { name: `job-${this.podSeq}`, ip: `${this.net16}.200`, volumes }, options.serviceTarget);
    const result = await this.runProcess(p.file, p.args, p.env, options.timeoutMs ?? 120000);
    return { ...result, volumes };
  }

  /** Runs the membership hook Job's container once. */
  public runMembershipJob(manifest: Manifest, options: RunOptions = {}): Promise<RunResult> {
    const pod = manifest.membershipJob;
    return this.run(manifest, pod, pod.containers[0].name, options);
  }

  /** Runs an exec-form command in member i's container (its address and volumes), as Velero's exec hooks do. */
  public async execInMember(manifest: Manifest, ordinal: number, containerName: string, command: readonly string[], timeoutMs = 60000): Promise<RunResult> {
    const container = { ...containerNamed(manifest.memberPod, containerName), command, args: undefined };
    const volumes = this.podVolumes(manifest.memberPod, this.claims(manifest, ordinal));
    const p = await this.containerProcess(manifest, container, { name: `${manifest.name}-${ordinal}`, ip: this.memberIp(ordinal), ordinal, volumes });
    return this.runProcess(p.file, p.args, p.env, timeoutMs);
  }

  private claims(manifest: Manifest, ordinal: number): Record<string, string> {
    return Object.fromEntries(manifest.claimNames.map((c) => [c, this.claimDir(ordinal, c)]));
  }

  /**
   * Starts member pods as the StatefulSet would, all at once (`Parallel`): for each, its init containers run to
   * completion in order, then its member container starts. Resolves once every member process has started;
   * an init container that fails rejects with its output.
   */
  public async startMembers(manifest: Manifest, ordinals: readonly number[], initTimeoutMs = 90000): Promise<void> {
    await Promise.all(ordinals.map((i) => this.startMember(manifest, i, initTimeoutMs)));
  }

  private async startMember(manifest: Manifest, ordinal: number, initTimeoutMs: number): Promise<void> {
    if (this.running(ordinal)) throw new Error(`member ${ordinal} already runs`);
    const spec = manifest.memberPod;
    const volumes = this.podVolumes(spec, this.claims(manifest, ordinal));
    const pod = { name: `${manifest.name}-${ordinal}`, ip: this.memberIp(ordinal), ordinal, volumes };
    const log = path.join(this.root, 'logs', `member-${ordinal}.log`);
    for (const init of spec.initContainers ?? []) {
      const p = await this.containerProcess(manifest, init, pod);
      const r = await this.runProcess(p.file, p.args, p.env, initTimeoutMs);
      fs.appendFileSync(log, `--- init container ${init.name} (exit ${r.code}, ${r.ms} ms)\n${r.output}`);
      this.initOutputs.set(ordinal, (this.initOutputs.get(ordinal) ?? '') + r.output);
      if (r.code !== 0) throw new Error(`member ${ordinal}: init container ${init.name} exited ${r.code}:\n${r.output}`);
    }
    if (spec.containers.length !== 1) throw new Error(`the member pod has ${spec.containers.length} containers; the harness runs one`);
    const p = await this.containerProcess(manifest, spec.containers[0], pod);
    const fd = fs.openSync(log, 'a');
    const child = this.spawnTracked(p.file, p.args, p.env, fd);
    fs.closeSync(fd);
    const member: Member = {
      ordinal,
      process: child,
      exit: new Promise((resolve) => child.once('exit', (code) => {
        member.exited = code;
        resolve(code);
      })),
    };
    this.members.set(ordinal, member);
  }

  /** Stops member i (SIGTERM, then SIGKILL after 10 s; or SIGKILL at once) and waits for it to exit. */
  public async stopMember(ordinal: number, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const m = this.members.get(ordinal);
    if (!m) return;
    if (m.exited === undefined) {
      m.process.kill(signal);
      const timer = setTimeout(() => m.process.kill('SIGKILL'), 10000);
      await m.exit;
      clearTimeout(timer);
    }
    this.members.delete(ordinal);
  }

  /** Waits for member i's process to exit by itself (e.g. once removed from the cluster); returns its exit code. */
  public async waitExited(ordinal: number, timeoutMs = 30000): Promise<number | null> {
    const m = this.members.get(ordinal);
    if (!m) throw new Error(`member ${ordinal} was never started`);
    const timeout = sleep(timeoutMs).then(() => 'timeout' as const);
    const result = await Promise.race([m.exit, timeout]);
    if (result === 'timeout') throw new Error(`member ${ordinal} still runs after ${timeoutMs} ms; log:\n${this.logTail(ordinal)}`);
    this.members.delete(ordinal);
    return result;
  }

  /** Waits until every listed member's readiness path answers 200. */
  public async waitReady(manifest: Manifest, ordinals: readonly number[], timeoutMs = 30000): Promise<void> {
    const readiness = containerReadinessPath(manifest);
    for (const i of ordinals) {
      await waitFor(`member ${i} to be ready (${readiness})`, timeoutMs, async () => {
        if (!this.running(i)) throw new Error(`member ${i} is not running; log:\n${this.logTail(i)}`);
        return (await this.httpOk(`http://${this.memberIp(i)}:${this.ports.metricsPort}${readiness}`)) ? true : undefined;
      });
    }
  }

  // -- certificates, as cert-manager would issue them --------------------------------------------------------------

  /** The folder of Secret `name` (what a Secret volume of that name mounts). */
  public secretDir(name: string): string {
    return path.join(this.root, 'secrets', name);
  }

  /**
   * Issues every non-CA Certificate of the manifest as cert-manager's CA Issuer would: a key pair signed by one CA
   * (made here with openssl, standing in for the manifest's CA Certificate), written into the Certificate's Secret
   * folder as `tls.crt`, `tls.key` and `ca.crt`. Subject: the Certificate's `commonName`; extended key usages: its
   * `server auth` / `client auth` usages; SANs: its `dnsNames` and `ipAddresses`, plus, for each DNS name of a member
   * (`<name>-<i>.<peer-service>…`), the address the harness gives that member (there is no DNS here; etcd and
   * etcdctl see the addresses). From then on the tests' own etcdctl uses `https://` and the Secret `clientSecret`.
   *
   * What this cannot show: members dial each other from 127.0.0.1 here (the loopback route's source address), which
   * the member certificate's `127.0.0.1` covers when etcd checks a peer certificate against the peer's address; in a
   * cluster the peer's pod address matches through the certificate's DNS names (the peer Service's records) instead.
   */
  public issueCertificates(manifest: Manifest, clientSecret: string): void {
    if (!OPENSSL_BIN) throw new Error('openssl is not on PATH; the TLS scenarios need it');
    const ca = path.join(this.root, 'ca');
    if (!fs.existsSync(ca)) {
      fs.mkdirSync(ca, { recursive: true });
      this.openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${ca}/ca.key`, '-out', `${ca}/ca.crt`,
        '-days', '2', '-subj', '/CN=harness-ca', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature']);
    }
    const leaves = manifest.certificates.filter((c) => !c.isCA);
    if (leaves.length === 0) throw new Error(`the manifest of ${manifest.name} has no Certificate to issue`);
    for (const c of leaves) this.issue(manifest, c);
    if (!leaves.some((c) => c.secretName === clientSecret)) throw new Error(`no Certificate writes the Secret ${clientSecret}`);
    this.clientTls = this.secretDir(clientSecret);
  }

  /** Issues Certificate `name` of the manifest again (a renewal: new key, new serial) into its Secret; returns the serial. */
  public renew(manifest: Manifest, name: string): string {
    const c = manifest.certificates.find((x) => x.name === name);
    if (!c) throw new Error(`no Certificate ${name} in the manifest`);
    return this.issue(manifest, c);
  }

  /** The serial of the certificate in a PEM file. */
  public serialOf(pemFile: string): string {
    return this.openssl(['x509', '-in', pemFile, '-noout', '-serial']).trim().replace(/^serial=/, '');
  }

  /**
   * The serial of the certificate member i serves on its client port to a new TLS connection (presenting the
   * client certificate of the tests).
   */
  public servedSerial(ordinal: number): string {
    if (!this.clientTls) throw new Error('no certificates issued yet');
    const pem = execFileSync(OPENSSL_BIN as string, ['s_client', '-connect', `${this.memberIp(ordinal)}:${this.ports.clientPort}`,
      '-CAfile', `${this.clientTls}/ca.crt`, '-cert', `${this.clientTls}/tls.crt`, '-key', `${this.clientTls}/tls.key`, '-verify_return_error'],
    { input: '', timeout: 10000, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
    const file = path.join(this.tempDir('served'), 'served.pem');
    fs.writeFileSync(file, pem);
    return this.serialOf(file);
  }

  /**
   * A GET over TLS to member i's `port` (e.g. `/version`, which the client and the peer port both serve), trusting the
   * harness CA and presenting the key pair of Secret `identity` (none when undefined): the status, or the error.
   */
  public async tlsGet(ordinal: number, port: number, urlPath: string, identity?: string): Promise<{ status?: number; error?: string }> {
    const ca = fs.readFileSync(path.join(this.root, 'ca', 'ca.crt'));
    const pair = identity ? { cert: fs.readFileSync(path.join(this.secretDir(identity), 'tls.crt')), key: fs.readFileSync(path.join(this.secretDir(identity), 'tls.key')) } : {};
    return new Promise((resolve) => {
      const request = https.get({ host: this.memberIp(ordinal), port, path: urlPath, ca, ...pair, timeout: 5000, agent: false }, (response) => {
        response.resume();
        response.once('end', () => resolve({ status: response.statusCode }));
      });
      request.once('timeout', () => request.destroy(new Error('timed out')));
      request.once('error', (e) => resolve({ error: e.message }));
    });
  }

  private issue(manifest: Manifest, c: CertificateSpecOf): string {
    const work = this.tempDir(`issue-${c.name}`);
    const ca = path.join(this.root, 'ca');
    const ips = new Set(c.ipAddresses ?? []);
    for (const dns of c.dnsNames ?? []) {
      const [first, second] = dns.split('.');
      const member = new RegExp(`^${manifest.name}-(\\d+)$`).exec(first);
      if (member && second === manifest.peerServiceName && Number(member[1]) < MAX_ORDINALS) ips.add(this.memberIp(Number(member[1])));
    }
    const san = [...(c.dnsNames ?? []).map((d) => `DNS:${d}`), ...[...ips].map((ip) => `IP:${ip}`)];
    const eku = (c.usages ?? []).filter((u) => u === 'server auth' || u === 'client auth').map((u) => (u === 'server auth' ? 'serverAuth' : 'clientAuth'));
    fs.writeFileSync(path.join(work, 'ext.cnf'), [
      'basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature',
      ...(eku.length ? [`extendedKeyUsage=${eku.join(',')}`] : []), ...(san.length ? [`subjectAltName=${san.join(',')}`] : []),
    ].join('\n'));
    this.openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${work}/tls.key`, '-out', `${work}/tls.csr`,
      '-subj', `/CN=${c.commonName ?? c.name}`]);
    const serial = `0x${[...Array(16)].map(() => Math.floor(Math.random() * 16).toString(16)).join('')}`;
    this.openssl(['x509', '-req', '-in', `${work}/tls.csr`, '-CA', `${ca}/ca.crt`, '-CAkey', `${ca}/ca.key`, '-set_serial', serial, '-days', '1',
      '-out', `${work}/tls.crt`, '-extfile', `${work}/ext.cnf`]);
    // The kubelet's atomic writer: the files are links into ..data, which is swapped to a new folder in one rename.
    const dir = this.secretDir(c.secretName);
    fs.mkdirSync(dir, { recursive: true });
    const version = fs.mkdtempSync(path.join(dir, '..version-'));
    for (const f of ['tls.crt', 'tls.key']) fs.copyFileSync(path.join(work, f), path.join(version, f));
    fs.copyFileSync(path.join(ca, 'ca.crt'), path.join(version, 'ca.crt'));
    const next = path.join(dir, '..data_tmp');
    fs.symlinkSync(path.basename(version), next);
    fs.renameSync(next, path.join(dir, '..data'));
    for (const f of ['tls.crt', 'tls.key', 'ca.crt']) {
      if (!fs.existsSync(path.join(dir, f))) fs.symlinkSync(path.join('..data', f), path.join(dir, f));
    }
    return this.serialOf(path.join(dir, 'tls.crt'));
  }

  private openssl(args: readonly string[]): string {
    try {
      return execFileSync(OPENSSL_BIN as string, [...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 20000 }).toString();
    } catch (e) {
      throw new Error(`openssl ${args.slice(0, 2).join(' ')} failed: ${String((e as { stderr?: Buffer }).stderr ?? e)}`);
    }
  }

  // -- etcdctl, for the tests' own checks ------------------------------------------------------------------------

  /** Runs etcdctl against one endpoint; throws with its output when it fails. */
  public async etcdctl(endpoint: string, args: readonly string[], timeoutMs = 20000): Promise<string> {
    const tls = this.clientTls && endpoint.startsWith('https://') ? [`--cacert=${this.clientTls}/ca.crt`, `--cert=${this.clientTls}/tls.crt`, `--key=${this.clientTls}/tls.key`] : [];
    const r = await this.runProcess(ETCDCTL_BIN as string, [`--endpoints=${endpoint}`, '--dial-timeout=3s', '--command-timeout=10s', ...tls, ...args], { PATH: this.toolsBin }, timeoutMs);
    if (r.code !== 0) throw new Error(`etcdctl ${args.join(' ')} at ${endpoint} exited ${r.code}: ${r.output.trim()}`);
    return r.output;
  }

  /** `etcdctl member list` through member i, parsed; sorted by ordinal. */
  public async memberList(via: number): Promise<MemberEntry[]> {
    const out = await this.etcdctl(this.clientUrl(via), ['member', 'list', '-w', 'simple']);
    return out.split('\n').filter((l) => l.trim() !== '').map((line) => {
      const [id, status, name, peerUrl, , learner] = line.split(',').map((s) => s.trim());
      const ip = /^https?:\/\/([^:/]+)/.exec(peerUrl)?.[1] ?? '';
      const ordinal = ip.startsWith(`${this.net16}.`) ? Number(ip.slice(this.net16.length + 1)) - 1 : -1;
      return { id, status, name, peerUrl, learner: learner === 'true', ordinal };
    }).sort((a, b) => a.ordinal - b.ordinal);
  }

  /** Writes keys through member i. */
  public async put(via: number, data: Readonly<Record<string, string>>): Promise<void> {
    for (const [k, v] of Object.entries(data)) await this.etcdctl(this.clientUrl(via), ['put', k, v]);
  }

  /** Reads every key under `prefix` (linearizable) through an endpoint. */
  public async readAll(endpoint: string, prefix: string): Promise<Record<string, string>> {
    const out = await this.etcdctl(endpoint, ['get', '--prefix', prefix, '-w', 'json']);
    const parsed = JSON.parse(out) as { kvs?: { key: string; value: string }[] };
    const decode = (s: string) => Buffer.from(s, 'base64').toString('utf8');
    return Object.fromEntries((parsed.kvs ?? []).map((kv) => [decode(kv.key), decode(kv.value)]));
  }

  /**
   * Restores a snapshot file into a new single-member cluster at {@link restoreIp} and starts it; returns its client
   * URL. etcd 3.5+ restores with `etcdutl snapshot restore`; 3.4 (Debian's) only has `etcdctl snapshot restore`.
   */
  public async restoreSingleMember(snapshotFile: string, label: string): Promise<string> {
    const dataDir = path.join(this.tempDir(`restore-${label}`), 'data');
    const peer = `http://${this.restoreIp}:${this.ports.peerPort}`;
    const client = `http://${this.restoreIp}:${this.ports.clientPort}`;
    const tool = ETCDUTL_BIN ?? ETCDCTL_BIN as string;
    const r = await this.runProcess(tool, ['snapshot', 'restore', snapshotFile, '--name', 'restored', `--initial-cluster=restored=${peer}`,
      `--initial-advertise-peer-urls=${peer}`, '--initial-cluster-token=restored', `--data-dir=${dataDir}`], { PATH: this.toolsBin, ETCDCTL_API: '3' }, 30000);
    if (r.code !== 0) throw new Error(`${path.basename(tool)} snapshot restore ${snapshotFile} exited ${r.code}: ${r.output}`);
    const log = fs.openSync(path.join(this.root, 'logs', `restore-${label}.log`), 'a');
    const child = this.spawnTracked(ETCD_BIN as string, [], {
      ETCD_NAME: 'restored', ETCD_DATA_DIR: dataDir, ETCD_LISTEN_PEER_URLS: peer, ETCD_LISTEN_CLIENT_URLS: client,
      ETCD_ADVERTISE_CLIENT_URLS: client, ETCD_INITIAL_ADVERTISE_PEER_URLS: peer,
      ETCD_HEARTBEAT_INTERVAL: '50', ETCD_ELECTION_TIMEOUT: '500', PATH: this.toolsBin,
    }, log);
    fs.closeSync(log);
    this.extra.add(child);
    child.once('exit', () => this.extra.delete(child));
    await waitFor(`the restored member at ${client} to answer`, 20000, async () => ((await this.etcdctl(client, ['endpoint', 'health'])) ? true : undefined), 300);
    return client;
  }

  /** Stops a restored member and anything else started outside the member pods. */
  public async stopExtras(): Promise<void> {
    const exits = [...this.extra].map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    }));
    await Promise.all(exits);
    this.extra.clear();
  }

  /** Stops every process and removes the temporary folder. */
  public async close(): Promise<void> {
    await Promise.all([...this.members.keys()].map((i) => this.stopMember(i, 'SIGKILL')));
    await this.stopExtras();
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

function containerReadinessPath(manifest: Manifest): string {
  return (field(manifest.memberPod.containers[0], 'readinessProbe.httpGet.path') as string | undefined) ?? '/health';
}
