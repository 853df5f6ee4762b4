import * as kplus from 'cdk8s-plus-27';
import { DeploymentColour, RolloutStrategy, RolloutStrategyType } from '../../../lib/k8s/autoscaled-service';

describe('RolloutStrategy', () => {
  test('rollingUpdate defaults to maxSurge 1 and maxUnavailable 0', () => {
    const s = RolloutStrategy.rollingUpdate();
    expect([s.type, s.maxSurge.value, s.maxUnavailable.value]).toEqual([RolloutStrategyType.ROLLING_UPDATE, 1, 0]);
    expect(s.toDeploymentStrategy()._toKube()).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: s.maxSurge, maxUnavailable: s.maxUnavailable } });
  });

  test('rollingUpdate takes other values', () => {
    const s = RolloutStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.percent(25), maxUnavailable: kplus.PercentOrAbsolute.percent(10) });
    expect([s.maxSurge.value, s.maxUnavailable.value]).toEqual(['25%', '10%']);
  });

  test('blueGreen keeps the active colour; images default to the service image (unset here)', () => {
    const s = RolloutStrategy.blueGreen({ active: DeploymentColour.GREEN });
    expect([s.type, s.blueGreenOptions?.active, s.blueGreenOptions?.blueImage, s.blueGreenOptions?.greenImage]).toEqual(['BlueGreen', 'green', undefined, undefined]);
    expect([s.maxSurge.value, s.maxUnavailable.value]).toEqual([1, 0]);
    expect(s.canaryOptions).toBeUndefined();
  });

  test('canary defaults to weights 90/10 (the seed); canaryImage and canaryMinReplicas resolve in AutoscaledService', () => {
    const s = RolloutStrategy.canary();
    expect([s.type, s.stableWeight, s.canaryWeight, s.canaryOptions?.canaryImage, s.canaryOptions?.canaryMinReplicas]).toEqual(['Canary', 90, 10, undefined, undefined]);
    expect(s.blueGreenOptions).toBeUndefined();
  });

  test('canary takes other weights', () => {
    const s = RolloutStrategy.canary({ stableWeight: 50, canaryWeight: 50 });
    expect([s.stableWeight, s.canaryWeight]).toEqual([50, 50]);
  });

  test('the colours and types use their exact strings', () => {
    expect([DeploymentColour.BLUE, DeploymentColour.GREEN]).toEqual(['blue', 'green']);
    expect(Object.values(RolloutStrategyType)).toEqual(['RollingUpdate', 'BlueGreen', 'Canary']);
  });
});
