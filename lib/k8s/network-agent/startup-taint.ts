/**
 * The taint nodes join the cluster with until their network agent is ready. Only `NetworkDaemonSet` tolerates it,
 * and its agent removes it from its own node once ready, so no other pod lands on a node whose network is not up.
 * The Pulumi node groups register nodes with this taint.
 */
export const NETWORK_NOT_READY_TAINT = {
  key: 'fleetcraft.io/network-not-ready',
  value: 'true',
  effect: 'NoSchedule',
} as const;
