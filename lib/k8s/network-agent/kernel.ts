/**
 * Kernel-tuning rules for the network agent's init step: sysctl names and values, MTU bounds, interface names, and
 * the POSIX shell script that applies them. Table-driven, so the rules can be read (and tested) in one place.
 */

/** The top-level namespaces under `/proc/sys`. */
export const SYSCTL_TOP_LEVELS = ['kernel', 'net', 'vm', 'fs', 'user', 'dev', 'abi', 'debug'] as const;

const SYSCTL_NAME = new RegExp(`^(${SYSCTL_TOP_LEVELS.join('|')})(\\.[a-z0-9_-]+)+$`);
/** Letters, digits, spaces and a few separators: enough for `bbr`, `1`, `4096 87380 6291456`, `1024-65535`. */
const SYSCTL_VALUE = /^[A-Za-z0-9 ._,:/+-]+$/;
/** A Linux interface name: at most 15 characters, no '/', whitespace or ':' (IFNAMSIZ). */
const INTERFACE_NAME = /^[A-Za-z0-9_.-]{1,15}$/;

/** The smallest MTU every IPv4 host must accept (RFC 791). */
export const MIN_MTU = 576;
/** The largest jumbo frame common NICs and cloud networks accept. */
export const MAX_MTU = 9216;

/** Why `name` is not a kernel parameter path as `sysctl -a` lists it, or undefined. */
export function sysctlNameError(name: string): string | undefined {
  if (SYSCTL_NAME.test(name)) return undefined;
  return `is not a valid kernel parameter path (dot-separated segments of lowercase letters, digits, '_' or '-', under ${SYSCTL_TOP_LEVELS.join(', ')})`;
}

/** Why `value` cannot be written safely to a sysctl, or undefined. */
export function sysctlValueError(value: string): string | undefined {
  if (SYSCTL_VALUE.test(value)) return undefined;
  return 'must be non-empty and consist of letters, digits, spaces and . _ , : / + -';
}

/** Why `mtu` is out of bounds, or undefined. */
export function mtuError(mtu: number): string | undefined {
  if (Number.isInteger(mtu) && mtu >= MIN_MTU && mtu <= MAX_MTU) return undefined;
  return `must be an integer between ${MIN_MTU} and ${MAX_MTU}`;
}

/** Why `name` is not a Linux interface name, or undefined. */
export function interfaceNameError(name: string): string | undefined {
  if (INTERFACE_NAME.test(name)) return undefined;
  return 'must be 1 to 15 letters, digits, \'_\', \'.\' or \'-\' (a Linux interface name)';
}

/** The file under `/proc/sys` a sysctl name stands for. */
export function sysctlPath(name: string): string {
  return `/proc/sys/${name.split('.').join('/')}`;
}

/** What the init step applies. Names and values must already be validated. */
export interface KernelTuning {
  readonly sysctls: ReadonlyArray<readonly [string, string]>;
  readonly mtu?: number;
  readonly mtuInterface?: string;
}

/**
 * A POSIX `sh` script (no other tools needed) that writes each sysctl to `/proc/sys` and the MTU to
 * `/sys/class/net/<interface>/mtu`; without an interface, it uses the one holding the default IPv4 route, read from
 * `/proc/net/route`. Fails on the first error so the pod never starts half-tuned.
 */
export function kernelTuningScript(t: KernelTuning): string {
  const lines = ['set -eu'];
  for (const [name, value] of t.sysctls) {
    lines.push(`printf '%s\\n' '${value}' > '${sysctlPath(name)}'`);
  }
  if (t.mtu !== undefined) {
    if (t.mtuInterface !== undefined) {
      lines.push(`iface='${t.mtuInterface}'`);
    } else {
      lines.push(
        'iface=""',
        'while read -r name dest _; do if [ "$dest" = 00000000 ]; then iface="$name"; break; fi; done < /proc/net/route',
        'if [ -z "$iface" ]; then echo "no default IPv4 route: cannot tell which interface gets the MTU" >&2; exit 1; fi',
      );
    }
    lines.push(`printf '%s\\n' '${t.mtu}' > "/sys/class/net/$iface/mtu"`);
  }
  return lines.join('\n') + '\n';
}
