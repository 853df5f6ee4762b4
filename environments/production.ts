import { EXAMPLE_ACCOUNT_ID, IMAGES, nodeGroups, platformAddons, SEED_NETWORK_AGENT } from './common';
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
  api: { image: IMAGES.api, totalReplicas: 45, replicas: { min: 18, max: 300 } },
  consensus: { image: IMAGES.etcd, replicas: 5, primaryReplicas: 7, storageGiB: 100 },
  networkAgent: SEED_NETWORK_AGENT,
  backup: { hourly: true, daily: true, crossRegion: true, consensusSnapshots: true, restoreDrills: true },
  features: { vpa: true, serviceMonitor: true, ingress: true, mesh: true },
  gitRepoUrl: 'https://github.com/fleetcraft/gitops.git',
  awsAccountId: EXAMPLE_ACCOUNT_ID,
  addons: platformAddons('full', { mesh: true }),
};
