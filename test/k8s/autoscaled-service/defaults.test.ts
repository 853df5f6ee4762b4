import { Chart } from 'cdk8s';
import { AutoscaledService, AutoscaledServiceProps } from '../../../lib/k8s/autoscaled-service';
import { DeploymentColour, RolloutStrategy } from '../../../lib/k8s/autoscaled-service';
import { field, findObject, synth, testApp, testChart } from '../../util';

/** The required props only. */
const REQUIRED: AutoscaledServiceProps = { image: 'registry.example.com/api:1.4.2', port: 8080, maxReplicas: 10 };

const build = (props: Partial<AutoscaledServiceProps> = {}) => {
  const chart = testChart();
  new AutoscaledService(chart, 'api', { ...REQUIRED, ...props });
  return synth(chart);
};
const behavior = (props: Partial<AutoscaledServiceProps>) => field(findObject(build(props), 'HorizontalPodAutoscaler', 'api'), 'spec.behavior') as Record<string, unknown>;

describe('AutoscaledService defaults (audit)', () => {
  test('namespace defaults to "- none (the chart\'s namespace)": every object lands in the chart\'s namespace', () => {
    const chart = new Chart(testApp(), 'test', { disableResourceNameHashes: true, namespace: 'shop' });
    new AutoscaledService(chart, 'api', REQUIRED);
    const objects = synth(chart);
    expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`).sort()).toEqual([
      'Deployment/api', 'HorizontalPodAutoscaler/api', 'NetworkPolicy/api', 'PodDisruptionBudget/api', 'Service/api', 'ServiceAccount/api',
    ]);
    for (const o of objects) expect(o.metadata?.namespace).toBe('shop');
  });

  describe('ScalingBehavior, given without the prop', () => {
    test('maxPercent defaults to "50 for scale-up, 10 for scale-down"', () => {
      const b = behavior({ scaleUp: { maxPods: 4 }, scaleDown: { maxPods: 2 } });
      expect(field(b, 'scaleUp.policies.0')).toEqual({ type: 'Percent', value: 50, periodSeconds: 60 });
      expect(field(b, 'scaleDown.policies.0')).toEqual({ type: 'Percent', value: 10, periodSeconds: 300 });
    });

    test('period defaults to "Duration.minutes(1) for scale-up, Duration.minutes(5) for scale-down"', () => {
      const b = behavior({ scaleUp: { maxPercent: 100, maxPods: 4 }, scaleDown: { maxPercent: 5, maxPods: 2 } });
      expect(field(b, 'scaleUp.policies')).toEqual([{ type: 'Percent', value: 100, periodSeconds: 60 }, { type: 'Pods', value: 4, periodSeconds: 60 }]);
      expect(field(b, 'scaleDown.policies')).toEqual([{ type: 'Percent', value: 5, periodSeconds: 300 }, { type: 'Pods', value: 2, periodSeconds: 300 }]);
    });

    test('stabilizationWindow defaults to "Duration.seconds(60) for scale-up, Duration.seconds(300) for scale-down"', () => {
      const b = behavior({ scaleUp: { maxPercent: 100 }, scaleDown: { maxPercent: 5 } });
      expect(field(b, 'scaleUp.stabilizationWindowSeconds')).toBe(60);
      expect(field(b, 'scaleDown.stabilizationWindowSeconds')).toBe(300);
    });
  });

  describe('rollout strategy options', () => {
    test('greenImage defaults to "- the service\'s `image`"', () => {
      const objects = build({ strategy: RolloutStrategy.blueGreen({ active: DeploymentColour.BLUE }) });
      expect(field(findObject(objects, 'Deployment', 'api-green'), 'spec.template.spec.containers.0.image')).toBe(REQUIRED.image);
      expect(field(findObject(objects, 'Deployment', 'api-blue'), 'spec.template.spec.containers.0.image')).toBe(REQUIRED.image);
    });

    const rollingUpdate = (name: string, strategy: RolloutStrategy) => field(findObject(build({ strategy }), 'Deployment', name), 'spec.strategy.rollingUpdate');

    test('maxSurge defaults to "PercentOrAbsolute.absolute(1)" on blue-green and canary Deployments', () => {
      const blueGreen = RolloutStrategy.blueGreen({ active: DeploymentColour.GREEN });
      expect(field(rollingUpdate('api-blue', blueGreen), 'maxSurge')).toBe(1);
      expect(field(rollingUpdate('api-green', blueGreen), 'maxSurge')).toBe(1);
      expect(field(rollingUpdate('api', RolloutStrategy.canary()), 'maxSurge')).toBe(1);
      expect(field(rollingUpdate('api-canary', RolloutStrategy.canary()), 'maxSurge')).toBe(1);
    });

    test('maxUnavailable defaults to "PercentOrAbsolute.absolute(0)" on blue-green and canary Deployments', () => {
      const blueGreen = RolloutStrategy.blueGreen({ active: DeploymentColour.GREEN });
      expect(field(rollingUpdate('api-blue', blueGreen), 'maxUnavailable')).toBe(0);
      expect(field(rollingUpdate('api-green', blueGreen), 'maxUnavailable')).toBe(0);
      expect(field(rollingUpdate('api', RolloutStrategy.canary()), 'maxUnavailable')).toBe(0);
      expect(field(rollingUpdate('api-canary', RolloutStrategy.canary()), 'maxUnavailable')).toBe(0);
    });
  });
});
