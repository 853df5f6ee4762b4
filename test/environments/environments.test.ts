import { dev, ENVIRONMENT_NAMES, EnvironmentError, EnvironmentSpec, environmentProblems, getEnvironment, production, staging, validateEnvironment } from '../../environments';

const withChanges = (changes: Partial<EnvironmentSpec>): EnvironmentSpec => ({ ...production, ...changes });

describe('environments', () => {
  test('dev, staging and production exist and are valid', () => {
    expect(ENVIRONMENT_NAMES).toEqual(['dev', 'staging', 'production']);
    for (const env of [dev, staging, production]) expect(environmentProblems(env)).toEqual([]);
  });

  test('production: us-east-1 weight 3 (primary), eu-west-1 weight 2, ap-southeast-1 weight 1, 45 API pods', () => {
    expect(production.regions.map((r) => [r.name, r.weight, r.primary ?? false])).toEqual([
      ['us-east-1', 3, true], ['eu-west-1', 2, false], ['ap-southeast-1', 1, false],
    ]);
    expect(production.api.totalReplicas).toBe(45);
    expect(production.consensus).toEqual(expect.objectContaining({ replicas: 5, primaryReplicas: 7 }));
    expect(production.production).toBe(true);
  });

  test('every cluster of every environment has its own VPC CIDR', () => {
    const cidrs = [dev, staging, production].flatMap((e) => e.regions.map((r) => r.vpcCidr));
    expect(cidrs).toEqual(['10.30.0.0/16', '10.20.0.0/16', '10.10.0.0/16', '10.11.0.0/16', '10.12.0.0/16']);
  });

  test('getEnvironment returns a valid environment by name', () => {
    expect(getEnvironment('staging')).toBe(staging);
  });

  test('an unknown name lists the valid ones', () => {
    expect(() => getEnvironment('prod')).toThrow('unknown environment "prod"; valid names: dev, staging, production');
  });

  describe('validateEnvironment refuses', () => {
    const expectRejected = (env: EnvironmentSpec, message: string) => {
      expect(() => validateEnvironment(env)).toThrow(EnvironmentError);
      expect(environmentProblems(env)).toContain(message);
    };

    test('duplicate region names', () => {
      expectRejected(withChanges({ regions: [production.regions[0], { ...production.regions[1], name: 'us-east-1' }] }),
        'region "us-east-1" is listed twice; each region appears once');
    });

    test('overlapping VPC CIDRs, naming both clusters and the fix', () => {
      expectRejected(withChanges({ regions: [production.regions[0], { ...production.regions[1], vpcCidr: '10.10.128.0/18' }] }),
        'clusters prod-use1 (10.10.0.0/16) and prod-euw1 (10.10.128.0/18) have overlapping VPC CIDRs, so no peering, transit gateway or VPN can reach both; give prod-euw1 a range of its own, e.g. one /16 per cluster (10.10.0.0/16, 10.11.0.0/16, …)');
    });

    test('a VPC CIDR that is not a /16 to /20 network address', () => {
      expectRejected(withChanges({ regions: [{ ...production.regions[0], vpcCidr: '10.10.0.1/16' }] }),
        'vpcCidr of cluster prod-use1 ("10.10.0.1/16") is not an IPv4 network address with a prefix from /16 to /20; use e.g. "10.10.0.0/16"');
    });

    test('a bucket prefix that is not a short DNS label', () => {
      expectRejected(withChanges({ bucketPrefix: 'Acme' }),
        'bucketPrefix "Acme" is not a DNS label of 3 to 30 characters (S3 bucket names are global and at most 63 characters); use your organization\'s name, e.g. "acme-fleetcraft"');
    });

    test('a consensus node group too small for the largest member set, one member per node', () => {
      expectRejected(withChanges({ nodeGroups: production.nodeGroups.map((g) => (g.name === 'consensus' ? { ...g, minSize: 3, desiredSize: 5, maxSize: 5 } : g)) }),
        'node group consensus maxSize (5) cannot hold the largest consensus set (7 members, one per node); raise maxSize to 7 or more');
    });

    test('duplicate cluster names', () => {
      expectRejected(withChanges({ regions: [production.regions[0], { ...production.regions[1], clusterName: 'prod-use1' }] }),
        'cluster name "prod-use1" is used by two regions; give each cluster its own name');
    });

    test('a weight that is zero, negative or fractional', () => {
      for (const weight of [0, -1, 1.5]) {
        expectRejected(withChanges({ regions: [{ ...production.regions[0], weight }] }),
          `weight of region us-east-1 (${weight}) is not a positive integer; use 1, 2, 3, …`);
      }
    });

    test('min above max', () => {
      expectRejected(withChanges({ api: { ...production.api, replicas: { min: 50, max: 40 } } }),
        'api replicas: min (50) is above max (40); lower min or raise max');
      expectRejected(withChanges({ nodeGroups: [{ ...production.nodeGroups[0], minSize: 5, maxSize: 3, desiredSize: 4 }] }),
        'node group system size: min (5) is above max (3); lower min or raise max');
    });

    test('a cluster name that is not a DNS label', () => {
      expectRejected(withChanges({ regions: [{ ...production.regions[0], clusterName: 'Prod_USE1' }] }),
        'cluster name of region us-east-1 "Prod_USE1" is not a DNS-1123 label (lowercase letters, digits and \'-\', at most 63 characters); rename it, e.g. "prod-use1"');
    });

    test('an empty region list', () => {
      expectRejected(withChanges({ regions: [] }), 'regions is empty; an environment needs at least one region with a cluster');
    });

    test('two primary regions', () => {
      expectRejected(withChanges({ regions: [production.regions[0], { ...production.regions[1], primary: true }] }),
        'more than one primary region (us-east-1, eu-west-1); mark exactly one');
    });

    test('total API replicas outside the autoscaler bounds', () => {
      expectRejected(withChanges({ api: { ...production.api, totalReplicas: 400 } }),
        'api totalReplicas (400) is outside replicas 18–300; keep it within the autoscaler bounds');
    });

    test.each([2, 7.5, 600])('an API scrape interval of %p seconds', (seconds) => {
      expectRejected(withChanges({ api: { ...production.api, scrapeIntervalSeconds: seconds } }),
        `api scrapeIntervalSeconds (${seconds}) must be a whole number of seconds between 5 and 300; use 10 for production, 30 elsewhere`);
    });

    test('a desired node count outside the group bounds', () => {
      expectRejected(withChanges({ nodeGroups: [{ ...production.nodeGroups[0], desiredSize: 9 }] }),
        'node group system desiredSize (9) is outside 2–4; set it between minSize and maxSize');
    });

    test('a size that is not a whole positive number, and a limit below its request', () => {
      expectRejected(withChanges({ api: { ...production.api, resources: { ...production.api.resources, cpuRequestMillis: 0.5 } } }),
        'api.resources.cpuRequestMillis (0.5) is not a whole number of millicores from 1 to 1048576; use e.g. 500');
      expectRejected(withChanges({ consensus: { ...production.consensus, resources: { ...production.consensus.resources, memoryLimitMiB: 2048 } } }),
        'consensus.resources.memoryLimitMiB (2048) is below memoryRequestMiB (4096), which the API server refuses; raise the limit to 4096 or more');
      expectRejected(withChanges({ networkAgent: { ...production.networkAgent, resources: { ...production.networkAgent.resources, cpuLimitMillis: 500 } } }),
        'networkAgent.resources.cpuLimitMillis (500) is below cpuRequestMillis (1000), which the API server refuses; raise the limit to 1000 or more, or leave it out');
    });

    test('a quota that is not a whole positive number, or whose memory limits are below its memory requests', () => {
      expectRejected(withChanges({ quotas: { ...production.quotas, api: { ...production.quotas.api, pods: -1 } } }),
        'quotas.api.pods (-1) is not a whole number from 1 to 1048576; the specification\'s production quota is 100 CPU, 200 GiB memory, 500 pods and 100 claims');
      expectRejected(withChanges({ quotas: { ...production.quotas, consensus: { ...production.quotas.consensus, limitsMemoryGiB: 100 } } }),
        'quotas.consensus.limitsMemoryGiB (100) is below memoryGiB (200), so the memory requests could never be used up; raise limitsMemoryGiB to 200 or more');
    });

    test('a network quota that cannot admit the agent on every node the groups reach', () => {
      // 43 nodes × 8 GiB of agent memory limit = 344 GiB.
      expectRejected(withChanges({ quotas: { ...production.quotas, network: { ...production.quotas.network, limitsMemoryGiB: 300 } } }),
        'quotas.network.limitsMemoryGiB (300) cannot admit the network agent on every node: the node groups reach 43 nodes, which need 344 GiB; raise quotas.network.limitsMemoryGiB to 344 or more, or lower the node groups\' maxSize');
    });

    test('a production region outside 10 to 100 nodes (the groups\' minSize and maxSize added up)', () => {
      expectRejected(withChanges({ nodeGroups: production.nodeGroups.map((g) => (g.name === 'general' ? { ...g, minSize: 2, desiredSize: 2 } : g)) }),
        'node groups\' minSize adds up to 9 nodes per region, below the specification\'s 10 for production; raise minSize of a group (e.g. general)');
      expectRejected(withChanges({
        nodeGroups: production.nodeGroups.map((g) => (g.name === 'general' ? { ...g, maxSize: 90 } : g)),
        quotas: { ...production.quotas, network: { ...production.quotas.network, limitsMemoryGiB: 1000 } },
      }), 'node groups\' maxSize adds up to 103 nodes per region, above the specification\'s 100 for production; lower maxSize of a group');
      expect(environmentProblems({ ...staging, nodeGroups: staging.nodeGroups.map((g) => ({ ...g, minSize: 1, desiredSize: 1 })) })).toEqual([]);
    });

    test('a spot group with one instance type, a spot consensus group, and an unknown capacity type', () => {
      const general = production.nodeGroups.find((g) => g.name === 'general');
      if (!general) throw new Error('production has no general group');
      expectRejected(withChanges({ nodeGroups: production.nodeGroups.map((g) => (g === general ? { ...g, instanceTypes: ['m7i.2xlarge'], capacityType: 'SPOT' as const } : g)) }),
        'node group general is a spot group with 1 instance type(s) (m7i.2xlarge); list at least two of the same size (e.g. m7i.large and m6i.large), or the group stops scaling whenever its one type has no spot capacity');
      expectRejected(withChanges({ nodeGroups: production.nodeGroups.map((g) => (g.name === 'consensus' ? { ...g, instanceTypes: ['i4i.xlarge', 'i4i.2xlarge'], capacityType: 'SPOT' as const } : g)) }),
        'node group consensus is a spot group, so an interruption can take a consensus member with two minutes\' notice; use \'ON_DEMAND\' for the consensus nodes');
      expectRejected(withChanges({ nodeGroups: production.nodeGroups.map((g) => (g === general ? { ...g, capacityType: 'spot' as 'SPOT' } : g)) }),
        'node group general capacityType ("spot") is not an EKS capacity type; use \'ON_DEMAND\' or \'SPOT\'');
    });

    test('the error lists every problem at once', () => {
      const env = withChanges({ regions: [] , api: { ...production.api, replicas: { min: 50, max: 40 } } });
      expect(() => validateEnvironment(env)).toThrow(/regions is empty[\s\S]*min \(50\) is above max \(40\)/);
    });
  });
});
