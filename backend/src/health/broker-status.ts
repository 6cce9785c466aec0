/** Whether the hub's broker link is up, whichever broker it uses. */
export const BROKER_STATUS = Symbol('BROKER_STATUS');
export type BrokerStatus = () => boolean;

/** Whether a hub of a cluster reaches the cluster's Redis (null: a hub on its own, no Redis to reach). */
export const CLUSTER_STATUS = Symbol('CLUSTER_STATUS');
export type ClusterStatus = () => boolean | null;
