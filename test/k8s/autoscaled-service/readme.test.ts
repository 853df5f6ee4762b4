import { Chart, Duration } from 'cdk8s';
import { AutoscaledService } from '../../../lib/k8s/autoscaled-service';
import { KedaTrigger } from '../../../lib/k8s/autoscaled-service';
import { DisruptionBudget } from '../../../lib/k8s/autoscaled-service';
import { DeploymentColour, RolloutStrategy } from '../../../lib/k8s/autoscaled-service';
import { ScalingMetric } from '../../../lib/k8s/autoscaled-service';
import { findObject, synth, testApp } from '../../util';

test('the README example synthesizes and passes the conformance harness', () => {
  const app = testApp();
  const chart = new Chart(app, 'api', { namespace: 'shop' });
  new AutoscaledService(chart, 'checkout', {
    image: 'registry.example.com/checkout:1.4.2',
    port: 8080,
    minReplicas: 3,
    maxReplicas: 100,
    metrics: [
      ScalingMetric.cpu(70),
      ScalingMetric.memory(80),
      ScalingMetric.podMetric('http_requests_per_second', 1000),
      ScalingMetric.externalMetric('queue_messages_ready', 100, { queue: 'orders' }),
    ],
    scaleUp: { maxPercent: 50, period: Duration.minutes(1), stabilizationWindow: Duration.seconds(60) },
    scaleDown: { maxPercent: 10, period: Duration.minutes(5), stabilizationWindow: Duration.seconds(300) },
    disruptionBudget: DisruptionBudget.maxUnavailablePercent(20),
    terminationGracePeriod: Duration.seconds(60),
    drain: Duration.seconds(30),
    strategy: RolloutStrategy.blueGreen({ active: DeploymentColour.BLUE, greenImage: 'registry.example.com/checkout:1.5.0' }),
    allowFrom: [{ namespace: 'web' }],
    allowEgressTo: [{ namespace: 'consensus', podLabels: { 'app.kubernetes.io/name': 'raft' }, ports: [2379] }],
    ingress: { host: 'checkout.example.com', tlsSecretName: 'checkout-tls' },
    serviceMonitor: {},
  });
  new AutoscaledService(chart, 'worker', {
    image: 'registry.example.com/worker:2.0.1',
    port: 8080,
    maxReplicas: 50,
    keda: { triggers: [KedaTrigger.redisList({ address: 'redis.queues.svc:6379', listName: 'jobs', listLength: 100 })] },
  });
  const objects = synth(chart);
  expect(findObject(objects, 'Service', 'checkout', 'shop').spec).toEqual(expect.objectContaining({ selector: expect.objectContaining({ 'fleetcraft.io/track': 'blue' }) }));
  expect(findObject(objects, 'ScaledObject', 'worker', 'shop').spec).toEqual(expect.objectContaining({ minReplicaCount: 2, maxReplicaCount: 50 }));
});

test('the README mesh example synthesizes and passes the conformance harness', () => {
  const chart = new Chart(testApp(), 'payments', { namespace: 'payments' });
  new AutoscaledService(chart, 'ledger', {
    image: 'registry.example.com/ledger:3.2.0',
    port: 8080,
    maxReplicas: 20,
    strategy: RolloutStrategy.canary({ canaryImage: 'registry.example.com/ledger:3.3.0' }),
    allowFrom: [{ namespace: 'shop', serviceAccount: 'checkout' }],
    serviceMonitor: { port: 9090 },
    mesh: { consistentHashHeader: 'x-account-id', timeout: Duration.seconds(5) },
  });
  const objects = synth(chart);
  expect(findObject(objects, 'AuthorizationPolicy', 'ledger', 'payments').spec).toEqual(expect.objectContaining({
    rules: expect.arrayContaining([expect.objectContaining({ from: [{ source: { principals: ['cluster.local/ns/shop/sa/checkout'] } }] })]),
  }));
  expect(objects.filter((o) => o.kind === 'DestinationRule')).toHaveLength(1);
});
