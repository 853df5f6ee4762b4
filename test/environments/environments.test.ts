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

    test('the error lists every problem at once', () => {
      const env = withChanges({ regions: [] , api: { ...production.api, replicas: { min: 50, max: 40 } } });
      expect(() => validateEnvironment(env)).toThrow(/regions is empty[\s\S]*min \(50\) is above max \(40\)/);
    });
  });
});
