/**
 * Shapes of plain values shared by the AutoscaledService props and the option factories of its value classes
 * (`RolloutStrategy`, `KedaTrigger`, `ScalingMetric`). A leaf module: it imports only the shared guard, so the
 * value classes can use it without an import circle.
 */
import { INT32_MAX, shape } from '../../private/prop-guard';

/**
 * A finite number the size of an int32, of any sign and not necessarily whole: for the props the rule table
 * judges (ports, replicas, percents, the user id), so that its domain message, not the guard's, explains a 0,
 * a 70000 or a 2.5. Only non-numbers, NaN, Infinity and absurd magnitudes (`1e308`) stop here.
 */
export const RULED_NUMBER = shape.number(-INT32_MAX - 1, INT32_MAX);

/** A DNS-1123 subdomain (a Secret or IngressClass name): lower-case labels joined by dots, no path, no port. */
export const DNS_SUBDOMAIN = shape.string({
  maxLength: 253, pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
  patternRule: 'must be a DNS subdomain such as "api-tls" (lower-case labels joined by dots; no "/", ":" or spaces)',
});

/**
 * A container image reference: no spaces or control characters. Whether it is pinned is the rule table's
 * question (`imageError`), so a missing tag is let through to get that message.
 */
export const IMAGE = shape.string({
  maxLength: 1024, pattern: /^[A-Za-z0-9][\w.\-/:@+]*$/,
  patternRule: 'must be an image reference such as "registry.example.com/api:1.4.2" (letters, digits and ". - _ / : @ +" only)',
});

/** An absolute HTTP path (probes, Ingress, metrics): starts with `/`, no spaces. */
export const HTTP_PATH = shape.string({
  maxLength: 2048, pattern: /^\/[^\s]*$/,
  patternRule: 'must be an absolute HTTP path starting with "/" without spaces, such as "/ready"',
});

/** A label value: at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric. */
export const LABEL_VALUE = shape.string({
  maxLength: 63, allowEmpty: true, pattern: /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/,
  patternRule: 'must be a label value (alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric)',
});

/** A map of label names to label values (a selector). */
export const LABELS = shape.map(LABEL_VALUE, 64);

/** An IPv4 or IPv6 block in CIDR form, e.g. `10.0.0.0/16` or `fd00::/8`. */
export const CIDR = shape.string({
  maxLength: 43,
  pattern: /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(3[0-2]|[12]?\d)$|^[0-9a-fA-F:]*:[0-9a-fA-F:.]*\/(12[0-8]|1[01]\d|[1-9]?\d)$/,
  patternRule: 'must be an IP block in CIDR form such as "10.0.0.0/16"',
});
