import { AutoscaledService, AutoscaledServiceProps } from '../../../lib/k8s/autoscaled-service';
import { FederatedWorkload } from '../../../lib/k8s/federation';
import { field, findObject, synth, testChart } from '../../util';

const SERVICE: AutoscaledServiceProps = { image: 'registry.example.com/api:1.4.2', port: 8080, maxReplicas: 90, env: { LOG_LEVEL: 'info' } };

describe('FederatedApp defaults (audit)', () => {
  test('FederatedWorkloadBuildOptions overrides defaults to "- none": the copy runs the workload as given, with the share\'s bounds', () => {
    const chart = testChart();
    const service = FederatedWorkload.autoscaledService(SERVICE).build(chart, 'member', {
      defaultName: 'api', share: { replicas: 15, minReplicas: 2, maxReplicas: 30 },
    });
    const objects = synth(chart);
    expect(service).toBeInstanceOf(AutoscaledService);
    const deployment = findObject(objects, 'Deployment', 'api');
    expect(field(deployment, 'spec.template.spec.containers.0.image')).toBe(SERVICE.image);
    expect(field(deployment, 'spec.template.spec.containers.0.env')).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
    const hpa = findObject(objects, 'HorizontalPodAutoscaler', 'api');
    expect([field(hpa, 'spec.minReplicas'), field(hpa, 'spec.maxReplicas')]).toEqual([2, 30]);
    expect(service.props).toEqual({ ...SERVICE, name: 'api', minReplicas: 2, maxReplicas: 30 });
  });
});
