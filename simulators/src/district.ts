import { AirStation, RegionalAir } from './models/air.js';
import { EbikeShed, GasPoint } from './models/gas.js';
import type { DeviceModel, ModelEnv, SimEvent, SimSite } from './models/model.js';
import { FishingPort } from './models/port.js';
import { PumpStation } from './models/pump.js';
import { RiverSection, SeaBuoy, WastewaterPlant } from './models/water.js';
import { Random } from './random.js';
import { scenario as scenarioOf, type Scenario, type ScenarioName } from './scenarios.js';
import { Weather } from './weather.js';

/** Physics advances in steps of at most this long. */
export const STEP_S = 5;

/** A seeded stream per purpose, so adding a site does not change the others' values. */
export function streamSeed(seed: number, key: string): number {
  let h = 2166136261 ^ seed;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return h >>> 0;
}

export interface Report {
  site: SimSite;
  ts: number;
  values: Record<string, number>;
}

/**
 * The whole simulated district: one weather, one regional air mass, a model per site and
 * the active scenario. Deterministic for a seed and a sequence of `advance` times.
 */
export class District {
  readonly weather: Weather;
  readonly scenario: Scenario;
  private readonly region: RegionalAir;
  readonly models = new Map<string, DeviceModel>();
  private readonly nextReport = new Map<string, number>();
  private readonly rnd: Random;
  private lastMs: number;

  /**
   * `cadenceScale` > 1 makes every device report that many times more often (load tests).
   */
  constructor(
    sites: SimSite[],
    seed: number,
    private readonly startMs: number,
    scenarioName: ScenarioName = 'normal',
    private readonly cadenceScale = 1,
  ) {
    this.scenario = scenarioOf(scenarioName);
    this.rnd = new Random(streamSeed(seed, 'district'));
    this.weather = new Weather(new Random(streamSeed(seed, 'weather')), startMs);
    this.region = new RegionalAir(new Random(streamSeed(seed, 'region')), startMs);
    for (const site of sites) {
      const rnd = new Random(streamSeed(seed, site.id));
      this.models.set(site.id, createModel(site, rnd, this.region));
      // A device reports soon after it starts; devices are spread so they do not all report at once.
      const interval = this.models.get(site.id)!.reportIntervalS() / cadenceScale;
      this.nextReport.set(site.id, startMs + Math.floor(this.rnd.next() * Math.min(interval, 10) * 1000));
    }
    this.lastMs = startMs;
  }

  env(ms: number): ModelEnv {
    const elapsed = ms - this.startMs;
    return { weather: this.weather.current, effects: this.scenario.effects(elapsed) };
  }

  /** Advances everything to `ms`; returns the events emitted and the reports that fell due. */
  advance(ms: number): { events: { site: SimSite; event: SimEvent }[]; reports: Report[] } {
    const events: { site: SimSite; event: SimEvent }[] = [];
    const reports: Report[] = [];
    while (this.lastMs < ms) {
      const t = Math.min(ms, this.lastMs + STEP_S * 1000);
      const dtS = (t - this.lastMs) / 1000;
      this.weather.step(t, this.scenario.weather(t - this.startMs));
      this.region.advance(t);
      const env = this.env(t);
      for (const model of this.models.values()) {
        model.advance(t, dtS, env);
        for (const event of model.drainEvents()) events.push({ site: model.site, event });
        let due = this.nextReport.get(model.site.id)!;
        // A device reports at its own instants within the step (several per step when its
        // cadence is scaled up for load).
        const everyMs = Math.max(1, Math.round((model.reportIntervalS() * 1000) / this.cadenceScale));
        // A device that just went into alarm mode reports at its faster cadence at once.
        if (due > t + everyMs) due = t + everyMs;
        if (due <= t) {
          const values = model.read(t, env);
          for (due = Math.max(due, this.lastMs + 1); due <= t; due += everyMs) reports.push({ site: model.site, ts: due, values });
          this.nextReport.set(model.site.id, due);
        }
      }
      this.lastMs = t;
    }
    return { events, reports };
  }
}

export function createModel(site: SimSite, rnd: Random, region: RegionalAir): DeviceModel {
  switch (site.kind) {
    case 'air':
      return new AirStation(site, rnd, region);
    case 'pump_station':
      return new PumpStation(site, rnd);
    case 'wwtp':
      return new WastewaterPlant(site, rnd);
    case 'river':
      return new RiverSection(site, rnd);
    case 'seawater':
      return new SeaBuoy(site, rnd);
    case 'gas_point':
      return new GasPoint(site, rnd);
    case 'fishing_port':
      return new FishingPort(site, rnd);
    case 'ebike_charging':
      return new EbikeShed(site, rnd);
  }
}
