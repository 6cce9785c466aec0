/** Whether the hub's broker link is up, whichever broker it uses. */
export const BROKER_STATUS = Symbol('BROKER_STATUS');
export type BrokerStatus = () => boolean;
