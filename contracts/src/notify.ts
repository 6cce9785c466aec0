/** The duty-room notification channels (docs/contract.md §4.6). */
export const NOTIFY_CHANNELS = ['wecom', 'dingtalk', 'sms'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];
export const NOTIFY_OUTCOMES = ['pending', 'sent', 'failed', 'dropped'] as const;
export type NotifyOutcome = (typeof NOTIFY_OUTCOMES)[number];

/** One message to one robot or gateway: `GET /api/notifications`. Times are UTC ISO-8601. */
export interface NotificationDelivery {
  id: string;
  channel: NotifyChannel;
  /** The robot's or gateway's URL with its key or token masked (`key=abcd***`). */
  target: string;
  alert_id: number;
  event: string;
  attempts: number;
  outcome: NotifyOutcome;
  last_error: string | null;
  http_status: number | null;
  /** The robot's errcode when it answered one (0: taken). */
  errcode: number | null;
  created_at: string;
  last_attempt_at: string | null;
  sent_at: string | null;
}
