/** The platform's add-ons and the coverage check `renderEnvironment` runs (stacks/render.ts `addonCoverage`). */
import { dev, ENVIRONMENTS, production } from '../../environments';
import { AddonName, ADDON_CHARTS } from '../../lib';
import { renderEnvironment } from '../../stacks/render';
import { field, schemaRegistry } from '../util';

const registry = schemaRegistry();
const errors = (env = dev) => renderEnvironment(env, registry).violations.filter((v) => v.severity === 'error');
const without = (addon: AddonName, env = dev) => ({ ...env, addons: { ...env.addons, enabled: env.addons.enabled.filter((a) => a !== addon) } });

describe('every cluster gets the add-ons its objects need', () => {
  test.each(ENVIRONMENTS.map((e) => [e.name, e] as const))('%s: an Application per add-on and cluster, pinned, and the coverage check passes', (_name, env) => {
    const rendered = renderEnvironment(env, registry);
    expect(rendered.violations.filter((v) => v.severity === 'error')).toEqual([]);
    for (const region of env.regions) {
      const apps = rendered.objects.filter((o) => o.cluster === region.clusterName && o.component === 'addons').map((o) => o.object);
      expect(apps.map((a) => a.metadata?.name).sort()).toEqual(env.addons.enabled.map((a) => `${region.clusterName}-${a}`).sort());
      for (const a of env.addons.enabled) {
        const app = apps.find((x) => x.metadata?.name === `${region.clusterName}-${a}`);
        expect(field(app, 'spec.source.targetRevision')).toBe(ADDON_CHARTS[a].version);
        expect(field(app, 'spec.project')).toBe(`${env.name}-addons`);
      }
    }
  });

  test('the addons component is applied next to Argo CD, every other component to its cluster', () => {
    const argo = renderEnvironment(production, registry).objects.filter((o) => o.component === 'argocd').map((o) => o.object);
    const dest = (c: string) => field(argo.find((o) => o.metadata?.name === `production-prod-euw1-${c}`), 'spec.destination');
    expect(dest('addons')).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
    expect(dest('backup')).toEqual({ name: 'prod-euw1' });
    const project = argo.find((o) => o.kind === 'AppProject' && o.metadata?.name === 'production-addons');
    expect(field(project, 'spec.sourceRepos')).toEqual([...new Set(production.addons.enabled.map((a) => ADDON_CHARTS[a].repoURL))].sort());
  });

  test.each([
    [AddonName.VELERO, 'needs velero.io/v1 Schedule', 'enable the add-on "velero"'],
    [AddonName.EXTERNAL_SECRETS, 'needs external-secrets.io/v1 ExternalSecret', 'enable the add-on "external-secrets"'],
    [AddonName.METRICS_SERVER, 'needs the resource metrics API (metrics.k8s.io)', 'enable the add-on "metrics-server"'],
    [AddonName.PROMETHEUS_ADAPTER, 'needs the custom metric http_requests_per_second', 'enable the add-on "prometheus-adapter"'],
    [AddonName.VERTICAL_POD_AUTOSCALER, 'needs autoscaling.k8s.io/v1 VerticalPodAutoscaler', 'enable the add-on "vertical-pod-autoscaler"'],
    [AddonName.AWS_LOAD_BALANCER_CONTROLLER, 'needs IngressClass alb', 'enable the add-on "aws-load-balancer-controller"'],
  ])('without %s synth fails, naming what needs it and the add-on', (addon, need, fix) => {
    const messages = errors(without(addon)).map((v) => v.message);
    expect(messages.some((m) => m.includes(need) && m.includes(fix))).toBe(true);
  });

  test('an add-on another needs cannot be removed alone, and an on-demand one nothing uses is refused', () => {
    expect(() => renderEnvironment(without(AddonName.KUBE_PROMETHEUS_STACK), registry)).toThrow('has "prometheus-adapter" without "kube-prometheus-stack"');
    expect(() => renderEnvironment(without(AddonName.CERT_MANAGER), registry)).toThrow('has "aws-load-balancer-controller" without "cert-manager"');
    const keda = { ...dev, addons: { ...dev.addons, enabled: [...dev.addons.enabled, AddonName.KEDA] } };
    expect(errors(keda).map((v) => v.message)).toEqual([expect.stringContaining('installs keda in cluster dev-use1, but nothing there uses what it serves')]);
  });

  test('dev runs the lighter Prometheus, production the specification\'s 30 days', () => {
    const retention = (env = dev) => field(renderEnvironment(env, registry).objects.find((o) => o.object.metadata?.name === `${env.regions[0].clusterName}-kube-prometheus-stack`)?.object,
      'spec.source.helm.valuesObject.prometheus.prometheusSpec.retention');
    expect(retention(dev)).toBe('7d');
    expect(retention(production)).toBe('30d');
  });
});

describe('every cluster-scoped object the platform emits is one its AppProject allows', () => {
  test.each(ENVIRONMENTS.map((e) => [e.name, e] as const))('%s', (_name, env) => {
    const rendered = renderEnvironment(env, registry).objects;
    const project = rendered.find((o) => o.object.kind === 'AppProject' && o.object.metadata?.name === env.name)?.object;
    const allowed = (field(project, 'spec.clusterResourceWhitelist') as Array<{ group: string; kind: string }>).map((g) => `${g.group}/${g.kind}`);
    const clusterScoped = rendered.filter((o) => o.cluster !== undefined && o.component !== 'addons' && !o.object.metadata?.namespace)
      .map((o) => `${o.object.apiVersion.includes('/') ? o.object.apiVersion.split('/')[0] : ''}/${o.object.kind}`);
    expect([...new Set(clusterScoped)].filter((k) => !allowed.includes(k))).toEqual([]);
    expect(clusterScoped.length).toBeGreaterThan(0);
  });
});
