import { allocatable, cpuMillis, memoryMiB, podsPerNode, workloadCapacityProblem } from '../../lib/cloud/capacity';

describe('capacity', () => {
  test('quantities: CPU in millicores, memory in MiB; anything else is undefined', () => {
    expect([cpuMillis('250m'), cpuMillis('1'), cpuMillis('0.5'), cpuMillis('x'), cpuMillis(undefined)]).toEqual([250, 1000, 500, undefined, undefined]);
    expect([memoryMiB('256Mi'), memoryMiB('1Gi'), memoryMiB(String(2 ** 20)), memoryMiB('1e3'), memoryMiB(undefined)]).toEqual([256, 1024, 1, undefined, undefined]);
  });

  test('a node gives pods its vCPUs less 100m and 80 % of its memory; the smallest listed type decides', () => {
    expect(allocatable('m7i.large')).toEqual({ cpuMillis: 1900, memoryMiB: 8 * 1024 * 0.8 });
    expect(podsPerNode({ instanceTypes: ['m7i.2xlarge', 'm7i.large'] }, { cpuMillis: 250, memoryMiB: 256 })).toBe(7);
    expect(podsPerNode({ instanceTypes: ['x1.huge'] }, { cpuMillis: 250, memoryMiB: 256 })).toBeUndefined();
  });

  test('counts the untainted groups other than system, and names an unknown instance type', () => {
    const groups = [
      { name: 'system', instanceTypes: ['m7i.2xlarge'], minSize: 1, maxSize: 10, desiredSize: 1 },
      { name: 'general', instanceTypes: ['m7i.large'], minSize: 1, maxSize: 2, desiredSize: 1 },
      { name: 'consensus', instanceTypes: ['m7i.2xlarge'], minSize: 1, maxSize: 10, desiredSize: 1, taint: { key: 'k', value: 'v', effect: 'NoSchedule' as const } },
    ];
    const requests = { cpuMillis: 250, memoryMiB: 256 };
    expect(workloadCapacityProblem('c', 'Deployment a/b', 14, requests, groups)).toBeUndefined();
    expect(workloadCapacityProblem('c', 'Deployment a/b', 15, requests, groups)).toBe(
      'cluster c: node groups general (at most 2 × m7i.large) hold at most 14 pod(s) of Deployment a/b (requests 250m CPU, 256Mi memory), but its autoscaler may run 15; raise maxSize or use larger instance types');
    expect(workloadCapacityProblem('c', 'w', 1, requests, [{ ...groups[1], instanceTypes: ['x1.huge'] }]))
      .toBe('cluster c: instance type(s) x1.huge have no known size, so the capacity for w cannot be checked; add them to INSTANCE_TYPES (lib/cloud/capacity.ts)');
  });
});
