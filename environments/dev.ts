import { EXAMPLE_ACCOUNT_ID, IMAGES, nodeGroups, platformAddons, networkAgent, sameQuota } from './common';
import { EnvironmentSpec } from './schema';

/** Development: one small cluster, single-member consensus, automated sync. */
export const dev: EnvironmentSpec = {
  name: 'dev',
  production: false,
  kubernetesVersion: '1.36',
  domain: 'dev.fleetcraft.example.com',
  regions: [{ name: 'us-east-1', clusterName: 'dev-use1', weight: 1, primary: true, vpcCidr: '10.30.0.0/16' }],
  nodeGroups: nodeGroups('small'),
  // Smaller than production, stated here: the dev cluster's nodes are m7i.large (2 vCPU, 8 GiB).
  quotas: sameQuota({ cpu: 8, memoryGiB: 16, limitsMemoryGiB: 32, pods: 50, persistentVolumeClaims: 10, storageGiB: 256 }),
  api: { image: IMAGES.api, totalReplicas: 2, replicas: { min: 2, max: 6 }, resources: { cpuRequestMillis: 250, memoryRequestMiB: 256, memoryLimitMiB: 512 } },
  consensus: { image: IMAGES.etcd, replicas: 1, storageGiB: 32, resources: { cpuRequestMillis: 250, memoryRequestMiB: 512, cpuLimitMillis: 1000, memoryLimitMiB: 1024 } },
  networkAgent: networkAgent({ cpuRequestMillis: 100, memoryRequestMiB: 128, cpuLimitMillis: 500, memoryLimitMiB: 512 }),
  backup: { hourly: false, daily: true, crossRegion: false },
  features: { vpa: true, serviceMonitor: true, ingress: true },
  gitRepoUrl: 'https://github.com/fleetcraft/gitops.git',
  awsAccountId: EXAMPLE_ACCOUNT_ID,
  addons: platformAddons('light'),
};
