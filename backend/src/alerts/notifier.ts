import { createHmac, randomUUID } from 'node:crypto';
import type { Logger } from '../logging/logger.js';
import type { AlertRecord } from './alerts.repository.js';

const MAX_ATTEMPTS = 6;
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 60_000;
const TIMEOUT_MS = 5000;
const QUEUE_MAX = 10_000;

interface Delivery {
  id: string;
  url: string;
  body: string;
  event: string;
  attempt: number;
}

/** HMAC-SHA256 of the body with the shared secret, as `sha256=<hex>`. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Sends every alert change to the configured webhooks as signed JSON
 * (`X-Tidewatch-Signature: sha256=<hmac>`), retrying with exponential back-off; a bounded
 * queue, so an endpoint that is down cannot grow memory without end.
 */
export class WebhookNotifier {
  private pending = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly urls: readonly string[],
    private readonly secret: string,
    private readonly log: Logger,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  notify(event: string, alert: AlertRecord): void {
    if (this.urls.length === 0) return;
    const body = JSON.stringify({ event, at: new Date().toISOString(), alert });
    for (const url of this.urls) {
      if (this.pending >= QUEUE_MAX) {
        this.log.error({ url, event, alert: alert.id }, 'webhook queue full; delivery dropped');
        continue;
      }
      this.pending++;
      void this.deliver({ id: randomUUID(), url, body, event, attempt: 1 });
    }
  }

  private async deliver(d: Delivery): Promise<void> {
    try {
      const res = await this.fetchImpl(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-tidewatch-event': d.event,
          'x-tidewatch-delivery': d.id,
          'x-tidewatch-signature': signBody(d.body, this.secret),
        },
        body: d.body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (res.ok) {
        this.pending--;
        return;
      }
      throw new Error(`HTTP ${res.status}`);
    } catch (err) {
      if (d.attempt >= MAX_ATTEMPTS) {
        this.pending--;
        this.log.error({ url: d.url, delivery: d.id, err: String(err) }, 'webhook delivery failed for good');
        return;
      }
      const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (d.attempt - 1));
      this.log.warn({ url: d.url, delivery: d.id, attempt: d.attempt, delay, err: String(err) }, 'webhook delivery failed; retrying');
      const t = setTimeout(() => {
        this.timers.delete(t);
        void this.deliver({ ...d, attempt: d.attempt + 1 });
      }, delay);
      t.unref();
      this.timers.add(t);
    }
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
