import { at, Case, describeCases, Json, run, shopQuota, validSet, WEB, without } from './rule-cases';
import { imageParts } from '../../lib/private/images';
import { RELIABILITY_RULES } from '../../lib/policy/rules-reliability';


const CASES: Case[] = [
  {
    rule: 'reliability/probes',
    pass: (set) => { // a CronJob and an init container need none
      at(set, 'Deployment', 'web', 'spec.template.spec').initContainers = [{ ...at(set, 'Deployment', 'web', WEB), name: 'migrate', readinessProbe: undefined, livenessProbe: undefined, ports: undefined }];
    },
    fail: (set) => { delete at(set, 'Deployment', 'web', WEB).readinessProbe; },
    expected: ['reliability/probes Deployment shop/web spec.template.spec.containers[0]: container "web" has no readinessProbe; add it so traffic only reaches ready pods and a hung process is restarted'],
  },
  {
    rule: 'reliability/resources',
    pass: (set) => { delete (at(set, 'StatefulSet', 'db', `${WEB}.resources.limits`)).cpu; },
    fail: (set) => {
      const r = at(set, 'CronJob', 'backup', 'spec.jobTemplate.spec.template.spec.containers.0.resources');
      delete (r.requests as Json).cpu;
      delete r.limits;
    },
    expected: ['reliability/resources CronJob shop/backup spec.jobTemplate.spec.template.spec.containers[0].resources: container "backup" does not set resources.requests.cpu, resources.limits.memory; set CPU and memory requests so the scheduler can place it, and a memory limit so a leak cannot starve the node'],
  },
  {
    rule: 'reliability/image-tag',
    pass: (set) => { at(set, 'Deployment', 'web', WEB).image = 'registry.local:5000/web:1.4.2'; },
    fail: (set) => { at(set, 'Deployment', 'web', WEB).image = 'registry.local:5000/web'; },
    expected: ['reliability/image-tag Deployment shop/web spec.template.spec.containers[0].image: image "registry.local:5000/web" has no tag or digest, so it means :latest and changes under you; pin it, e.g. "registry.local:5000/web:1.2.3" or "registry.local:5000/web@sha256:<digest>"'],
  },
  {
    rule: 'reliability/image-pull-policy',
    pass: (set) => { at(set, 'StatefulSet', 'db', WEB).imagePullPolicy = 'IfNotPresent'; },
    fail: (set) => { at(set, 'StatefulSet', 'db', WEB).imagePullPolicy = 'Always'; },
    expected: ['reliability/image-pull-policy StatefulSet shop/db spec.template.spec.containers[0].imagePullPolicy: container "db" sets imagePullPolicy: Always, so every restart depends on the registry; pin the image and use IfNotPresent'],
  },
  {
    rule: 'reliability/pdb',
    pass: (set) => { (at(set, 'StatefulSet', 'db', 'spec')).replicas = 1; return without(set, 'PodDisruptionBudget', 'db'); },
    fail: (set) => without(set, 'PodDisruptionBudget', 'web'),
    expected: ['reliability/pdb Deployment shop/web (root): runs up to 6 replicas (HorizontalPodAutoscaler shop/web) but no PodDisruptionBudget in namespace shop selects its pods (app.kubernetes.io/name=web); add one so a node drain cannot take them all down at once'],
  },
  {
    rule: 'reliability/spread',
    pass: (set) => {
      const spec = at(set, 'Deployment', 'web', 'spec.template.spec');
      delete spec.topologySpreadConstraints;
      spec.affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname' } }] } };
    },
    fail: (set) => { delete at(set, 'StatefulSet', 'db', 'spec.template.spec').affinity; },
    expected: ['reliability/spread StatefulSet shop/db spec.template.spec: runs up to 3 replicas with no topologySpreadConstraints or podAntiAffinity, so they may all land on one node or zone; spread them across kubernetes.io/hostname and topology.kubernetes.io/zone'],
  },
  {
    rule: 'reliability/autoscaler-replicas',
    pass: (set) => { at(set, 'StatefulSet', 'db', 'spec').replicas = 5; },
    fail: (set) => { at(set, 'Deployment', 'web', 'spec').replicas = 2; },
    expected: ['reliability/autoscaler-replicas Deployment shop/web spec.replicas: is scaled by HorizontalPodAutoscaler shop/web but sets spec.replicas (2), so every GitOps sync resets the autoscaler\'s choice; remove the field'],
  },
  {
    rule: 'reliability/pdb-disruptions',
    pass: (set) => { // 50% of the HPA minimum (2) rounds up to 1 of 2
      const spec = at(set, 'PodDisruptionBudget', 'web', 'spec');
      delete spec.maxUnavailable;
      spec.minAvailable = '50%';
    },
    fail: (set) => {
      at(set, 'HorizontalPodAutoscaler', 'web', 'spec').minReplicas = 1;
      const spec = at(set, 'PodDisruptionBudget', 'web', 'spec');
      delete spec.maxUnavailable;
      spec.minAvailable = 1;
    },
    expected: ['reliability/pdb-disruptions PodDisruptionBudget shop/web spec.minAvailable: minAvailable 1 allows no voluntary disruption with 1 pod(s) (Deployment shop/web at HorizontalPodAutoscaler shop/web\'s minimum of 1), so every node drain blocks; use maxUnavailable: 1, or a minAvailable below the minimum pod count'],
  },
  {
    rule: 'reliability/identical-probes',
    pass: (set) => { // the db's identical TCP probes are fine: its only Service publishes not-ready pods anyway
      const web = at(set, 'Deployment', 'web', WEB);
      web.livenessProbe = { ...(web.readinessProbe as Json), failureThreshold: 6 };
    },
    fail: (set) => {
      const web = at(set, 'Deployment', 'web', WEB);
      web.livenessProbe = { httpGet: { port: 'http', path: '/ready' } }; // the same probe, keys in another order
    },
    expected: ['reliability/identical-probes Deployment shop/web spec.template.spec.containers[0].livenessProbe: container "web" has identical liveness and readiness probes, so a pod that is only slow or busy is restarted instead of taken out of rotation; give liveness a cheaper check (is the process alive?) or a higher failureThreshold than readiness'],
  },
  {
    rule: 'reliability/quota-capacity',
    // The shop at its maximums: web 8 pods (HPA maximum 6 + 25 % surge, 2) × 100m, db 3 × 250m, the backup CronJob's one pod 100m.
    pass: (set) => [...set, shopQuota({ 'requests.cpu': '1650m', 'pods': 12 })],
    fail: (set) => [...set, shopQuota({ 'requests.cpu': '1500m', 'pods': 12 })],
    expected: ['reliability/quota-capacity ResourceQuota shop/shop-quota spec.hard.requests.cpu: namespace shop needs 1.65 requests.cpu with its workloads at their maximums but the quota allows 1.5, so pods beyond it are refused; driven by Deployment shop/web 0.8 (8 pod(s): 6 (HorizontalPodAutoscaler shop/web\'s maximum) + 2 rollout surge), StatefulSet shop/db 0.75 (3 pod(s): 3 replica(s)), CronJob shop/backup 0.1 (1 pod(s): 1 parallel pod(s) per run); raise requests.cpu to 1.65 or lower those maximums or requests'],
  },
];

describe('reliability rules', () => {
  test('every reliability rule has a case', () => {
    expect(CASES.map((c) => c.rule)).toEqual(RELIABILITY_RULES.map((r) => r.id));
  });

  test('the valid fixtures pass', () => {
    expect(run(validSet())).toEqual([]);
  });

  describeCases(CASES);

  test('a memory request above its limit is an error', () => {
    const set = validSet();
    (at(set, 'Deployment', 'web', `${WEB}.resources.requests`)).memory = '1Gi';
    expect(run(set)).toEqual(['reliability/resources Deployment shop/web spec.template.spec.containers[0].resources.requests.memory: container "web" requests 1Gi memory but is limited to 256Mi; the API server rejects a request above its limit: raise the limit or lower the request']);
  });

  test('an image tagged latest is an error, one pinned by digest is not', () => {
    const set = validSet();
    at(set, 'Deployment', 'web', WEB).image = 'ghcr.io/example/web:latest';
    expect(run(set)).toEqual(['reliability/image-tag Deployment shop/web spec.template.spec.containers[0].image: image "ghcr.io/example/web:latest" uses the mutable tag latest, so two nodes can run different code; pin a version tag or a digest']);
    expect(imageParts('quay.io/coreos/etcd@sha256:abc')).toEqual({ tag: undefined, digest: 'sha256:abc' });
    expect(imageParts('localhost:5000/a/b:1.2@sha256:abc')).toEqual({ tag: '1.2', digest: 'sha256:abc' });
  });

  test('a PDB that blocks drains at a fixed replica count is reported too', () => {
    const set = validSet();
    at(set, 'PodDisruptionBudget', 'db', 'spec').minAvailable = 3;
    expect(run(set)).toEqual(['reliability/pdb-disruptions PodDisruptionBudget shop/db spec.minAvailable: minAvailable 3 allows no voluntary disruption with 3 pod(s) (StatefulSet shop/db at 3 replica(s)), so every node drain blocks; use maxUnavailable: 1, or a minAvailable below the minimum pod count']);
  });

  test('a KEDA ScaledObject that may scale to zero is checked at one pod', () => {
    const set = without(validSet(), 'HorizontalPodAutoscaler', 'web');
    set.push({
      apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'web', namespace: 'shop' },
      spec: { scaleTargetRef: { name: 'web' }, triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } }] },
    });
    at(set, 'PodDisruptionBudget', 'web', 'spec').maxUnavailable = 0;
    expect(run(set)).toEqual(['reliability/pdb-disruptions PodDisruptionBudget shop/web spec.maxUnavailable: maxUnavailable 0 allows no voluntary disruption with 1 pod(s) (Deployment shop/web at ScaledObject shop/web\'s minimum of 0), so every node drain blocks; use maxUnavailable: 1, or a minAvailable below the minimum pod count']);
  });
});
