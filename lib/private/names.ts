/** Name and label rules the Kubernetes API server applies (apimachinery `validation`). */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Why `value` is not a DNS-1123 label (at most 63 lowercase alphanumerics or '-'), or undefined if it is one. */
export function dnsLabelError(value: string): string | undefined {
  if (value.length > 63) return `must be at most 63 characters (got ${value.length})`;
  if (!DNS1123_LABEL.test(value)) {
    return 'must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit';
  }
  return undefined;
}

/** Why `value` is not a DNS-1123 subdomain (at most 253 characters of dot-separated labels), or undefined. */
export function dnsSubdomainError(value: string): string | undefined {
  if (value.length > 253) return `must be at most 253 characters (got ${value.length})`;
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return 'must consist of lowercase letters, digits, \'-\' and \'.\', and start and end with a letter or digit';
  }
  return undefined;
}

/** Why `key` is not a valid label or annotation key (`[prefix/]name`), or undefined. */
export function qualifiedNameError(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'may contain at most one \'/\'';
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    if (parts[0].length === 0) return 'prefix before \'/\' must not be empty';
    const prefixError = dnsSubdomainError(parts[0]);
    if (prefixError) return `prefix "${parts[0]}" ${prefixError}`;
  }
  if (name.length === 0 || name.length > 63) return `name part must be 1 to 63 characters (got ${name.length})`;
  if (!QUALIFIED_NAME.test(name)) {
    return 'name part must consist of alphanumerics, \'-\', \'_\' or \'.\', and start and end with an alphanumeric';
  }
  return undefined;
}

/** Why `value` is not a valid label value (at most 63 characters), or undefined. */
export function labelValueError(value: string): string | undefined {
  if (value.length > 63) return `must be at most 63 characters (got ${value.length})`;
  if (!LABEL_VALUE.test(value)) {
    return 'must be empty or consist of alphanumerics, \'-\', \'_\' or \'.\', and start and end with an alphanumeric';
  }
  return undefined;
}

/** Why `value` is not an IANA service name (a container port name: at most 15 characters), or undefined. */
export function portNameError(value: string): string | undefined {
  if (value.length > 15) return `must be at most 15 characters (got ${value.length})`;
  if (!IANA_SVC_NAME.test(value)) return 'must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit';
  if (value.includes('--')) return 'must not contain \'--\'';
  if (!/[a-z]/.test(value)) return 'must contain at least one letter';
  return undefined;
}
