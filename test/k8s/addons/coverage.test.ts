import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'yaml';
import { AddonName, ADDONS, coverageViolations, CoverageProvider, KUBERNETES_API_GROUPS, KubeObject, needsOf } from '../../../lib';
import { HAS_SCHEMAS, SCHEMA_DIR } from '../../util';

const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const schedule: KubeObject = { apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: 'daily', namespace: 'velero' } };
const velero: CoverageProvider = { name: 'add-on velero', wave: 0, apis: ADDONS[AddonName.VELERO].provides, namespaces: ['velero'] };

describe('needsOf', () => {
  test('a built-in kind in default needs nothing; a custom resource needs its API and namespace', () => {
    expect(needsOf({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a', namespace: 'default' } })).toEqual([{ type: 'namespace', namespace: 'default' }]);
    expect(needsOf(schedule)).toEqual([{ type: 'api', apiVersion: 'velero.io/v1', kind: 'Schedule' }, { type: 'namespace', namespace: 'velero' }]);
  });

  test('an Ingress needs its class; an HPA the metrics APIs of its targets', () => {
    expect(needsOf({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'a' }, spec: {} })).toEqual([{ type: 'ingressClass', name: '' }]);
    const hpa: KubeObject = {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'a' },
      spec: { metrics: [{ type: 'Resource' }, { type: 'Resource' }, { type: 'Pods', pods: { metric: { name: 'rps' } } }, { type: 'External', external: { metric: { name: 'q' } } }] },
    };
    expect(needsOf(hpa)).toEqual([{ type: 'resourceMetrics' }, { type: 'customMetric', name: 'rps' }, { type: 'externalMetrics' }]);
  });
});

describe('coverageViolations', () => {
  test('a custom resource after its add-on is covered; before it or without it, the error names the add-on', () => {
    expect(coverageViolations([{ object: schedule, wave: 1 }], [velero])).toEqual([]);
    const missing = coverageViolations([{ object: schedule, wave: 1 }], []);
    expect(missing.map((v) => v.message)).toEqual([
      'needs velero.io/v1 Schedule, which nothing in its cluster serves before it syncs (wave 1); enable the add-on "velero", which serves it',
      'needs namespace velero, which nothing in its cluster serves before it syncs (wave 1); enable the add-on "velero", which creates it, or create the namespace in an earlier component',
    ]);
    expect(missing[0]).toMatchObject({ rule: 'addons/coverage', severity: 'error', object: 'Schedule velero/daily', path: 'apiVersion' });
    const late = coverageViolations([{ object: schedule, wave: 0 }], [velero]);
    expect(late[0].message).toContain('add-on velero (wave 0) serves it, but not before this object\'s wave; make this object\'s component depend on it');
  });

  test('a Namespace serves its own Application in the same wave, other Applications only later', () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'api' } };
    expect(coverageViolations([{ object: ns('api'), wave: 1, group: 'baseline' }, { object: cm, wave: 1, group: 'baseline' }], [])).toEqual([]);
    expect(coverageViolations([{ object: ns('api'), wave: 1, group: 'baseline' }, { object: cm, wave: 2, group: 'api' }], [])).toEqual([]);
    const race = coverageViolations([{ object: ns('api'), wave: 1, group: 'baseline' }, { object: cm, wave: 1, group: 'api' }], []);
    expect(race[0].message).toContain('Namespace api of baseline (wave 1) serves it, but not before this object\'s wave');
  });

  test('an Ingress without a class, and an HPA metric no adapter serves, are named with the add-on to enable', () => {
    const ingress: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'api' }, spec: {} };
    expect(coverageViolations([{ object: ingress, wave: 1 }], [])[0].message).toContain('set spec.ingressClassName to the class of an ingress controller add-on (alb)');
    const hpa: KubeObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api' }, spec: { metrics: [{ type: 'Pods', pods: { metric: { name: 'rps' } } }] } };
    expect(coverageViolations([{ object: hpa, wave: 1 }], [{ name: 'adapter', wave: 0, customMetrics: ['other'] }])[0].message)
      .toContain('enable the add-on "prometheus-adapter" and give it a rule exposing rps');
    expect(coverageViolations([{ object: hpa, wave: 1 }], [{ name: 'adapter', wave: 0, customMetrics: ['rps'] }])).toEqual([]);
  });

  test('a Secret a pod or an Ingress needs must be written by something in the cluster: a Secret, an ExternalSecret or a Certificate', () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'api' },
      spec: { selector: {}, template: { spec: {
        containers: [{ name: 'a', envFrom: [{ secretRef: { name: 'creds' } }], env: [{ name: 'K', valueFrom: { secretKeyRef: { name: 'keys', key: 'k' } } }, { name: 'O', valueFrom: { secretKeyRef: { name: 'maybe', key: 'k', optional: true } } }] }],
        volumes: [{ name: 'tls', secret: { secretName: 'tls' } }, { name: 'p', projected: { sources: [{ secret: { name: 'proj' } }] } }],
      } } },
    };
    const ingress: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'api', namespace: 'api' }, spec: { ingressClassName: 'alb', tls: [{ secretName: 'edge' }] } };
    const missing = coverageViolations([{ object: deployment, wave: 2 }, { object: ingress, wave: 2 }], [{ name: 'k', wave: -Infinity, namespaces: ['api'], ingressClasses: ['alb'] }]);
    expect(missing.map((v) => v.message.split(',')[0])).toEqual([
      'needs Secret api/creds', 'needs Secret api/keys', 'needs Secret api/tls', 'needs Secret api/proj', 'needs Secret api/edge',
    ]);
    expect(missing[0].message).toBe('needs Secret api/creds, which nothing in its cluster writes; add what writes it (an ExternalSecret from the secret store, a cert-manager Certificate, or a Secret), or mark the reference optional');
    const writers: KubeObject[] = [
      { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'creds', namespace: 'api' }, spec: {} },
      { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'x', namespace: 'api' }, spec: { target: { name: 'keys' } } },
      { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c', namespace: 'api' }, spec: { secretName: 'tls' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'proj', namespace: 'api' } },
    ];
    const left = coverageViolations([...writers.map((object) => ({ object, wave: 3 })), { object: deployment, wave: 2 }, { object: ingress, wave: 2 }],
      [{ name: 'k', wave: -Infinity, namespaces: ['api'], ingressClasses: ['alb'], secrets: ['api/edge'], apis: [{ apiVersion: 'external-secrets.io/v1', kinds: ['ExternalSecret'] }, { apiVersion: 'cert-manager.io/v1', kinds: ['Certificate'] }] }]);
    expect(left).toEqual([]);
  });

  test('a kind no add-on serves says so', () => {
    const obj: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    expect(coverageViolations([{ object: obj, wave: 1 }], [])[0].message).toContain('no fleetcraft add-on serves it');
  });
});

(HAS_SCHEMAS ? describe : describe.skip)(`the catalogue against the upstream schemas in ${SCHEMA_DIR}`, () => {
  const crdKinds = new Set<string>();
  const groups = new Set<string>();
  if (HAS_SCHEMAS) {
    for (const dir of fs.readdirSync(SCHEMA_DIR)) {
      const folder = path.join(SCHEMA_DIR, dir);
      if (!fs.statSync(folder).isDirectory()) continue;
      for (const file of fs.readdirSync(folder).filter((f) => f.endsWith('.yaml'))) {
        for (const doc of yaml.parseAllDocuments(fs.readFileSync(path.join(folder, file), 'utf8'))) {
          const crd = doc.toJS() as { kind?: string; spec?: { group: string; names: { kind: string }; versions: Array<{ name: string; served: boolean }> } } | null;
          if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec) continue;
          for (const v of crd.spec.versions.filter((x) => x.served)) crdKinds.add(`${crd.spec.group}/${v.name} ${crd.spec.names.kind}`);
        }
      }
    }
    const swagger = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, 'kubernetes', 'swagger-v1.36.json'), 'utf8')) as { definitions: Record<string, { 'x-kubernetes-group-version-kind'?: Array<{ group: string }> }> };
    for (const d of Object.values(swagger.definitions)) for (const gvk of d['x-kubernetes-group-version-kind'] ?? []) groups.add(gvk.group);
  }

  test('every served CRD kind of the add-ons\' projects is one the catalogue says its add-on provides', () => {
    const provided = new Set(Object.values(ADDONS).flatMap((a) => a.provides.flatMap((p) => p.kinds.map((k) => `${p.apiVersion} ${k}`))));
    const projects = ['velero.io', 'external-secrets.io', 'monitoring.coreos.com', 'autoscaling.k8s.io', 'cert-manager.io', 'keda.sh', 'istio.io'];
    const ours = [...crdKinds].filter((k) => projects.some((p) => k.split('/')[0].endsWith(p)));
    expect(ours.length).toBeGreaterThan(20);
    expect(ours.filter((k) => !provided.has(k))).toEqual([]);
  });

  test('the built-in API groups are exactly those of the Kubernetes 1.36 OpenAPI document', () => {
    expect([...groups].sort()).toEqual([...KUBERNETES_API_GROUPS].sort());
  });
});
