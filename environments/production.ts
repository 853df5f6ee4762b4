import { EXAMPLE_ACCOUNT_ID, IMAGES, nodeGroups, platformAddons, networkAgent, sameQuota, PRODUCTION_QUOTA, PRODUCTION_SIZES } from './common';
import { EnvironmentSpec } from './schema';

/**
 * Production: three regions weighted 3:2:1, 45 API pods in total, five consensus members per region (seven in
 * the primary), hourly, daily and cross-region backups, hourly consensus snapshots to S3, a monthly restore drill
 * per cluster and a daily check of the newest backups.
 */
export const production: EnvironmentSpec = {
  name: 'production',
  production: true,
  kubernetesVersion: '1.36',
  domain: 'fleetcraft.example.com',
  regions: [
    { name: 'us-east-1', clusterName: 'prod-use1', weight: 3, primary: true, vpcCidr: '10.10.0.0/16' },
    { name: 'eu-west-1', clusterName: 'prod-euw1', weight: 2, vpcCidr: '10.11.0.0/16' },
    { name: 'ap-southeast-1', clusterName: 'prod-apse1', weight: 1, vpcCidr: '10.12.0.0/16' },
  ],
  nodeGroups: nodeGroups('large'),
  quotas: sameQuota(PRODUCTION_QUOTA),
  api: { image: IMAGES.api, totalReplicas: 45, replicas: { min: 18, max: 300 }, resources: PRODUCTION_SIZES.api, scrapeIntervalSeconds: 10 },
  consensus: { image: IMAGES.etcd, replicas: 5, primaryReplicas: 7, storageGiB: 100, resources: PRODUCTION_SIZES.consensus },
  networkAgent: networkAgent(PRODUCTION_SIZES.networkAgent),
  backup: { hourly: true, daily: true, crossRegion: true, consensusSnapshots: true, restoreDrills: true },
  features: { vpa: true, serviceMonitor: true, ingress: true, mesh: true },
  gitRepoUrl: 'https://github.com/fleetcraft/gitops.git',
  awsAccountId: EXAMPLE_ACCOUNT_ID,
  addons: platformAddons('full', { mesh: true }),
  // The year-end freeze: from December 20th, 00:00 UTC, for two weeks nothing syncs, not even by hand.
  syncWindows: [
    { kind: 'deny', schedule: '0 0 20 12 *', duration: '336h', applications: ['*'], manualSync: false, description: 'year-end freeze (December 20th to January 3rd)' },
  ],
};
