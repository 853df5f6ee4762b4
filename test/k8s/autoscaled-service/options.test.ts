import { Duration } from 'cdk8s';
import { AutoscaledService, AutoscaledServiceProps } from '../../../lib/k8s/autoscaled-service';
import { KedaTrigger } from '../../../lib/k8s/autoscaled-service';
import { AutoscalerKind } from '../../../lib/k8s/autoscaled-service';
import { ScalingMetric } from '../../../lib/k8s/autoscaled-service';
import { expectConformant, field, findAll, findObject, synth, testChart } from '../../util';

const BASE: AutoscaledServiceProps = { image: 'registry.example.com/api:1.4.2', port: 8080, minReplicas: 3, maxReplicas: 100 };

const build = (props: Partial<AutoscaledServiceProps> = {}) => {
  const chart = testChart();
  const service = new AutoscaledService(chart, 'api', { ...BASE, ...props });
  return { service, objects: synth(chart) };
};

const SEED_TRIGGERS = [
  KedaTrigger.prometheus({ serverAddress: 'http://prometheus.monitoring.svc:9090', query: 'sum(rate(http_requests_total{service="api"}[2m]))', threshold: 1000 }),
  KedaTrigger.prometheus({ serverAddress: 'http://prometheus.monitoring.svc:9090', query: 'sum(active_connections{service="api"})', threshold: 500, activationThreshold: 10 }),
  KedaTrigger.redisList({ address: 'redis.queues.svc:6379', listName: 'jobs', listLength: 100, authenticationRef: 'redis-auth', enableTls: true }),
];

describe('AutoscaledService options', () => {
  describe('KEDA', () => {
    const { service, objects } = build({ keda: { triggers: SEED_TRIGGERS } });
    const scaled = findObject(objects, 'ScaledObject', 'api');

    test('replaces the HPA; the Deployment still carries no replicas field', () => {
      expect(findAll(objects, 'HorizontalPodAutoscaler')).toEqual([]);
      expect(field(findObject(objects, 'Deployment', 'api'), 'spec')).not.toHaveProperty('replicas');
      expect(service.autoscaler).toBe(AutoscalerKind.KEDA);
      expect(service.scaledObject).toBeDefined();
      expect(service.hpa).toBeUndefined();
    });

    test('targets the Deployment with the replica bounds, pollingInterval 30 s and cooldownPeriod 300 s by default', () => {
      expect(field(scaled, 'spec')).toEqual(expect.objectContaining({
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
        minReplicaCount: 3, maxReplicaCount: 100, pollingInterval: 30, cooldownPeriod: 300,
      }));
    });

    test('passes the scaling behaviour to the HPA KEDA creates', () => {
      expect(field(scaled, 'spec.advanced.horizontalPodAutoscalerConfig.behavior')).toEqual({
        scaleUp: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
        scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 10, periodSeconds: 300 }] },
      });
    });

    test('CPU metrics become cpu triggers next to the Prometheus and Redis triggers of the seed', () => {
      expect(field(scaled, 'spec.triggers')).toEqual([
        { type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } },
        { type: 'prometheus', metadata: { serverAddress: 'http://prometheus.monitoring.svc:9090', query: 'sum(rate(http_requests_total{service="api"}[2m]))', threshold: '1000' } },
        { type: 'prometheus', metadata: { serverAddress: 'http://prometheus.monitoring.svc:9090', query: 'sum(active_connections{service="api"})', threshold: '500', activationThreshold: '10' } },
        { type: 'redis', metadata: { address: 'redis.queues.svc:6379', listName: 'jobs', listLength: '100', enableTLS: 'true' }, authenticationRef: { name: 'redis-auth' } },
      ]);
    });

    test('other intervals, memory metrics, custom triggers and no TLS by default', () => {
      const { objects: other } = build({
        metrics: [ScalingMetric.memory()],
        keda: {
          triggers: [KedaTrigger.redisList({ address: 'redis:6379', listName: 'q', listLength: 5 }), KedaTrigger.custom('rabbitmq', { queueName: 'jobs', value: '20' }, 'rabbit')],
          pollingInterval: Duration.seconds(15), cooldownPeriod: Duration.minutes(10),
        },
      });
      const spec = field(findObject(other, 'ScaledObject', 'api'), 'spec') as Record<string, unknown>;
      expect([spec.pollingInterval, spec.cooldownPeriod]).toEqual([15, 600]);
      expect(spec.triggers).toEqual([
        { type: 'memory', metricType: 'Utilization', metadata: { value: '80' } },
        { type: 'redis', metadata: { address: 'redis:6379', listName: 'q', listLength: '5' } },
        { type: 'rabbitmq', metadata: { queueName: 'jobs', value: '20' }, authenticationRef: { name: 'rabbit' } },
      ]);
    });

    test('metrics may be empty when triggers are given', () => {
      const { objects: other } = build({ metrics: [], keda: { triggers: [SEED_TRIGGERS[2]] } });
      expect(field(findObject(other, 'ScaledObject', 'api'), 'spec.triggers')).toEqual([expect.objectContaining({ type: 'redis' })]);
    });
  });

  test('vpaRecommendations emits a VPA in recommendation mode per Deployment', () => {
    const { service, objects } = build({ vpaRecommendations: true });
    expect(findObject(objects, 'VerticalPodAutoscaler', 'api').spec).toEqual({
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      updatePolicy: { updateMode: 'Off' },
      resourcePolicy: { containerPolicies: [{ containerName: 'app', controlledResources: ['cpu', 'memory'] }] },
    });
    expect(service.tracks[0].vpa).toBeDefined();
  });

  describe('secretVolumes', () => {
    test('default: only the writable /tmp is mounted', () => {
      const pod = field(findObject(build({}).objects, 'Deployment', 'api'), 'spec.template.spec') as { volumes: unknown[]; containers: Array<{ volumeMounts: unknown[] }> };
      expect(pod.volumes).toHaveLength(1);
      expect(pod.containers[0].volumeMounts).toEqual([{ mountPath: '/tmp', name: 'tmp' }]);
    });

    test('each Secret is mounted whole and read-only, so renewals reach the pods; /tmp and relative paths are refused', () => {
      const { objects } = build({ secretVolumes: [{ secretName: 'raft-client-tls', mountPath: '/etc/consensus-client' }] });
      expectConformant(objects);
      const pod = field(findObject(objects, 'Deployment', 'api'), 'spec.template.spec') as { volumes: unknown[]; containers: Array<{ volumeMounts: unknown[] }> };
      expect(pod.volumes).toContainEqual({ name: 'secret-0', secret: { secretName: 'raft-client-tls' } });
      expect(pod.containers[0].volumeMounts).toContainEqual({ mountPath: '/etc/consensus-client', name: 'secret-0', readOnly: true });
      expect(() => build({ secretVolumes: [{ secretName: 'x', mountPath: '/tmp/certs' }] })).toThrow('must be an absolute path outside /tmp');
      expect(() => build({ secretVolumes: [{ secretName: 'x', mountPath: 'certs' }] })).toThrow('must be an absolute path outside /tmp');
    });
  });

  describe('Ingress', () => {
    test('defaults: path /, no TLS, the default IngressClass, ingress-nginx admitted, no source ranges, no annotations', () => {
      const { service, objects } = build({ ingress: { host: 'api.example.com' } });
      expect(findObject(objects, 'Ingress', 'api').metadata?.annotations).toBeUndefined();
      expect(findObject(objects, 'Ingress', 'api').spec).toEqual({
        rules: [{ host: 'api.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8080 } } } }] } }],
      });
      expect(field(findObject(objects, 'NetworkPolicy', 'api'), 'spec.ingress.1')).toEqual({
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 8080 }],
      });
      expect(service.ingress).toBeDefined();
    });

    test('path, TLS secret, class and controller namespace', () => {
      const { objects } = build({ servicePort: 80, ingress: { host: 'api.example.com', path: '/v1', tlsSecretName: 'api-tls', className: 'nginx', controllerNamespace: 'ingress' } });
      expect(findObject(objects, 'Ingress', 'api').spec).toEqual({
        ingressClassName: 'nginx',
        rules: [{ host: 'api.example.com', http: { paths: [{ path: '/v1', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } }] } }],
        tls: [{ hosts: ['api.example.com'], secretName: 'api-tls' }],
      });
      expect(field(findObject(objects, 'NetworkPolicy', 'api'), 'spec.ingress.1.from.0.namespaceSelector.matchLabels')).toEqual({ 'kubernetes.io/metadata.name': 'ingress' });
    });

    test('a load balancer in IP mode: its VPC range admitted beside the controller namespace, its annotations on the Ingress', () => {
      const { objects } = build({
        ingress: { host: 'api.example.com', className: 'alb', controllerNamespace: 'kube-system', sourceCidrs: ['10.10.0.0/16'], annotations: { 'alb.ingress.kubernetes.io/target-type': 'ip' } },
      });
      expectConformant(objects);
      expect(findObject(objects, 'Ingress', 'api').metadata?.annotations).toEqual({ 'alb.ingress.kubernetes.io/target-type': 'ip' });
      expect(field(findObject(objects, 'NetworkPolicy', 'api'), 'spec.ingress.1.from')).toEqual([
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }, { ipBlock: { cidr: '10.10.0.0/16' } },
      ]);
      expect(() => build({ ingress: { host: 'api.example.com', sourceCidrs: ['10.10.0.0'] } })).toThrow('AutoscaledService');
    });
  });

  describe('ServiceMonitor', () => {
    test('defaults: /metrics on the service port every 30 s, Prometheus admitted from monitoring', () => {
      const { service, objects } = build({ serviceMonitor: {} });
      expect(findObject(objects, 'ServiceMonitor', 'api').spec).toEqual({
        selector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } },
        endpoints: [{ port: 'http', path: '/metrics', interval: '30s' }],
      });
      expect(field(findObject(objects, 'Service', 'api'), 'spec.ports')).toEqual([{ name: 'http', port: 8080, targetPort: 8080 }]);
      expect(field(findObject(objects, 'NetworkPolicy', 'api'), 'spec.ingress.1')).toEqual({
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 8080 }],
      });
      expect(service.serviceMonitor).toBeDefined();
    });

    test('a separate metrics port, path, interval and Prometheus namespace', () => {
      const { objects } = build({ serviceMonitor: { port: 9090, path: '/prom', interval: Duration.seconds(15), prometheusNamespace: 'observability' } });
      expect(field(findObject(objects, 'ServiceMonitor', 'api'), 'spec.endpoints')).toEqual([{ port: 'metrics', path: '/prom', interval: '15s' }]);
      expect(field(findObject(objects, 'Service', 'api'), 'spec.ports')).toEqual([
        { name: 'http', port: 8080, targetPort: 8080 }, { name: 'metrics', port: 9090, targetPort: 9090 },
      ]);
      expect(field(findObject(objects, 'Deployment', 'api'), 'spec.template.spec.containers.0.ports')).toEqual([
        { containerPort: 8080, name: 'http' }, { containerPort: 9090, name: 'metrics' },
      ]);
      expect(field(findObject(objects, 'NetworkPolicy', 'api'), 'spec.ingress.1')).toEqual({
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }], ports: [{ protocol: 'TCP', port: 9090 }],
      });
    });
  });

  describe('NetworkPolicy', () => {
    test('allowFrom peers by namespace, namespace labels, pod labels and CIDR', () => {
      const { objects } = build({
        allowFrom: [
          { podLabels: { role: 'frontend' } },
          { namespace: 'web' },
          { namespace: 'batch', podLabels: { app: 'worker' } },
          { namespaceLabels: { tier: 'edge' } },
          { cidr: '10.0.0.0/16' },
        ],
      });
      expect(field(findObject(objects, 'NetworkPolicy', 'api'), 'spec.ingress')).toEqual([{
        from: [
          { podSelector: { matchLabels: { role: 'frontend' } } },
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'web' } } },
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'batch' } }, podSelector: { matchLabels: { app: 'worker' } } },
          { namespaceSelector: { matchLabels: { tier: 'edge' } } },
          { ipBlock: { cidr: '10.0.0.0/16' } },
        ],
        ports: [{ protocol: 'TCP', port: 8080 }],
      }]);
    });

    test('allowFrom [] admits nobody (no rule with an empty from, which would admit everyone)', () => {
      const { objects } = build({ allowFrom: [] });
      expect(findObject(objects, 'NetworkPolicy', 'api').spec).toEqual(expect.objectContaining({ policyTypes: ['Ingress'], ingress: [] }));
    });

    test('allowEgressTo adds egress rules, e.g. to a consensus client port', () => {
      const { objects } = build({ allowEgressTo: [{ namespace: 'consensus', podLabels: { 'app.kubernetes.io/name': 'raft' }, ports: [2379] }, { cidr: '10.1.0.0/16', ports: [443, 8443] }] });
      const spec = findObject(objects, 'NetworkPolicy', 'api').spec as Record<string, unknown>;
      expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(spec.egress).toEqual([
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'consensus' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'raft' } } }], ports: [{ protocol: 'TCP', port: 2379 }] },
        { to: [{ ipBlock: { cidr: '10.1.0.0/16' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 8443 }] },
      ]);
    });
  });

  test('every option at once passes the conformance harness', () => {
    const { objects } = build({
      namespace: 'shop', keda: { triggers: SEED_TRIGGERS }, vpaRecommendations: true, ingress: { host: 'api.example.com', tlsSecretName: 'api-tls' },
      serviceMonitor: { port: 9090 }, config: { A: '1' }, envFromSecrets: ['db'], allowEgressTo: [{ namespace: 'consensus', ports: [2379] }],
    });
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'ConfigMap', 'Deployment', 'Ingress', 'NetworkPolicy', 'PodDisruptionBudget', 'ScaledObject', 'Service', 'ServiceAccount', 'ServiceMonitor', 'VerticalPodAutoscaler',
    ]);
  });
});
