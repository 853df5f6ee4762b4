import { at, Case, describeCases, Json, run, validSet, without } from './rule-cases';
import { INTEGRITY_RULES } from '../../lib/policy/rules-integrity';


const CASES: Case[] = [
  {
    rule: 'integrity/service-selector',
    pass: (set) => { // no selector (manual endpoints) and ExternalName select nothing on purpose
      set.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'legacy', namespace: 'shop' }, spec: { ports: [{ port: 5432 }] } });
      set.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'mail', namespace: 'shop' }, spec: { type: 'ExternalName', externalName: 'smtp.example.com', selector: { app: 'x' } } });
    },
    fail: (set) => { at(set, 'Service', 'web', 'spec').selector = { 'app.kubernetes.io/name': 'wbe' }; },
    expected: ['integrity/service-selector Service shop/web spec.selector: selector app.kubernetes.io/name=wbe matches no pod template in the set (pod labels there: StatefulSet shop/db {app.kubernetes.io/name=db}; CronJob shop/backup {}; Deployment shop/web {app.kubernetes.io/name=web}); fix the selector or the pod labels, or the Service routes to nothing'],
  },
  {
    rule: 'integrity/pdb-selector',
    pass: (set) => { at(set, 'PodDisruptionBudget', 'db', 'spec').selector = { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['db', 'etcd'] }] }; },
    fail: (set) => { at(set, 'PodDisruptionBudget', 'db', 'spec').selector = { matchLabels: { 'app.kubernetes.io/name': 'etcd' } }; },
    expected: [
      'reliability/pdb StatefulSet shop/db (root): runs up to 3 replicas but no PodDisruptionBudget in namespace shop selects its pods (app.kubernetes.io/name=db); add one so a node drain cannot take them all down at once',
      'integrity/pdb-selector PodDisruptionBudget shop/db spec.selector: selector app.kubernetes.io/name=etcd matches no pod template in the set (pod labels there: StatefulSet shop/db {app.kubernetes.io/name=db}; CronJob shop/backup {}; Deployment shop/web {app.kubernetes.io/name=web}); fix the selector so the budget protects the pods it was written for',
    ],
  },
  {
    rule: 'integrity/autoscaler-target',
    pass: (set) => { // a KEDA ScaledObject instead of the HPA; its target kind defaults to Deployment
      set.push({
        apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'web', namespace: 'shop' },
        spec: { scaleTargetRef: { name: 'web' }, minReplicaCount: 2, maxReplicaCount: 6, triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } }] },
      });
      return without(set, 'HorizontalPodAutoscaler', 'web');
    },
    fail: (set) => { (at(set, 'HorizontalPodAutoscaler', 'web', 'spec.scaleTargetRef')).kind = 'StatefulSet'; },
    expected: ['integrity/autoscaler-target HorizontalPodAutoscaler shop/web spec.scaleTargetRef: targets StatefulSet shop/web, which is not a scalable workload in the set; the set has Deployment shop/web: fix scaleTargetRef.kind'],
  },
  {
    rule: 'integrity/statefulset-service',
    pass: (set) => { delete at(set, 'StatefulSet', 'db', 'spec').serviceName; },
    fail: (set) => { delete at(set, 'Service', 'db-peers', 'spec').clusterIP; },
    expected: ['integrity/statefulset-service StatefulSet shop/db spec.serviceName: names Service shop/db-peers, which is not headless, so its pods get no stable DNS names; set clusterIP: None on it (or name a headless Service)'],
  },
  {
    rule: 'integrity/skip-rules',
    pass: (set) => { (at(set, 'Deployment', 'web', 'metadata') as Json).annotations = { 'fleetcraft.io/skip-rules': 'reliability/spread: one zone in this cluster' }; },
    fail: (set) => { (at(set, 'Deployment', 'web', 'metadata') as Json).annotations = { 'fleetcraft.io/skip-rules': 'reliability/spreads: typo\nreliability/pdb:' }; },
    expected: [
      `integrity/skip-rules Deployment shop/web metadata.annotations.fleetcraft.io/skip-rules: names unknown rule "reliability/spreads" (did you mean reliability/spread?); use a rule or check id that fleetcraft validate --list-rules lists`,
      'integrity/skip-rules Deployment shop/web metadata.annotations.fleetcraft.io/skip-rules: skips reliability/pdb without a reason; write "reliability/pdb: <why this object is exempt>"',
    ],
  },
];

describe('integrity rules', () => {
  test('every integrity rule has a case', () => {
    expect(CASES.map((c) => c.rule)).toEqual(INTEGRITY_RULES.map((r) => r.id));
  });

  describeCases(CASES);

  test('a PDB without a selector protects nothing', () => {
    const set = validSet();
    delete at(set, 'PodDisruptionBudget', 'web', 'spec').selector;
    expect(run(set)).toContain('integrity/pdb-selector PodDisruptionBudget shop/web spec.selector: has no selector, so it matches no pod template in the set (pod labels there: StatefulSet shop/db {app.kubernetes.io/name=db}; CronJob shop/backup {}; Deployment shop/web {app.kubernetes.io/name=web}); fix the selector so the budget protects the pods it was written for');
  });

  test('an autoscaler naming a missing workload, or the wrong API group, is reported', () => {
    const set = validSet();
    at(set, 'HorizontalPodAutoscaler', 'web', 'spec.scaleTargetRef').apiVersion = 'argoproj.io/v1alpha1';
    expect(run(set)).toEqual(['integrity/autoscaler-target HorizontalPodAutoscaler shop/web spec.scaleTargetRef.apiVersion: targets argoproj.io/v1alpha1 Deployment web but the workload is apps/v1; use apiVersion apps/v1']);
    at(set, 'HorizontalPodAutoscaler', 'web', 'spec.scaleTargetRef').name = 'api';
    expect(run(set)).toContain('integrity/autoscaler-target HorizontalPodAutoscaler shop/web spec.scaleTargetRef: targets Deployment shop/api, which is not a scalable workload in the set; fix scaleTargetRef.name or add the workload');
  });

  test('a StatefulSet naming a Service that is not in the set is reported', () => {
    const set = without(validSet(), 'Service', 'db-peers');
    expect(run(set)).toEqual(['integrity/statefulset-service StatefulSet shop/db spec.serviceName: names Service shop/db-peers, which is not in the set, so its pods get no stable DNS names; add a headless Service (clusterIP: None) with that name']);
  });
});
