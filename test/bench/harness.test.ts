import { buildEstate, estateObjects } from '../../bench/estate';
import { median, round } from '../../bench/measure';
import { summarize, throughput } from '../../bench/run';
import { toYaml } from '../../stacks/render';
import { expectConformant, field, findAll, findObject } from '../util';

describe('bench harness', () => {
  test('median of an odd count is the middle value, of an even count the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  test('median does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  test('round keeps the given number of decimals', () => {
    expect(round(1.2345)).toBe(1.2);
    expect(round(1.2345, 2)).toBe(1.23);
    expect(round(1999.96, 1)).toBe(2000);
  });

  test('summarize takes the median of each phase and of the totals separately, and keeps every run', () => {
    const sample = (synthMs: number, toJsonMs: number) => ({
      kind: 'fleetcraft' as const, n: 10, objects: 100, yamlBytes: 1000, constructMs: 1, toJsonMs, yamlMs: 2, synthMs, floorMs: synthMs / 2,
    });
    const result = summarize([sample(30, 5), sample(10, 9), sample(20, 7)]);
    expect(result).toEqual(expect.objectContaining({ repetitions: 3, synthMs: 20, toJsonMs: 7, floorMs: 10, objects: 100 }));
    expect(result.synthRunsMs).toEqual([30, 10, 20]);
    expect(() => summarize([])).toThrow('no repetitions to summarize');
  });

  test('throughput counts objects per second beyond start-up, and refuses a run no longer than its start-up', () => {
    expect(throughput(5000, 4100, 100)).toBe(1250);
    expect(() => throughput(5000, 100, 100)).toThrow('validate of 5000 objects (100 ms) took no longer than its start-up (100 ms)');
  });

  describe('the fleetcraft estate', () => {
    const objects = estateObjects(buildEstate('fleetcraft', 2));

    test('each service uses every option a real service uses: ten objects, one of each kind', () => {
      expect(objects.filter((o) => o.metadata?.name?.startsWith('svc-1')).map((o) => o.kind).sort()).toEqual([
        'ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'NetworkPolicy', 'PodDisruptionBudget',
        'Service', 'ServiceAccount', 'ServiceMonitor', 'VerticalPodAutoscaler',
      ]);
      expect(objects).toHaveLength(20);
    });

    test('the HPA scales on CPU, memory and a per-pod metric; the NetworkPolicy has egress', () => {
      const hpa = findObject(objects, 'HorizontalPodAutoscaler', 'svc-0', 'team-0');
      expect((field(hpa, 'spec.metrics') as Array<{ type: string }>).map((m) => m.type)).toEqual(['Resource', 'Resource', 'Pods']);
      expect(field(hpa, 'spec.behavior.scaleUp.policies')).toEqual([{ type: 'Percent', value: 100, periodSeconds: 60 }]);
      expect(field(findObject(objects, 'NetworkPolicy', 'svc-0', 'team-0'), 'spec.policyTypes')).toEqual(['Ingress', 'Egress']);
    });

    test('passes the conformance harness', () => {
      expectConformant(objects);
    });
  });

  describe('the plain cdk8s-plus-27 estate', () => {
    const objects = estateObjects(buildEstate('plain', 2));

    test('each service is a Deployment, a Service, an HPA and a PodDisruptionBudget', () => {
      for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']) {
        expect(findAll(objects, kind).map((o) => o.metadata?.name)).toEqual(['svc-0', 'svc-1']);
      }
      expect(objects).toHaveLength(8);
    });

    test('the HPA scales on the same three metrics', () => {
      const hpa = findObject(objects, 'HorizontalPodAutoscaler', 'svc-0', 'team-0');
      expect((field(hpa, 'spec.metrics') as Array<{ type: string }>).map((m) => m.type)).toEqual(['Resource', 'Resource', 'Pods']);
    });

    test('passes the conformance harness', () => {
      expectConformant(objects);
    });
  });

  test('the floor serializes the same objects to the same bytes as synth', () => {
    const objects = estateObjects(buildEstate('fleetcraft', 1));
    expect(objects.map((o) => toYaml(o))).toEqual(objects.map((o) => toYaml(o)));
    expect(toYaml(findObject(objects, 'Service', 'svc-0', 'team-0'))).toContain('kind: Service\n');
  });
});
