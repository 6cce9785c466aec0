import { NOMINAL_INTERVAL_S } from '@tidewatch/contracts';
import { bump, clamp } from '../clock.js';
import type { Random } from '../random.js';
import { round, type DeviceModel, type ModelEnv, type SimEvent, type SimSite } from './model.js';

/** Pumps start one by one as the wet well fills and all stop at the stop level. */
const STOP_LEVEL_M = 1.0;
const FIRST_START_M = 1.8;
const START_STEP_M = 0.35;
/** Static head the pumps lift against, m, and wire-to-water efficiency. */
const HEAD_M = 14;
const EFFICIENCY = 0.68;

/**
 * A sewage (or reclaimed-water) pump station: the wet-well level integrates inflow minus
 * pumped outflow; duty pumps start on rising levels and stop at the stop level; one pump
 * is standby. Dry-weather inflow peaks in the morning and evening; rain adds storm inflow
 * after a lag. The reclaimed-water station follows its users' daytime demand instead.
 */
export class PumpStation implements DeviceModel {
  private readonly pumps: number;
  private readonly design: number;
  private readonly highLevel: number;
  private readonly overflowLevel: number;
  /** Wet-well plan area, m²: the design inflow fills it 6 m an hour with no pump running. */
  private readonly area: number;
  private readonly pumpCapacity: number;
  private readonly reclaimed: boolean;
  private level = 1.4;
  private running = 0;
  private inflow = 0;
  private outflow = 0;
  private stormInflow = 0;
  private failed = 0;
  private readonly events: SimEvent[] = [];

  constructor(readonly site: SimSite, private readonly rnd: Random) {
    const p = site.params ?? {};
    this.pumps = Math.max(2, Number(p.pumps ?? 2));
    this.design = Number(p.design_flow_m3h ?? 600);
    this.highLevel = Number(p.high_level_m ?? 3);
    this.overflowLevel = Number(p.overflow_level_m ?? 4);
    this.reclaimed = p.reclaimed_water === true;
    this.area = this.design / 6;
    // Duty pumps together move 1.6 × the design flow; one more pump stands by.
    this.pumpCapacity = (1.6 * this.design) / (this.pumps - 1);
    this.level = this.rnd.between(STOP_LEVEL_M + 0.1, FIRST_START_M - 0.1);
  }

  /** Dry-weather inflow as a share of the design flow. */
  private dryShare(ms: number): number {
    if (this.reclaimed) return 0.5; // treated effluent arrives steadily from the plant
    return 0.32 + 0.3 * bump(ms, 8.5, 1.8) + 0.26 * bump(ms, 20, 2.2) - 0.12 * bump(ms, 4, 2);
  }

  advance(ms: number, dtS: number, env: ModelEnv): void {
    // Storm inflow follows the rain with a lag of about half an hour (catchment response).
    const target = this.reclaimed ? 0 : this.design * 0.11 * env.weather.rainMmH;
    this.stormInflow += (target - this.stormInflow) * (1 - Math.exp(-dtS / 1800));
    this.inflow = Math.max(0, this.design * this.dryShare(ms) * (1 + this.rnd.gauss() * 0.02) + this.stormInflow);
    if (this.reclaimed) {
      // The plant's supply valve throttles as the well fills, so the well never overflows.
      this.inflow *= clamp((this.highLevel - 0.6 - this.level) / 0.8, 0, 1);
    }

    const failedNow = Math.min(this.pumps, env.effects.pumpsFailed.get(this.site.id) ?? 0);
    for (let pump = this.failed + 1; pump <= failedNow; pump++) {
      this.events.push({ ts: ms, type: 'pump_fault', data: { pump, code: pump === 1 ? 'E21-overcurrent' : 'E07-no-start' } });
    }
    for (let pump = this.failed; pump > failedNow; pump--) this.events.push({ ts: ms, type: 'pump_recovered', data: { pump } });
    this.failed = failedNow;
    const available = this.pumps - this.failed;

    if (this.reclaimed) {
      // Demand-driven: users draw most in working hours; the well buffers the difference.
      const demand = this.design * (0.25 + 0.55 * bump(ms, 13, 3.5));
      const want = this.level > STOP_LEVEL_M ? Math.ceil(demand / this.pumpCapacity) : 0;
      this.running = Math.min(available, want);
      this.outflow = Math.min(demand, this.running * this.pumpCapacity);
    } else {
      let want = this.running;
      if (this.level <= STOP_LEVEL_M) want = 0;
      else {
        const byLevel = Math.floor((this.level - FIRST_START_M) / START_STEP_M) + 1;
        want = Math.max(want, clamp(byLevel, 0, this.pumps - 1 + (this.level >= this.highLevel ? 1 : 0)));
      }
      this.running = Math.min(available, want);
      this.outflow = this.running * this.pumpCapacity;
    }
    const dLevel = ((this.inflow - this.outflow) / this.area) * (dtS / 3600);
    // Above the overflow level the excess spills to the outfall.
    this.level = clamp(this.level + dLevel, 0.3, this.overflowLevel + 0.05);
  }

  read(_ms: number, env: ModelEnv): Record<string, number> {
    const kwPerPump = (this.pumpCapacity / 3600) * 9.81 * HEAD_M / EFFICIENCY;
    const h2s = (0.4 + 0.12 * Math.max(0, env.weather.tempC)) * (this.reclaimed ? 0.1 : 1) * (1 + 0.3 * (this.level / this.overflowLevel));
    return {
      wet_well_level_m: round(this.level + this.rnd.gauss() * 0.005, 3),
      inflow_m3h: round(this.inflow, 1),
      outflow_m3h: round(this.outflow * (1 + this.rnd.gauss() * 0.01), 1),
      pumps_running: this.running,
      pump_fault: this.failed > 0 ? 1 : 0,
      power_kw: round(this.running * kwPerPump * (1 + this.rnd.gauss() * 0.02) + 1.5, 1),
      h2s_ppm: round(clamp(h2s * (1 + this.rnd.gauss() * 0.1), 0, 400), 2),
    };
  }

  drainEvents(): SimEvent[] {
    return this.events.splice(0);
  }

  reportIntervalS(): number {
    return NOMINAL_INTERVAL_S.pump_station;
  }
}
