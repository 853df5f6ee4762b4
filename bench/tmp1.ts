import { loadSchemaRegistry } from '../stacks/schemas';
import { checkConformance } from '../lib';
const t0 = Date.now();
const r = loadSchemaRegistry('/work/shared/crds');
console.log('load', Date.now() - t0, r.kinds.length);
const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'api', labels: { a: 'b' } },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'webx' } }, spec: { containers: [{ name: 'c', image: 'x:1', imagePullPolicyy: 'IfNotPresent', volumeMounts: [{ name: 'data', mountPath: '/d' }], resources: { limits: { cpu: 1, memory: '1Gi' } }, ports: [{ containerPort: 80, name: 'http' }] }] } } } };
let t1 = Date.now();
console.log(checkConformance([dep as any], r));
console.log('dep', Date.now() - t1);
t1 = Date.now();
console.log(checkConformance([{ apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'x' }, spec: {} } as any], r));
console.log(checkConformance([{ apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: 'x', namespace: 'velero' }, spec: { schedule: '0 * * * *', template: { ttl: '168h0m0s', includedNamespaces: ['a'], bogus: 1 } } } as any], r));
console.log('rest', Date.now() - t1);
