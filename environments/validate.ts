import { cidrsOverlap, parseCidr } from '../lib/cloud/network';
import { AddonName } from '../lib/k8s/addons/catalogue';
import { isCronProblem, parseCron } from '../lib/k8s/backup/cron';
import { ContainerSizeSpec, EnvironmentSpec, NamespaceQuotaSpec, ReplicaBounds, SyncWindowSpec } from './schema';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The specification's bound on each production region's nodes: read as the sum of the node groups' `minSize` at
 * least 10 (a region never shrinks below ten nodes) and the sum of their `maxSize` at most 100 (the autoscalers
 * never grow it beyond a hundred).
 */
export const PRODUCTION_REGION_NODES: ReplicaBounds = { min: 10, max: 100 };

/** The problems of one container size: whole positive numbers, limits not below requests. */
function sizeProblems(what: string, size: ContainerSizeSpec | undefined): string[] {
  if (typeof size !== 'object' || size === null) {
    return [`${what} is missing; give { cpuRequestMillis, memoryRequestMiB, cpuLimitMillis?, memoryLimitMiB }, e.g. { cpuRequestMillis: 500, memoryRequestMiB: 1024, memoryLimitMiB: 2048 }`];
  }
  const problems: string[] = [];
  const whole = (field: keyof ContainerSizeSpec, unit: string, example: number): void => {
    const v = size[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 1_048_576) {
      problems.push(`${what}.${field} (${JSON.stringify(v)}) is not a whole number of ${unit} from 1 to 1048576; use e.g. ${example}`);
    }
  };
  whole('cpuRequestMillis', 'millicores', 500);
  whole('memoryRequestMiB', 'MiB', 1024);
  whole('memoryLimitMiB', 'MiB', 2048);
  if (size.cpuLimitMillis !== undefined) whole('cpuLimitMillis', 'millicores', 1000);
  if (problems.length > 0) return problems;
  if (size.memoryLimitMiB < size.memoryRequestMiB) {
    problems.push(`${what}.memoryLimitMiB (${size.memoryLimitMiB}) is below memoryRequestMiB (${size.memoryRequestMiB}), which the API server refuses; raise the limit to ${size.memoryRequestMiB} or more`);
  }
  if (size.cpuLimitMillis !== undefined && size.cpuLimitMillis < size.cpuRequestMillis) {
    problems.push(`${what}.cpuLimitMillis (${size.cpuLimitMillis}) is below cpuRequestMillis (${size.cpuRequestMillis}), which the API server refuses; raise the limit to ${size.cpuRequestMillis} or more, or leave it out`);
  }
  return problems;
}

/** The problems of one namespace quota: positive numbers, limits not below requests. */
function quotaProblems(what: string, quota: NamespaceQuotaSpec | undefined): string[] {
  if (typeof quota !== 'object' || quota === null) {
    return [`${what} is missing; give { cpu, memoryGiB, limitsMemoryGiB, pods, persistentVolumeClaims, storageGiB }`];
  }
  const problems: string[] = [];
  for (const field of ['cpu', 'memoryGiB', 'limitsMemoryGiB', 'pods', 'persistentVolumeClaims', 'storageGiB'] as const) {
    const v = quota[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 1_048_576) {
      problems.push(`${what}.${field} (${JSON.stringify(v)}) is not a whole number from 1 to 1048576; the specification's production quota is 100 CPU, 200 GiB memory, 500 pods and 100 claims`);
    }
  }
  if (problems.length === 0 && quota.limitsMemoryGiB < quota.memoryGiB) {
    problems.push(`${what}.limitsMemoryGiB (${quota.limitsMemoryGiB}) is below memoryGiB (${quota.memoryGiB}), so the memory requests could never be used up; raise limitsMemoryGiB to ${quota.memoryGiB} or more`);
  }
  return problems;
}

/**
 * The problems of the network agent's namespace quota: the agent runs on every node, so at the largest cluster (the
 * node groups' `maxSize` added up) the quota must admit that many agent pods. The policy rule on quotas cannot see
 * this from the manifests (a DaemonSet's pod count is the node count), hence this check.
 */
function networkQuotaProblems(env: EnvironmentSpec): string[] {
  const quota = env.quotas?.network;
  const agent = env.networkAgent?.resources;
  if (!quota || !agent || quotaProblems('', quota).length > 0 || sizeProblems('', agent).length > 0) return [];
  const nodes = env.nodeGroups.reduce((n, g) => n + g.maxSize, 0);
  const needs: Array<[string, number, number, string]> = [
    ['cpu', Math.ceil((nodes * agent.cpuRequestMillis) / 1000), quota.cpu, 'cores'],
    ['memoryGiB', Math.ceil((nodes * agent.memoryRequestMiB) / 1024), quota.memoryGiB, 'GiB'],
    ['limitsMemoryGiB', Math.ceil((nodes * agent.memoryLimitMiB) / 1024), quota.limitsMemoryGiB, 'GiB'],
    ['pods', nodes, quota.pods, 'pods'],
  ];
  return needs.filter(([, need, allowed]) => need > allowed).map(([field, need, allowed, unit]) =>
    `quotas.network.${field} (${allowed}) cannot admit the network agent on every node: the node groups reach ${nodes} nodes, which need ${need} ${unit}; raise quotas.network.${field} to ${need} or more, or lower the node groups' maxSize`);
}

/** Raised by {@link validateEnvironment}; `problems` holds one message per broken rule. */
export class EnvironmentError extends Error {
  constructor(public readonly environment: string, public readonly problems: readonly string[]) {
    super(`environment '${environment}' is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvironmentError';
  }
}

/** A duration as Argo CD's sync windows read it (Go's `time.ParseDuration` in hours, minutes and seconds), above zero. */
const WINDOW_DURATION = /^(\d+h)?(\d+m)?(\d+s)?$/;

/** Whether `zone` is an IANA time zone this runtime knows (Argo CD loads the same database). */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/** The problems of the environment's sync windows (see {@link SyncWindowSpec}). */
export function syncWindowProblems(windows: readonly SyncWindowSpec[], clusterNames: readonly string[]): string[] {
  const problems: string[] = [];
  windows.forEach((w, i) => {
    const at = `syncWindows[${i}]`;
    if (w.kind !== 'allow' && w.kind !== 'deny') {
      problems.push(`${at}.kind ${JSON.stringify(w.kind)} is not a sync window kind; use "deny" to freeze syncs or "allow" to open a slot`);
    }
    const cron = typeof w.schedule === 'string' ? parseCron(w.schedule) : undefined;
    if (cron === undefined) problems.push(`${at}.schedule (${JSON.stringify(w.schedule)}) is not a cron expression; write five fields, e.g. "0 0 20 12 *" (December 20th at 00:00)`);
    else if (isCronProblem(cron)) problems.push(`${at}.schedule "${w.schedule}" ${cron.rule}; ${cron.fix}`);
    const duration = typeof w.duration === 'string' ? w.duration : '';
    if (!WINDOW_DURATION.test(duration) || !/[1-9]/.test(duration)) {
      problems.push(`${at}.duration ${JSON.stringify(w.duration)} is not a duration Argo CD reads; write hours, minutes and seconds above zero, e.g. "2h", "90m" or "1h30m"`);
    }
    const lists = { applications: w.applications, namespaces: w.namespaces, clusters: w.clusters };
    if (Object.values(lists).every((l) => l === undefined || l.length === 0)) {
      problems.push(`${at} names no applications, namespaces or clusters, so it applies to nothing; add e.g. applications: ['*'] for every Application of the environment`);
    }
    for (const [list, values] of Object.entries(lists)) {
      (values ?? []).forEach((v, j) => {
        if (typeof v !== 'string' || v.trim() === '') problems.push(`${at}.${list}[${j}] (${JSON.stringify(v)}) is empty; give a name or a glob such as "*"`);
      });
    }
    (w.clusters ?? []).forEach((c, j) => {
      if (typeof c === 'string' && !/[*?[]/.test(c) && !clusterNames.includes(c)) {
        problems.push(`${at}.clusters[${j}] "${c}" is not a cluster of this environment; use one of ${clusterNames.join(', ')}, or "*"`);
      }
    });
    if (w.timeZone !== undefined && !isTimeZone(w.timeZone)) {
      problems.push(`${at}.timeZone "${w.timeZone}" is not an IANA time zone; use e.g. "UTC" or "Europe/Berlin"`);
    }
  });
  return problems;
}

/** Every rule broken by an environment, one message each (empty when valid). */
export function environmentProblems(env: EnvironmentSpec): string[] {
  const problems: string[] = [];
  const dns = (what: string, value: string): void => {
    if (value.length > 63 || !DNS_LABEL.test(value)) {
      problems.push(`${what} "${value}" is not a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters); rename it, e.g. "${value.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'cluster-1'}"`);
    }
  };
  const bounds = (what: string, b: ReplicaBounds): void => {
    if (b.min > b.max) problems.push(`${what} min (${b.min}) is above max (${b.max}); lower min or raise max`);
  };
  dns('name', env.name);
  if (env.regions.length === 0) {
    problems.push('regions is empty; an environment needs at least one region with a cluster');
  }
  const regionNames = new Set<string>();
  const clusterNames = new Set<string>();
  for (const r of env.regions) {
    if (regionNames.has(r.name)) problems.push(`region "${r.name}" is listed twice; each region appears once`);
    regionNames.add(r.name);
    if (clusterNames.has(r.clusterName)) problems.push(`cluster name "${r.clusterName}" is used by two regions; give each cluster its own name`);
    clusterNames.add(r.clusterName);
    dns(`cluster name of region ${r.name}`, r.clusterName);
    if (!Number.isInteger(r.weight) || r.weight <= 0) {
      problems.push(`weight of region ${r.name} (${r.weight}) is not a positive integer; use 1, 2, 3, …`);
    }
  }
  const cidrs: Array<{ cluster: string; cidr: string }> = [];
  for (const r of env.regions) {
    if (r.vpcCidr === undefined) continue;
    const parsed = parseCidr(r.vpcCidr);
    if (!parsed || parsed.prefix < 16 || parsed.prefix > 20 || parsed.base % 2 ** (32 - parsed.prefix) !== 0) {
      problems.push(`vpcCidr of cluster ${r.clusterName} ("${r.vpcCidr}") is not an IPv4 network address with a prefix from /16 to /20; use e.g. "10.${10 + cidrs.length}.0.0/16"`);
      continue;
    }
    for (const other of cidrs) {
      if (cidrsOverlap(other.cidr, r.vpcCidr)) {
        problems.push(`clusters ${other.cluster} (${other.cidr}) and ${r.clusterName} (${r.vpcCidr}) have overlapping VPC CIDRs, so no peering, transit gateway or VPN can reach both; give ${r.clusterName} a range of its own, e.g. one /16 per cluster (10.10.0.0/16, 10.11.0.0/16, …)`);
      }
    }
    cidrs.push({ cluster: r.clusterName, cidr: r.vpcCidr });
  }
  if (env.regions.filter((r) => r.primary).length > 1) {
    problems.push(`more than one primary region (${env.regions.filter((r) => r.primary).map((r) => r.name).join(', ')}); mark exactly one`);
  }
  const groupNames = new Set<string>();
  for (const g of env.nodeGroups) {
    if (groupNames.has(g.name)) problems.push(`node group "${g.name}" is listed twice`);
    groupNames.add(g.name);
    dns('node group name', g.name);
    bounds(`node group ${g.name} size:`, { min: g.minSize, max: g.maxSize });
    if (g.desiredSize < g.minSize || g.desiredSize > g.maxSize) {
      problems.push(`node group ${g.name} desiredSize (${g.desiredSize}) is outside ${g.minSize}–${g.maxSize}; set it between minSize and maxSize`);
    }
  }
  if (env.bucketPrefix !== undefined && (env.bucketPrefix.length < 3 || env.bucketPrefix.length > 30 || !DNS_LABEL.test(env.bucketPrefix))) {
    problems.push(`bucketPrefix "${env.bucketPrefix}" is not a DNS label of 3 to 30 characters (S3 bucket names are global and at most 63 characters); use your organization's name, e.g. "acme-fleetcraft"`);
  }
  for (const g of env.nodeGroups) {
    if (g.capacityType !== undefined && g.capacityType !== 'ON_DEMAND' && g.capacityType !== 'SPOT') {
      problems.push(`node group ${g.name} capacityType (${JSON.stringify(g.capacityType)}) is not an EKS capacity type; use 'ON_DEMAND' or 'SPOT'`);
    }
    if (g.capacityType === 'SPOT' && g.instanceTypes.length < 2) {
      problems.push(`node group ${g.name} is a spot group with ${g.instanceTypes.length} instance type(s) (${g.instanceTypes.join(', ') || 'none'}); list at least two of the same size (e.g. m7i.large and m6i.large), or the group stops scaling whenever its one type has no spot capacity`);
    }
    if (g.capacityType === 'SPOT' && g.name === 'consensus') {
      problems.push('node group consensus is a spot group, so an interruption can take a consensus member with two minutes\' notice; use \'ON_DEMAND\' for the consensus nodes');
    }
  }
  if (env.production) {
    const min = env.nodeGroups.reduce((n, g) => n + g.minSize, 0);
    const max = env.nodeGroups.reduce((n, g) => n + g.maxSize, 0);
    if (min < PRODUCTION_REGION_NODES.min) {
      problems.push(`node groups' minSize adds up to ${min} nodes per region, below the specification's ${PRODUCTION_REGION_NODES.min} for production; raise minSize of a group (e.g. general)`);
    }
    if (max > PRODUCTION_REGION_NODES.max) {
      problems.push(`node groups' maxSize adds up to ${max} nodes per region, above the specification's ${PRODUCTION_REGION_NODES.max} for production; lower maxSize of a group`);
    }
  }
  problems.push(...sizeProblems('api.resources', env.api?.resources), ...sizeProblems('consensus.resources', env.consensus?.resources),
    ...sizeProblems('networkAgent.resources', env.networkAgent?.resources));
  for (const ns of ['consensus', 'api', 'network'] as const) problems.push(...quotaProblems(`quotas.${ns}`, env.quotas?.[ns]));
  problems.push(...networkQuotaProblems(env));
  const consensusGroup = env.nodeGroups.find((g) => g.name === 'consensus');
  const largestSet = Math.max(env.consensus.replicas, env.consensus.primaryReplicas ?? env.consensus.replicas);
  if (consensusGroup && consensusGroup.maxSize < largestSet) {
    problems.push(`node group consensus maxSize (${consensusGroup.maxSize}) cannot hold the largest consensus set (${largestSet} members, one per node); raise maxSize to ${largestSet} or more`);
  }
  if (!/^\d{12}$/.test(String(env.awsAccountId))) {
    problems.push(`awsAccountId (${JSON.stringify(env.awsAccountId)}) is not a 12-digit AWS account id; use the Account that \`aws sts get-caller-identity\` prints`);
  }
  const known = Object.values(AddonName) as string[];
  const enabled = Array.isArray(env.addons?.enabled) ? env.addons.enabled : [];
  if (!Array.isArray(env.addons?.enabled)) problems.push('addons.enabled is not a list of add-on names; e.g. [\'kube-prometheus-stack\', \'velero\']');
  enabled.forEach((a, i) => {
    if (!known.includes(a)) problems.push(`addons.enabled[${i}] "${a}" is not an add-on; use one of ${known.join(', ')}`);
    else if (enabled.indexOf(a) !== i) problems.push(`addons.enabled lists "${a}" twice; list each add-on once`);
  });
  const prom = env.addons?.prometheus;
  if (typeof prom !== 'object' || prom === null) {
    problems.push('addons.prometheus is missing; give { retentionDays, replicas, storageGiB, grafana, alertmanager }');
  } else {
    const whole = (what: string, value: unknown, min: number, max: number, fix: string): void => {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) problems.push(`addons.prometheus.${what} (${JSON.stringify(value)}) is not a whole number from ${min} to ${max}; ${fix}`);
    };
    whole('retentionDays', prom.retentionDays, 1, 3650, 'the specification keeps 30 days in production');
    whole('replicas', prom.replicas, 1, 10, 'use 2 where Prometheus must survive a node\'s loss');
    whole('storageGiB', prom.storageGiB, 1, 65536, 'size it for the retention, e.g. 200');
  }
  bounds('api replicas:', env.api.replicas);
  if (!Number.isInteger(env.api.totalReplicas) || env.api.totalReplicas < 1) {
    problems.push(`api totalReplicas (${env.api.totalReplicas}) is not a positive integer`);
  }
  if (env.api.totalReplicas < env.api.replicas.min || env.api.totalReplicas > env.api.replicas.max) {
    problems.push(`api totalReplicas (${env.api.totalReplicas}) is outside replicas ${env.api.replicas.min}–${env.api.replicas.max}; keep it within the autoscaler bounds`);
  }
  const scrape = env.api.scrapeIntervalSeconds;
  if (scrape !== undefined && (!Number.isInteger(scrape) || scrape < 5 || scrape > 300)) {
    problems.push(`api scrapeIntervalSeconds (${scrape}) must be a whole number of seconds between 5 and 300; use 10 for production, 30 elsewhere`);
  }
  if (env.syncWindows !== undefined && !Array.isArray(env.syncWindows)) {
    problems.push('syncWindows is not a list; e.g. [{ kind: \'deny\', schedule: \'0 0 20 12 *\', duration: \'336h\', applications: [\'*\'] }]');
  } else {
    problems.push(...syncWindowProblems(env.syncWindows ?? [], env.regions.map((r) => r.clusterName)));
  }
  return problems;
}

/** Throws an {@link EnvironmentError} listing every broken rule, or returns the environment unchanged. */
export function validateEnvironment(env: EnvironmentSpec): EnvironmentSpec {
  const problems = environmentProblems(env);
  if (problems.length > 0) throw new EnvironmentError(env.name, problems);
  return env;
}
