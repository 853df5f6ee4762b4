import * as kplus from 'cdk8s-plus-27';
import { AutoscaledService, AutoscaledServiceProps } from '../../../lib/k8s/autoscaled-service';
import { KedaTrigger } from '../../../lib/k8s/autoscaled-service';
import { DeploymentColour, RolloutStrategy } from '../../../lib/k8s/autoscaled-service';
import { KubeObject } from '../../../lib/policy/objects';
import { field, findAll, findObject, synth, testChart } from '../../util';

const BASE: AutoscaledServiceProps = { image: 'registry.example.com/api:1.4.2', port: 8080, minReplicas: 3, maxReplicas: 100 };

const build = (props: Partial<AutoscaledServiceProps> = {}) => {
  const chart = testChart();
  const service = new AutoscaledService(chart, 'api', { ...BASE, ...props });
  return { service, objects: synth(chart) };
};

const key = (o: { kind: string; metadata?: { name?: string } }) => `${o.kind}/${o.metadata?.name}`;

describe('AutoscaledService rollout strategies', () => {
  test('rolling update with other surge and unavailability', () => {
    const { objects } = build({ strategy: RolloutStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.percent(25), maxUnavailable: kplus.PercentOrAbsolute.absolute(1) }) });
    expect(field(findObject(objects, 'Deployment', 'api'), 'spec.strategy')).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } });
  });

  describe('blue-green', () => {
    const blue = build({ strategy: RolloutStrategy.blueGreen({ active: DeploymentColour.BLUE }) });
    const green = build({ strategy: RolloutStrategy.blueGreen({ active: DeploymentColour.GREEN }) });

    test('two Deployments, each with its own HPA and PDB, and one Service selecting the active colour', () => {
      expect(blue.objects.map(key).sort()).toEqual([
        'Deployment/api-blue', 'Deployment/api-green', 'HorizontalPodAutoscaler/api-blue', 'HorizontalPodAutoscaler/api-green',
        'NetworkPolicy/api', 'PodDisruptionBudget/api-blue', 'PodDisruptionBudget/api-green', 'Service/api', 'ServiceAccount/api',
      ]);
      expect(field(findObject(blue.objects, 'Service', 'api'), 'spec.selector')).toEqual({
        'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api', 'fleetcraft.io/track': 'blue',
      });
      for (const colour of ['blue', 'green']) {
        const deployment = findObject(blue.objects, 'Deployment', `api-${colour}`);
        expect(field(deployment, 'spec')).not.toHaveProperty('replicas');
        expect(field(deployment, 'spec.selector.matchLabels')).toEqual(expect.objectContaining({ 'fleetcraft.io/track': colour }));
        expect(field(findObject(blue.objects, 'HorizontalPodAutoscaler', `api-${colour}`), 'spec.scaleTargetRef.name')).toBe(`api-${colour}`);
      }
      expect(blue.service.deployment.name).toBe('api-blue');
      expect(green.service.deployment.name).toBe('api-green');
      expect(blue.service.tracks.map((t) => t.track)).toEqual(['blue', 'green']);
      expect(blue.service.node.findChild('Blue').node.findChild('Resource')).toBe(blue.service.tracks[0].deployment);
    });

    test('switching the active colour changes only the Service selector', () => {
      expect(green.objects.map(key).sort()).toEqual(blue.objects.map(key).sort());
      const changed = blue.objects.filter((b) => JSON.stringify(b) !== JSON.stringify(findObject(green.objects, b.kind, String(b.metadata?.name))));
      expect(changed.map(key)).toEqual(['Service/api']);
      const before = findObject(blue.objects, 'Service', 'api');
      const after = findObject(green.objects, 'Service', 'api');
      const withoutSelector = (o: KubeObject) => ({ ...o, spec: { ...(o.spec as object), selector: undefined } });
      expect(withoutSelector(after)).toEqual(withoutSelector(before));
      expect(field(before, 'spec.selector')).toEqual(expect.objectContaining({ 'fleetcraft.io/track': 'blue' }));
      expect(field(after, 'spec.selector')).toEqual(expect.objectContaining({ 'fleetcraft.io/track': 'green' }));
    });

    test('each colour runs its own image (default: the service image)', () => {
      const { objects } = build({ strategy: RolloutStrategy.blueGreen({ active: DeploymentColour.BLUE, greenImage: 'registry.example.com/api:1.5.0' }) });
      expect(field(findObject(objects, 'Deployment', 'api-blue'), 'spec.template.spec.containers.0.image')).toBe('registry.example.com/api:1.4.2');
      expect(field(findObject(objects, 'Deployment', 'api-green'), 'spec.template.spec.containers.0.image')).toBe('registry.example.com/api:1.5.0');
      const both = build({ strategy: RolloutStrategy.blueGreen({ active: DeploymentColour.GREEN, blueImage: 'registry.example.com/api:1.3.0' }) }).objects;
      expect(field(findObject(both, 'Deployment', 'api-blue'), 'spec.template.spec.containers.0.image')).toBe('registry.example.com/api:1.3.0');
    });

    test('blue-green with KEDA emits a ScaledObject per colour', () => {
      const { objects } = build({
        strategy: RolloutStrategy.blueGreen({ active: DeploymentColour.BLUE }),
        keda: { triggers: [KedaTrigger.redisList({ address: 'redis.queues.svc:6379', listName: 'jobs', listLength: 100 })] },
      });
      expect(findAll(objects, 'ScaledObject').map(key).sort()).toEqual(['ScaledObject/api-blue', 'ScaledObject/api-green']);
    });
  });

  describe('canary', () => {
    const { service, objects } = build({ namespace: 'shop', strategy: RolloutStrategy.canary({ canaryImage: 'registry.example.com/api:1.5.0' }) });

    test('a stable and a canary Deployment, the Service selecting both', () => {
      expect(objects.map(key).sort()).toEqual([
        'Deployment/api', 'Deployment/api-canary', 'DestinationRule/api', 'HorizontalPodAutoscaler/api', 'HorizontalPodAutoscaler/api-canary',
        'NetworkPolicy/api', 'PodDisruptionBudget/api', 'PodDisruptionBudget/api-canary', 'Service/api', 'ServiceAccount/api', 'VirtualService/api',
      ]);
      expect(field(findObject(objects, 'Deployment', 'api-canary'), 'spec.template.spec.containers.0.image')).toBe('registry.example.com/api:1.5.0');
      expect(field(findObject(objects, 'Service', 'api'), 'spec.selector')).toEqual({ 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' });
      expect(service.deployment.name).toBe('api');
      expect(service.virtualService).toBeDefined();
      expect(service.destinationRule).toBeDefined();
    });

    // Changed with issue 15: the canary can scale above its one pod, so it gets a budget allowing one eviction.
    test('canaryMinReplicas defaults to 1 and scales up to maxReplicas, with a PDB of maxUnavailable: 1', () => {
      const hpa = findObject(objects, 'HorizontalPodAutoscaler', 'api-canary');
      expect([field(hpa, 'spec.minReplicas'), field(hpa, 'spec.maxReplicas')]).toEqual([1, 100]);
      expect(field(findObject(objects, 'PodDisruptionBudget', 'api-canary'), 'spec.maxUnavailable')).toBe(1);
      expect(service.tracks[1].pdb).toBeDefined();
    });

    test('Istio splits 90/10 between the stable and canary subsets by default', () => {
      const host = 'api.shop.svc.cluster.local';
      expect(findObject(objects, 'VirtualService', 'api').spec).toEqual({
        hosts: [host],
        http: [{
          name: 'canary',
          route: [
            { destination: { host, subset: 'stable', port: { number: 8080 } }, weight: 90 },
            { destination: { host, subset: 'canary', port: { number: 8080 } }, weight: 10 },
          ],
        }],
      });
      expect(findObject(objects, 'DestinationRule', 'api').spec).toEqual({
        host,
        subsets: [{ name: 'stable', labels: { 'fleetcraft.io/track': 'stable' } }, { name: 'canary', labels: { 'fleetcraft.io/track': 'canary' } }],
      });
    });

    test('other weights, the canary image defaulting to the service image, and a short host without a namespace', () => {
      const other = build({ strategy: RolloutStrategy.canary({ stableWeight: 75, canaryWeight: 25, canaryMinReplicas: 2 }) }).objects;
      const routes = field(findObject(other, 'VirtualService', 'api'), 'spec.http.0.route') as Array<{ weight: number; destination: { host: string } }>;
      expect(routes.map((r) => [r.destination.host, r.weight])).toEqual([['api', 75], ['api', 25]]);
      expect(field(findObject(other, 'Deployment', 'api-canary'), 'spec.template.spec.containers.0.image')).toBe('registry.example.com/api:1.4.2');
      expect(field(findObject(other, 'PodDisruptionBudget', 'api-canary'), 'spec.maxUnavailable')).toBe('20%');
    });
  });
});
