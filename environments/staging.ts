import { EXAMPLE_ACCOUNT_ID, IMAGES, nodeGroups, platformAddons, SEED_NETWORK_AGENT } from './common';
import { EnvironmentSpec } from './schema';

/** Staging: one production-like cluster with a three-member consensus set. */
export const staging: EnvironmentSpec = {
  name: 'staging',
  production: false,
  kubernetesVersion: '1.36',
  domain: 'staging.fleetcraft.example.com',
  regions: [{ name: 'us-east-1', clusterName: 'staging-use1', weight: 1, primary: true, vpcCidr: '10.20.0.0/16' }],
  nodeGroups: nodeGroups('small'),
  api: { image: IMAGES.api, totalReplicas: 6, replicas: { min: 3, max: 20 } },
  consensus: { image: IMAGES.etcd, replicas: 3, storageGiB: 32 },
  networkAgent: SEED_NETWORK_AGENT,
  backup: { hourly: true, daily: true, crossRegion: false },
  features: { vpa: true, serviceMonitor: true, ingress: true },
  gitRepoUrl: 'https://github.com/fleetcraft/gitops.git',
  awsAccountId: EXAMPLE_ACCOUNT_ID,
  addons: platformAddons('full'),
};
