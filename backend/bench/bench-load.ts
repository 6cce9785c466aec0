/**
 * The benchmark's device traffic: air-station telemetry (ten values a message) from the
 * seeded air sites, published with QoS 1 by a few MQTT clients, as fast as the hub takes
 * it or at a fixed rate, with at most a bounded number of messages not yet stored.
 */
import { siteTopic } from '@tidewatch/contracts';
import type { MqttClient } from 'mqtt';

export const AIR = ['air-lingshui', 'air-qixianling', 'air-hekou', 'air-xiaopingdao', 'air-caidaling', 'air-huangnichuan', 'air-yingeshi', 'air-longwangtang'];
export const READINGS_PER_MESSAGE = 10;
/** Time between two messages of one site: 4 a second, so a long run stays inside the last days. */
const SITE_STEP_MS = 250;

function airValues(i: number): Record<string, number> {
  return { pm25: 20 + (i % 50), pm10: 40 + (i % 70), so2: 5 + (i % 9), no2: 20 + (i % 30), co: 0.5 + (i % 10) / 10, o3: 60 + (i % 80), temp_c: 5 + (i % 10), humidity_pct: 50 + (i % 30), wind_speed_ms: 2 + (i % 5), wind_dir_deg: i % 360 };
}

/**
 * Message `i` of the run, the same every time it is asked for (redeliveries repeat it).
 * Times start six days back (inside TimescaleDB's 7-day compression horizon, so no chunk is
 * compressed under the run) and advance SITE_STEP_MS per message of a site.
 */
export class AirTraffic {
  readonly baseMs = Date.now() - 6 * 86_400_000;
  /** Messages handed out so far: each phase takes fresh ones, so phases never collide. */
  private taken = 0;

  takeOne(): number {
    const i = this.taken++;
    if (this.timeMs(i) > Date.now()) throw new Error('the run is too long for the benchmark’s time range');
    return i;
  }

  timeMs(i: number): number {
    return this.baseMs + Math.floor(i / AIR.length) * SITE_STEP_MS;
  }

  site(i: number): string {
    return AIR[i % AIR.length]!;
  }

  message(i: number): [string, string] {
    return [siteTopic(this.site(i), 'telemetry'), JSON.stringify({ ts: this.timeMs(i), values: airValues(i) })];
  }

  /** The reading rows message `i` stores, as (site id, metric name, time, value). */
  rows(i: number): [string, string, number, number][] {
    return Object.entries(airValues(i)).map(([metric, value]) => [this.site(i), metric, this.timeMs(i), value]);
  }
}

export interface PublishPlan {
  /** Stop after this many messages… */
  messages?: number;
  /** …or at this moment (performance.now()). */
  untilMs?: number;
  /** Messages a second across all clients; absent: as fast as the window allows. */
  ratePerS?: number;
}

/**
 * Publishes with `window` unacknowledged messages per client. `room()` resolves when fewer
 * than the allowed number of messages are published and not yet stored (an external broker
 * acknowledges on receipt and drops what overflows the hub's session queue).
 */
export class Publisher {
  published = 0;
  private stopped = false;

  constructor(
    private readonly clients: MqttClient[],
    private readonly traffic: AirTraffic,
    private readonly window: number,
    private readonly room: () => Promise<void>,
  ) {}

  /** Publishes fresh messages per the plan; resolves with the range published once all are acknowledged. */
  async run(plan: PublishPlan): Promise<{ from: number; to: number }> {
    this.stopped = false;
    const started = performance.now();
    let sent = 0;
    let from = -1;
    let to = -1;
    const more = (): boolean => !this.stopped && (plan.messages === undefined || sent < plan.messages) && (plan.untilMs === undefined || performance.now() < plan.untilMs);
    const worker = async (client: MqttClient): Promise<void> => {
      while (more()) {
        if (plan.ratePerS) {
          const due = started + (sent / plan.ratePerS) * 1000;
          const wait = due - performance.now();
          if (wait > 1) {
            await new Promise((resolve) => setTimeout(resolve, wait));
            continue;
          }
        }
        await this.room();
        if (!more()) return;
        sent++;
        const i = this.traffic.takeOne();
        if (from < 0) from = i;
        to = i + 1;
        const [topic, payload] = this.traffic.message(i);
        this.published++;
        await client.publishAsync(topic, payload, { qos: 1 });
      }
    };
    await Promise.all(this.clients.flatMap((c) => Array.from({ length: this.window }, () => worker(c))));
    return { from: Math.max(0, from), to: Math.max(0, to) };
  }

  /** Ends the running plan: no further message is published. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Publishes messages `from`..`to` again (a device resending what it was not sure of). They
   * store nothing, so they are not counted against the room for unstored messages.
   */
  async republish(from: number, to: number): Promise<void> {
    let next = from;
    const worker = async (client: MqttClient): Promise<void> => {
      while (next < to) {
        const [topic, payload] = this.traffic.message(next++);
        await client.publishAsync(topic, payload, { qos: 1 });
      }
    };
    await Promise.all(this.clients.flatMap((c) => Array.from({ length: this.window }, () => worker(c))));
  }
}
