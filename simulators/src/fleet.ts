import { metricsOfKind, NOMINAL_INTERVAL_S } from '@tidewatch/contracts';
import { SimDevice } from './device.js';
import { District, streamSeed, type Report } from './district.js';
import { FaultInjector } from './faults.js';
import type { SimSite } from './models/model.js';
import { Random } from './random.js';
import type { ScenarioName } from './scenarios.js';

export interface FleetOptions {
  url: string;
  sites: SimSite[];
  seed?: number;
  scenario?: ScenarioName;
  /** Total readings per second across the sites (load); unset: the devices' own cadence. */
  rate?: number;
  /** Per-site passwords when the broker asks for credentials (username = site id). */
  passwords?: Record<string, string>;
  log?: (msg: string) => void;
}

export interface Fleet {
  readonly district: District;
  readonly devices: ReadonlyMap<string, SimDevice>;
  stop(): Promise<void>;
}

/** Readings per second the sites produce at their nominal cadence. */
export function naturalRate(sites: SimSite[]): number {
  return sites.reduce((sum, s) => sum + metricsOfKind(s.kind).length / NOMINAL_INTERVAL_S[s.kind], 0);
}

/** Turns a due report into what the device sends (through the fault injector in sensor-faults). */
export function outgoingFor(report: Report, faults: FaultInjector | null): { payload: string; reading?: { ts: number; values: Record<string, number> } }[] {
  const reading = { ts: report.ts, values: report.values };
  if (!faults) return [{ payload: JSON.stringify(reading), reading }];
  return faults.transform(report).map((o) => ({ payload: o.payload, reading: o.fault === undefined ? reading : undefined }));
}

/** Runs every site as a live device in real time until stopped. */
export function startFleet(opts: FleetOptions): Fleet {
  const seed = opts.seed ?? 1;
  const scale = opts.rate ? Math.max(1, opts.rate / naturalRate(opts.sites)) : 1;
  const district = new District(opts.sites, seed, Date.now(), opts.scenario ?? 'normal', scale);
  const devices = new Map(opts.sites.map((s) => [s.id, new SimDevice(s, { url: opts.url, password: opts.passwords?.[s.id], log: opts.log })]));
  const faults = district.scenario.sensorFaults ? new FaultInjector(new Random(streamSeed(seed, 'faults'))) : null;
  const tick = (): void => {
    const { events, reports } = district.advance(Date.now());
    for (const { site, event } of events) devices.get(site.id)?.sendEvent(event);
    for (const report of reports) {
      const device = devices.get(report.site.id);
      for (const o of outgoingFor(report, faults)) device?.sendTelemetry(o.payload, o.reading);
    }
  };
  tick();
  const timer = setInterval(tick, scale > 50 ? 100 : 1000);
  return {
    district,
    devices,
    async stop() {
      clearInterval(timer);
      await Promise.all([...devices.values()].map((d) => d.stop()));
    },
  };
}
