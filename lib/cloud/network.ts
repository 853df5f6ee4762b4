/**
 * The network layout of a cluster's VPC, as pure functions: zones and subnet CIDRs.
 */
import { propError } from '../private/errors';

/** One zone's subnets. */
export interface ZoneSubnets {
  /** The availability zone, e.g. `us-east-1a`. */
  readonly zone: string;
  /** The private subnet (nodes, control-plane network interfaces, internal load balancers): a quarter of the VPC. */
  readonly privateCidr: string;
  /** The public subnet (NAT gateways, internet-facing load balancers): a sixteenth of the VPC. */
  readonly publicCidr: string;
}

/**
 * The zones to spread a cluster over: the first `count` of what `aws.getAvailabilityZones` returned for the account
 * (available, no opt-in Local or Wavelength Zones). Zone letters map to different physical zones in each account,
 * and some accounts lack a letter (`us-east-1e` is closed to new accounts), so zones are looked up, never spelt
 * `<region>a/b/c`.
 * @see https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html
 */
export function pickZones(region: string, available: readonly string[], count = 3): string[] {
  if (available.length < 2) {
    throw propError('EksCluster', region, 'availabilityZones', available, 'must offer at least two available zones (EKS needs two)',
      'pick a region with more zones, or check the account\'s zone access');
  }
  return [...available].slice(0, count);
}

/** An IPv4 CIDR as its first address (a number) and prefix length; undefined when it is not one. */
export function parseCidr(cidr: string): { base: number; prefix: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  const prefix = Number(m[5]);
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { base, prefix };
}

/** True when two IPv4 CIDRs share an address (both must parse: see {@link parseCidr}). */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (!x || !y) return false;
  const range = (c: { base: number; prefix: number }) => {
    const size = 2 ** (32 - c.prefix);
    const start = c.base - (c.base % size);
    return [start, start + size - 1] as const;
  };
  const [xs, xe] = range(x);
  const [ys, ye] = range(y);
  return xs <= ye && ys <= xe;
}

/** True for a CIDR that admits every IPv4 address (`0.0.0.0/0`). */
export function isAnyAddress(cidr: string): boolean {
  return parseCidr(cidr)?.prefix === 0;
}

function formatCidr(base: number, prefix: number): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256);
  return `${octets.join('.')}/${prefix}`;
}

/**
 * Splits a VPC CIDR over the zones: private subnets take the first three quarters (one per zone), public subnets
 * the first three sixteenths of the last quarter. A `/16` gives `/18` private subnets (16k addresses each, room
 * for pods with the VPC CNI) and `/20` public ones.
 *
 * Refuses a CIDR that is not a network address with a prefix from /16 to /20, and fewer than two or more than
 * three zones (EKS needs two; the layout has room for three).
 */
export function subnetLayout(name: string, vpcCidr: string, zones: readonly string[]): ZoneSubnets[] {
  const parsed = parseCidr(vpcCidr);
  if (!parsed || parsed.prefix < 16 || parsed.prefix > 20 || parsed.base % 2 ** (32 - parsed.prefix) !== 0) {
    throw propError('EksCluster', name, 'vpcCidr', vpcCidr, 'must be an IPv4 network address with a prefix from /16 to /20',
      'use e.g. "10.0.0.0/16"');
  }
  if (zones.length < 2 || zones.length > 3) {
    throw propError('EksCluster', name, 'availabilityZones', zones, 'must list two or three zones (EKS needs two; the layout has room for three)',
      'list three zones of the region');
  }
  const quarter = 2 ** (32 - parsed.prefix - 2);
  const sixteenth = quarter / 4;
  return zones.map((zone, i) => ({
    zone,
    privateCidr: formatCidr(parsed.base + i * quarter, parsed.prefix + 2),
    publicCidr: formatCidr(parsed.base + 3 * quarter + i * sixteenth, parsed.prefix + 4),
  }));
}
