import { allocatable, cpuMillis, groupCapacity, memoryMiB, podRoom, podsPerNode, SYSTEM_RESERVE, workloadCapacityProblem } from '../../lib/cloud/capacity';

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

  test('the pods every node runs (DaemonSets) take their requests first; perNode defaults to none', () => {
    const agent = { cpuMillis: 1000, memoryMiB: 2048 };
    expect(SYSTEM_RESERVE).toEqual({ cpuMillis: 100, memoryFraction: 0.2 });
    expect(podRoom('m7i.large')).toEqual(allocatable('m7i.large'));
    expect(podRoom('m7i.large', [agent, { cpuMillis: 100, memoryMiB: 128 }])).toEqual({ cpuMillis: 800, memoryMiB: 8 * 1024 * 0.8 - 2176 });
    expect(podRoom('x1.huge', [agent])).toBeUndefined();
    expect(podsPerNode({ instanceTypes: ['m7i.2xlarge'] }, { cpuMillis: 500, memoryMiB: 1024 }, [agent])).toBe(13);
    // A node the DaemonSets already fill holds no pod (never a negative count).
    expect(podsPerNode({ instanceTypes: ['m7i.large'] }, { cpuMillis: 500, memoryMiB: 1024 }, [{ cpuMillis: 4000, memoryMiB: 0 }])).toBe(0);
  });

  test('a group at maxSize: every node as full as requests allow, or one pod per node (required anti-affinity)', () => {
    const consensus = { instanceTypes: ['i4i.xlarge'], maxSize: 9 };
    const member = { cpuMillis: 2000, memoryMiB: 4096 };
    const agent = { cpuMillis: 1000, memoryMiB: 2048 };
    expect(groupCapacity(consensus, member, [agent])).toBe(9);
    expect(groupCapacity({ ...consensus, instanceTypes: ['i4i.2xlarge'] }, member, [agent])).toBe(27);
    expect(groupCapacity({ ...consensus, instanceTypes: ['i4i.2xlarge'] }, member, [agent], true)).toBe(9);
    expect(groupCapacity({ ...consensus, instanceTypes: ['c7i.large'] }, member, [agent], true)).toBe(0);
    expect(groupCapacity({ ...consensus, instanceTypes: ['x1.huge'] }, member)).toBeUndefined();
  });

  test('workloadCapacityProblem counts the pods every node runs', () => {
    const general = [{ name: 'general', instanceTypes: ['m7i.2xlarge'], minSize: 3, maxSize: 11, desiredSize: 3 }];
    // 11 nodes hold 15 API pods each alone (7900m / 500m), 13 beside a 1 CPU agent: 165 or 143.
    const api = { cpuMillis: 500, memoryMiB: 1024 };
    expect(workloadCapacityProblem('c', 'Deployment api/api', 151, api, general, [])).toBeUndefined();
    expect(workloadCapacityProblem('c', 'Deployment api/api', 151, api, general, [{ cpuMillis: 1000, memoryMiB: 2048 }])).toBe(
      'cluster c: node groups general (at most 11 × m7i.2xlarge) hold at most 143 pod(s) of Deployment api/api (requests 500m CPU, 1024Mi memory), but its autoscaler may run 151; raise maxSize or use larger instance types');
  });
});
