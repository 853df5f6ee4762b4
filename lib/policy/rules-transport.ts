/**
 * Transport rules: what travels in plain text or with a weaker authentication than its neighbours. They read any
 * manifest set, not only fleetcraft's: an etcd-style workload advertising `http://` in a production namespace, a mesh
 * namespace where one PeerAuthentication relaxes what a sibling makes STRICT, an Ingress whose TLS Secret nothing
 * writes.
 */
import { KubeObject } from './objects';
import { asList, asObject, namespaceOf, PolicyRule, RuleFinding } from './rules-context';

/** Namespace labels that mark a namespace as production (key → accepted values). */
export const PRODUCTION_NAMESPACE_LABELS: Readonly<Record<string, readonly string[]>> = {
  'fleetcraft.io/environment': ['production', 'prod'],
  'environment': ['production', 'prod'],
  'env': ['production', 'prod'],
};

/** The etcd settings (flags, or `ETCD_*` variables) that carry client or peer URLs. */
const ETCD_URL_SETTINGS = ['advertise-client-urls', 'listen-client-urls', 'initial-advertise-peer-urls', 'listen-peer-urls', 'initial-cluster'];

const LOOPBACK = /^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/|$)/;

/** The non-loopback `http://` URLs in a comma-separated list (`name=url` pairs, as in `initial-cluster`, too). */
function plainUrls(value: string): string[] {
  return value.split(',').map((v) => v.trim().replace(/^[^=]+=(?=http)/, '')).filter((u) => u.startsWith('http://') && !LOOPBACK.test(u));
}

/** The Secrets the objects of a set write: Secrets themselves, ExternalSecret targets, cert-manager Certificates. */
export function secretsWritten(objects: readonly KubeObject[]): Set<string> {
  const written = new Set<string>();
  for (const o of objects) {
    const ns = o.metadata?.namespace ?? 'default';
    const spec = asObject(o.spec);
    if (o.apiVersion === 'v1' && o.kind === 'Secret' && o.metadata?.name) written.add(`${ns}/${o.metadata.name}`);
    else if (o.apiVersion.startsWith('external-secrets.io/') && o.kind === 'ExternalSecret') {
      const target = asObject(spec.target);
      if (target.creationPolicy !== 'None') written.add(`${ns}/${typeof target.name === 'string' ? target.name : o.metadata?.name}`);
    } else if (o.apiVersion === 'cert-manager.io/v1' && o.kind === 'Certificate' && typeof spec.secretName === 'string') written.add(`${ns}/${spec.secretName}`);
  }
  return written;
}

function isProduction(ns: KubeObject | undefined): boolean {
  const labels = asObject(ns?.metadata?.labels) as Record<string, unknown>;
  return Object.entries(PRODUCTION_NAMESPACE_LABELS).some(([k, values]) => typeof labels[k] === 'string' && values.includes(labels[k] as string));
}

/** The mode a PeerAuthentication sets, and those of its ports. */
function modes(pa: KubeObject): Array<{ path: string; mode: string }> {
  const spec = asObject(pa.spec);
  const out = [{ path: 'spec.mtls.mode', mode: String(asObject(spec.mtls).mode ?? 'UNSET') }];
  for (const [port, setting] of Object.entries(asObject(spec.portLevelMtls))) out.push({ path: `spec.portLevelMtls.${port}.mode`, mode: String(asObject(setting).mode ?? 'UNSET') });
  return out;
}

const isPeerAuthentication = (o: KubeObject): boolean => o.kind === 'PeerAuthentication' && o.apiVersion.startsWith('security.istio.io/');

/** Transport rules (see the file's description). */
export const TRANSPORT_RULES: readonly PolicyRule[] = [
  {
    id: 'security/consensus-plain-http',
    severity: 'error',
    doc: 'In a namespace labelled production, no etcd-style workload advertises or listens on `http://` client or peer URLs (other than loopback).',
    check: (ctx) => ctx.workloads.flatMap((w): RuleFinding[] => {
      if (!isProduction(ctx.namespaces.get(w.namespace))) return [];
      const findings: RuleFinding[] = [];
      asList(w.spec.containers).map(asObject).forEach((c, i) => {
        const base = `${w.podPath ? `${w.podPath}.` : ''}spec.containers[${i}]`;
        asList(c.env).map(asObject).forEach((e, j) => {
          const setting = ETCD_URL_SETTINGS.find((s) => e.name === `ETCD_${s.toUpperCase().replace(/-/g, '_')}`);
          const urls = setting && typeof e.value === 'string' ? plainUrls(e.value) : [];
          if (urls.length > 0) findings.push({ obj: w.obj, path: `${base}.env[${j}]`, message: `sets ${String(e.name)} to plain ${urls[0]} in a production namespace; serve TLS with client-certificate authentication (ConsensusStatefulSet \`tls\`) and use https:// URLs` });
        });
        [...asList(c.command), ...asList(c.args)].forEach((a) => {
          if (typeof a !== 'string') return;
          const m = /^--([a-z-]+)[= ](.+)$/.exec(a);
          const urls = m && ETCD_URL_SETTINGS.includes(m[1]) ? plainUrls(m[2]) : [];
          if (m && urls.length > 0) findings.push({ obj: w.obj, path: base, message: `passes --${m[1]} with plain ${urls[0]} in a production namespace; serve TLS with client-certificate authentication and use https:// URLs` });
        });
      });
      return findings;
    }),
  },
  {
    id: 'security/mesh-mtls-downgrade',
    severity: 'error',
    doc: 'No PeerAuthentication relaxes mutual TLS (PERMISSIVE or DISABLE) in a namespace where another one makes it STRICT.',
    check: (ctx) => {
      const all = ctx.objects.filter(isPeerAuthentication);
      return all.flatMap((pa): RuleFinding[] => {
        const ns = namespaceOf(pa);
        const strict = all.find((o) => o !== pa && namespaceOf(o) === ns && modes(o).some((m) => m.mode === 'STRICT'));
        if (!strict) return [];
        return modes(pa).filter((m) => m.mode === 'PERMISSIVE' || m.mode === 'DISABLE').map((m) => ({
          obj: pa, path: m.path,
          message: `sets ${m.mode} in namespace ${ns}, where PeerAuthentication ${strict.metadata?.name} requires STRICT: the pods it selects accept plain text; make it STRICT too`,
        }));
      });
    },
  },
  {
    id: 'security/ingress-tls-secret',
    severity: 'warning',
    doc: 'An Ingress\'s TLS Secret is written by something in the set (a Secret, an ExternalSecret, a cert-manager Certificate).',
    check: (ctx) => {
      const written = secretsWritten(ctx.objects);
      return ctx.ofKind('Ingress').flatMap((ing) => asList(asObject(ing.spec).tls).map(asObject).flatMap((t, i): RuleFinding[] => {
        const name = t.secretName;
        if (typeof name !== 'string' || written.has(`${namespaceOf(ing)}/${name}`)) return [];
        return [{
          obj: ing, path: `spec.tls[${i}].secretName`,
          message: `names TLS Secret ${name}, which nothing in the set writes, so the host may be served without its certificate; add a cert-manager Certificate with secretName ${name} (or an ExternalSecret), or let the load balancer take the certificate (e.g. ACM) and drop tls`,
        }];
      }));
    },
  },
];
