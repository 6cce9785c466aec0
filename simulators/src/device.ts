import { MAX_BATCH_READINGS, MAX_PAYLOAD_BYTES, siteTopic } from '@tidewatch/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import type { SimEvent, SimSite } from './models/model.js';

/** Readings a device keeps while the broker is unreachable (older ones are dropped). */
const BUFFER_MAX = 10_000;
/** Leave room under the 64 KiB payload limit for the JSON around the readings. */
const BATCH_BYTES = MAX_PAYLOAD_BYTES - 2048;

export interface DeviceOptions {
  url: string;
  password?: string;
  log?: (msg: string) => void;
}

/** Splits readings into batch payloads of at most 1000 entries and under 64 KiB each. */
export function batchPayloads(readings: { ts: number; values: Record<string, number> }[]): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  let bytes = 20;
  for (const r of readings) {
    const entry = JSON.stringify(r);
    if (cur.length > 0 && (cur.length >= MAX_BATCH_READINGS || bytes + entry.length + 1 > BATCH_BYTES)) {
      out.push(`{"readings":[${cur.join(',')}]}`);
      cur = [];
      bytes = 20;
    }
    cur.push(entry);
    bytes += entry.length + 1;
  }
  if (cur.length > 0) out.push(`{"readings":[${cur.join(',')}]}`);
  return out;
}

/**
 * One simulated device's connection: QoS 1, a retained `online` status with an `offline`
 * last will, per-site credentials when given; while the broker is unreachable it buffers its
 * readings and sends them as batch payloads when it is back.
 */
export class SimDevice {
  readonly client: MqttClient;
  private buffer: { ts: number; values: Record<string, number> }[] = [];
  private readonly status: string;

  constructor(readonly site: SimSite, private readonly opts: DeviceOptions) {
    this.status = siteTopic(site.id, 'status');
    this.client = mqtt.connect(opts.url, {
      clientId: `sim-${site.id}`,
      username: opts.password ? site.id : undefined,
      password: opts.password,
      clean: true,
      reconnectPeriod: 2000,
      connectTimeout: 5000,
      // Readings are buffered by the device itself (below), not queued by the client.
      queueQoSZero: false,
      will: { topic: this.status, payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    this.client.on('connect', () => {
      this.client.publish(this.status, 'online', { qos: 1, retain: true });
      this.flushBuffer();
    });
    this.client.on('error', (err) => opts.log?.(`${site.id}: ${err.message}`));
  }

  get buffered(): number {
    return this.buffer.length;
  }

  /** Sends a raw telemetry payload now, or keeps its reading for later when offline. */
  sendTelemetry(payload: string, reading?: { ts: number; values: Record<string, number> }): void {
    if (!this.client.connected) {
      if (reading) {
        this.buffer.push(reading);
        if (this.buffer.length > BUFFER_MAX) this.buffer.shift();
      }
      return;
    }
    this.client.publish(siteTopic(this.site.id, 'telemetry'), payload, { qos: 1 });
  }

  sendEvent(event: SimEvent): void {
    // Events wait in the client's queue while offline: they are rare and must not be lost.
    this.client.publish(siteTopic(this.site.id, 'events'), JSON.stringify(event), { qos: 1 });
  }

  private flushBuffer(): void {
    if (this.buffer.length === 0) return;
    const readings = this.buffer;
    this.buffer = [];
    for (const payload of batchPayloads(readings)) this.client.publish(siteTopic(this.site.id, 'telemetry'), payload, { qos: 1 });
    this.opts.log?.(`${this.site.id}: sent ${readings.length} buffered readings`);
  }

  async stop(): Promise<void> {
    if (this.client.connected) await this.client.publishAsync(this.status, 'offline', { qos: 1, retain: true }).catch(() => undefined);
    await this.client.endAsync();
  }
}
