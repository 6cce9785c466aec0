import { NOMINAL_INTERVAL_S, siteTopic } from '@tidewatch/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { normalValues, type SimSite } from './models.js';
import { Random } from './random.js';

export interface FleetOptions {
  url: string;
  sites: SimSite[];
  seed?: number;
  /** Per-site credentials when the broker asks for them (username = site id). */
  passwords?: Record<string, string>;
  log?: (msg: string) => void;
}

export interface Fleet {
  stop(): Promise<void>;
}

/**
 * One simulated device per site: its own MQTT connection, a retained `online` status with
 * an `offline` last will, and QoS 1 telemetry at its kind's nominal interval (the first
 * right after connecting).
 */
export function startFleet(opts: FleetOptions): Fleet {
  const rnd = new Random(opts.seed ?? 1);
  const clients: MqttClient[] = [];
  const timers: NodeJS.Timeout[] = [];
  for (const site of opts.sites) {
    const status = siteTopic(site.id, 'status');
    const client = mqtt.connect(opts.url, {
      clientId: `sim-${site.id}`,
      username: opts.passwords?.[site.id] ? site.id : undefined,
      password: opts.passwords?.[site.id],
      clean: true,
      reconnectPeriod: 2000,
      will: { topic: status, payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    clients.push(client);
    const publish = (): void => {
      const payload = JSON.stringify({ ts: Date.now(), values: normalValues(site, Date.now(), rnd) });
      // While disconnected mqtt.js queues the message and sends it on reconnect.
      client.publish(siteTopic(site.id, 'telemetry'), payload, { qos: 1 });
    };
    client.on('connect', () => {
      client.publish(status, 'online', { qos: 1, retain: true });
      publish();
    });
    client.on('error', (err) => opts.log?.(`${site.id}: ${err.message}`));
    const every = NOMINAL_INTERVAL_S[site.kind] * 1000;
    // Spread the devices over the interval so they do not all report in the same instant.
    const offset = Math.floor(rnd.next() * every);
    const first = setTimeout(() => {
      publish();
      const t = setInterval(publish, every);
      timers.push(t);
    }, offset);
    timers.push(first);
  }
  return {
    async stop() {
      for (const t of timers) clearTimeout(t);
      await Promise.all(
        clients.map(async (c) => {
          if (c.connected) await c.publishAsync(siteTopic(c.options.clientId!.slice(4), 'status'), 'offline', { qos: 1, retain: true }).catch(() => undefined);
          await c.endAsync();
        }),
      );
    },
  };
}
