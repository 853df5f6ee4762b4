import { EXAMPLE_ACCOUNT_ID, IMAGES, nodeGroups, platformAddons, SEED_NETWORK_AGENT } from './common';
import { EnvironmentSpec } from './schema';

/** Development: one small cluster, single-member consensus, automated sync. */
export const dev: EnvironmentSpec = {
  name: 'dev',
  production: false,
  kubernetesVersion: '1.36',
  domain: 'dev.fleetcraft.example.com',
  regions: [{ name: 'us-east-1', clusterName: 'dev-use1', weight: 1, primary: true, vpcCidr: '10.30.0.0/16' }],
  nodeGroups: nodeGroups('small'),
  api: { image: IMAGES.api, totalReplicas: 2, replicas: { min: 2, max: 6 } },
  consensus: { image: IMAGES.etcd, replicas: 1, storageGiB: 32 },
  networkAgent: SEED_NETWORK_AGENT,
  backup: { hourly: false, daily: true, crossRegion: false },
  features: { vpa: true, serviceMonitor: true, ingress: true },
  gitRepoUrl: 'https://github.com/fleetcraft/gitops.git',
  awsAccountId: EXAMPLE_ACCOUNT_ID,
  addons: platformAddons('light'),
};
