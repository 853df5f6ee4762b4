import { at, Json, run, shopQuota, validSet } from './rule-cases';
import { formatFigure } from '../../lib/policy/rules-quota';

/** The quota rule's findings only. */
const quotaFindings = (set: Json[]): string[] => run(set).filter((line) => line.startsWith('reliability/quota-capacity '));

/** The shop at its maximums (web: HPA 6 + 2 surge; db: 3 replicas, one 10Gi claim each; backup: one pod). */
const FITS = {
  'requests.cpu': '1650m', 'requests.memory': '2624Mi', 'limits.cpu': '3', 'limits.memory': '5248Mi',
  'pods': 12, 'persistentvolumeclaims': 3, 'requests.storage': '30Gi',
};

describe('reliability/quota-capacity', () => {
  test('a quota exactly at the workloads\' maximums passes, for every resource it checks', () => {
    expect(quotaFindings([...validSet(), shopQuota(FITS)])).toEqual([]);
  });

  test('limits, claims and storage: a StatefulSet\'s claim templates count on every replica, not on the surge', () => {
    const set = [...validSet(), shopQuota({ ...FITS, 'limits.memory': '5Gi', 'persistentvolumeclaims': 2, 'requests.storage': '20Gi' })];
    expect(quotaFindings(set)).toEqual([
      'reliability/quota-capacity ResourceQuota shop/shop-quota spec.hard.limits.memory: namespace shop needs 5248Mi limits.memory with its workloads at their maximums but the quota allows 5Gi, so pods beyond it are refused; driven by StatefulSet shop/db 3Gi (3 pod(s): 3 replica(s)), Deployment shop/web 2Gi (8 pod(s): 6 (HorizontalPodAutoscaler shop/web\'s maximum) + 2 rollout surge), CronJob shop/backup 128Mi (1 pod(s): 1 parallel pod(s) per run); raise limits.memory to 5248Mi or lower those maximums or requests',
      'reliability/quota-capacity ResourceQuota shop/shop-quota spec.hard.persistentvolumeclaims: namespace shop needs 3 persistentvolumeclaims with its workloads at their maximums but the quota allows 2, so pods beyond it are refused; driven by StatefulSet shop/db 3 (3 pod(s): 3 replica(s)); raise persistentvolumeclaims to 3 or lower those maximums or requests',
      'reliability/quota-capacity ResourceQuota shop/shop-quota spec.hard.requests.storage: namespace shop needs 30Gi requests.storage with its workloads at their maximums but the quota allows 20Gi, so pods beyond it are refused; driven by StatefulSet shop/db 30Gi (3 pod(s): 3 replica(s)); raise requests.storage to 30Gi or lower those maximums or requests',
    ]);
  });

  test('`cpu` and `memory` are the API\'s names of requests.cpu and requests.memory', () => {
    const set = [...validSet(), shopQuota({ cpu: '1', memory: '2624Mi' })];
    expect(quotaFindings(set)).toEqual([
      'reliability/quota-capacity ResourceQuota shop/shop-quota spec.hard.cpu: namespace shop needs 1.65 cpu with its workloads at their maximums but the quota allows 1, so pods beyond it are refused; driven by Deployment shop/web 0.8 (8 pod(s): 6 (HorizontalPodAutoscaler shop/web\'s maximum) + 2 rollout surge), StatefulSet shop/db 0.75 (3 pod(s): 3 replica(s)), CronJob shop/backup 0.1 (1 pod(s): 1 parallel pod(s) per run); raise cpu to 1.65 or lower those maximums or requests',
    ]);
  });

  test('a Deployment\'s surge: maxSurge as a number or a percentage of the maximum (rounded up); none with Recreate', () => {
    const pods = (strategy: Json): string[] => {
      const set = validSet();
      at(set, 'Deployment', 'web', 'spec').strategy = strategy;
      return quotaFindings([...set, shopQuota({ pods: 1 })]);
    };
    const web = (n: number, why: string): string => `reliability/quota-capacity ResourceQuota shop/shop-quota spec.hard.pods: namespace shop needs ${n + 4} pods with its workloads at their maximums but the quota allows 1, so pods beyond it are refused; driven by Deployment shop/web ${n} (${n} pod(s): ${why}), StatefulSet shop/db 3 (3 pod(s): 3 replica(s)), CronJob shop/backup 1 (1 pod(s): 1 parallel pod(s) per run); raise pods to ${n + 4} or lower those maximums or requests`;
    const hpa = '6 (HorizontalPodAutoscaler shop/web\'s maximum)';
    expect(pods({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } })).toEqual([web(7, `${hpa} + 1 rollout surge`)]);
    expect(pods({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '50%', maxUnavailable: 0 } })).toEqual([web(9, `${hpa} + 3 rollout surge`)]);
    expect(pods({ type: 'Recreate' })).toEqual([web(6, hpa)]);
  });

  test('a pod\'s effective request: its containers with their sidecars, or its largest init container, whichever is more', () => {
    const set = validSet();
    const pod = at(set, 'StatefulSet', 'db', 'spec.template.spec');
    pod.initContainers = [
      { name: 'proxy', image: 'ghcr.io/example/proxy:1.0.0', restartPolicy: 'Always', resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '64Mi' } } },
      { name: 'restore', image: 'ghcr.io/example/restore:1.0.0', resources: { requests: { cpu: '2', memory: '64Mi' }, limits: { memory: '64Mi' } } },
    ];
    // Per db pod: CPU max(250m + 50m, 50m + 2) = 2.05; memory 512Mi + 64Mi = 576Mi (the init container's 128Mi is less);
    // memory limit 1Gi + 64Mi (the sidecar's).
    expect(quotaFindings([...set, shopQuota({ ...FITS, 'requests.cpu': '7', 'requests.memory': '2816Mi', 'limits.memory': '5440Mi' })])).toEqual([
      'reliability/quota-capacity ResourceQuota shop/shop-quota spec.hard.requests.cpu: namespace shop needs 7.05 requests.cpu with its workloads at their maximums but the quota allows 7, so pods beyond it are refused; driven by StatefulSet shop/db 6.15 (3 pod(s): 3 replica(s)), Deployment shop/web 0.8 (8 pod(s): 6 (HorizontalPodAutoscaler shop/web\'s maximum) + 2 rollout surge), CronJob shop/backup 0.1 (1 pod(s): 1 parallel pod(s) per run); raise requests.cpu to 7.05 or lower those maximums or requests',
    ]);
  });

  test('a StatefulSet scaled by an autoscaler counts at its maximum; more than three drivers are summed up', () => {
    const set = validSet();
    set.push({
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'db', namespace: 'shop' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' }, minReplicas: 3, maxReplicas: 5 },
    });
    delete at(set, 'StatefulSet', 'db', 'spec').replicas;
    set.push({
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'seed', namespace: 'shop' },
      spec: { parallelism: 2, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'seed', image: 'ghcr.io/example/seed:1.0.0', resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '16Mi' } } }] } } },
    });
    expect(quotaFindings([...set, shopQuota({ pods: 10 })])).toEqual([
      'reliability/quota-capacity ResourceQuota shop/shop-quota spec.hard.pods: namespace shop needs 16 pods with its workloads at their maximums but the quota allows 10, so pods beyond it are refused; driven by Deployment shop/web 8 (8 pod(s): 6 (HorizontalPodAutoscaler shop/web\'s maximum) + 2 rollout surge), StatefulSet shop/db 5 (5 pod(s): 5 (HorizontalPodAutoscaler shop/db\'s maximum)), Job shop/seed 2 (2 pod(s): 2 parallel pod(s)), and 1 more; raise pods to 16 or lower those maximums or requests',
    ]);
  });

  test('DaemonSets (one pod per node, a count the manifests do not hold), other namespaces and scoped quotas are not counted', () => {
    const set = validSet();
    set.push({ ...shopQuota({ pods: 0 }), metadata: { name: 'net-quota', namespace: 'net' } });
    set.push({ ...shopQuota({ pods: 1 }), spec: { hard: { pods: 1 }, scopes: ['BestEffort'] } });
    expect(quotaFindings(set)).toEqual([]);
  });

  test('figures: CPU in cores, bytes in the largest whole binary unit, counts as they are', () => {
    expect([formatFigure(37.5, 'cpu'), formatFigure(0.0505, 'cpu'), formatFigure(2 ** 40, 'bytes'), formatFigure(1.5 * 2 ** 30, 'bytes'),
      formatFigure(500, 'bytes'), formatFigure(151, 'count')]).toEqual(['37.5', '0.051', '1Ti', '1536Mi', '1Mi', '151']);
  });
});
