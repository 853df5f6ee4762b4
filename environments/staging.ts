import { EXAMPLE_ACCOUNT_ID, IMAGES, nodeGroups, platformAddons, networkAgent, sameQuota } from './common';
import { EnvironmentSpec } from './schema';

/** Staging: one production-like cluster with a three-member consensus set. */
export const staging: EnvironmentSpec = {
  name: 'staging',
  production: false,
  kubernetesVersion: '1.36',
  domain: 'staging.fleetcraft.example.com',
  regions: [{ name: 'us-east-1', clusterName: 'staging-use1', weight: 1, primary: true, vpcCidr: '10.20.0.0/16' }],
  // The stateless general group on spot instances (two types, so it scales when one type runs out).
  nodeGroups: nodeGroups('small', { generalCapacity: 'SPOT' }),
  // Smaller than production, stated here: the staging cluster's nodes are m7i.large / m6i.large (2 vCPU, 8 GiB).
  quotas: sameQuota({ cpu: 16, memoryGiB: 32, limitsMemoryGiB: 64, pods: 100, persistentVolumeClaims: 20, storageGiB: 512 }),
  api: { image: IMAGES.api, totalReplicas: 6, replicas: { min: 3, max: 20 }, resources: { cpuRequestMillis: 250, memoryRequestMiB: 512, memoryLimitMiB: 1024 } },
  consensus: { image: IMAGES.etcd, replicas: 3, storageGiB: 32, resources: { cpuRequestMillis: 500, memoryRequestMiB: 1024, cpuLimitMillis: 1000, memoryLimitMiB: 2048 } },
  networkAgent: networkAgent({ cpuRequestMillis: 250, memoryRequestMiB: 256, cpuLimitMillis: 1000, memoryLimitMiB: 1024 }),
  backup: { hourly: true, daily: true, crossRegion: false },
  features: { vpa: true, serviceMonitor: true, ingress: true },
  gitRepoUrl: 'https://github.com/fleetcraft/gitops.git',
  awsAccountId: EXAMPLE_ACCOUNT_ID,
  addons: platformAddons('full'),
};
