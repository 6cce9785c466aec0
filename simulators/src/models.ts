import { metricFor, type SiteKind } from '@tidewatch/contracts';
import type { Random } from './random.js';

export interface SimSite {
  id: string;
  kind: SiteKind;
  params?: Record<string, unknown>;
}

/** Hour of day in the district (UTC+8), fractional. */
export function districtHour(ms: number): number {
  return (((ms / 3_600_000 + 8) % 24) + 24) % 24;
}

/** A smooth daily cycle peaking at `peakHour`, from −1 to 1. */
function daily(ms: number, peakHour: number): number {
  return Math.cos(((districtHour(ms) - peakHour) / 24) * 2 * Math.PI);
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Keeps a value inside the metric's accepted range so the hub never rejects a normal reading. */
function clampTo(kind: SiteKind, name: string, v: number): number {
  const def = metricFor(kind, name);
  return def ? Math.min(def.max, Math.max(def.min, v)) : v;
}

type Values = Record<string, number>;

/**
 * Plausible values per kind of site for the normal state: daily rhythms plus noise.
 * (Weather, scenarios, faults and device habits are the simulators issue.)
 */
export function normalValues(site: SimSite, ms: number, rnd: Random): Values {
  const n = (sd: number): number => rnd.gauss() * sd;
  let v: Values;
  switch (site.kind) {
    case 'air': {
      const traffic = Math.max(daily(ms, 8), daily(ms, 18));
      const inversion = daily(ms, 4);
      v = {
        pm25: 30 + 12 * inversion + n(4),
        pm10: 55 + 18 * inversion + n(6),
        so2: 8 + 2 * inversion + n(1),
        no2: 28 + 14 * traffic + n(3),
        co: 0.6 + 0.25 * traffic + n(0.05),
        o3: 70 + 45 * daily(ms, 15) + n(6),
        temp_c: 8 + 5 * daily(ms, 14) + n(0.3),
        humidity_pct: 60 - 12 * daily(ms, 14) + n(2),
        wind_speed_ms: 3.5 + 1.5 * daily(ms, 14) + n(0.5),
        wind_dir_deg: (((330 + n(20)) % 360) + 360) % 360,
      };
      break;
    }
    case 'pump_station': {
      const design = Number(site.params?.design_flow_m3h ?? 600);
      const pumps = Number(site.params?.pumps ?? 2);
      const demand = 0.55 + 0.2 * Math.max(daily(ms, 8), daily(ms, 20)) + n(0.03);
      const running = Math.max(1, Math.min(pumps, Math.round(demand * pumps)));
      v = {
        wet_well_level_m: 1.6 + 0.6 * demand + n(0.05),
        inflow_m3h: design * demand,
        outflow_m3h: design * demand * (0.98 + n(0.01)),
        pumps_running: running,
        pump_fault: 0,
        power_kw: running * 22 + n(1),
        h2s_ppm: 0.8 + n(0.2),
      };
      break;
    }
    case 'wwtp':
      v = {
        cod_mgl: 28 + n(3),
        nh3n_mgl: 1.2 + n(0.2),
        tn_mgl: 9 + n(0.8),
        tp_mgl: 0.25 + n(0.03),
        ss_mgl: 5 + n(0.6),
        ph: 7.2 + n(0.08),
        flow_m3h: 2500 * (0.85 + 0.2 * daily(ms, 11)) + n(30),
        water_temp_c: 14 + n(0.2),
      };
      break;
    case 'river':
      v = {
        do_mgl: 7 + 0.8 * daily(ms, 15) + n(0.1),
        codmn_mgl: 4.2 + n(0.2),
        cod_mgl: 16 + n(0.8),
        nh3n_mgl: 0.6 + n(0.05),
        tp_mgl: 0.12 + n(0.01),
        ph: 7.6 + n(0.05),
        water_temp_c: 9 + 1.5 * daily(ms, 15) + n(0.1),
      };
      break;
    case 'seawater': {
      const tide = Math.sin((ms / 3_600_000 / 12.42) * 2 * Math.PI);
      v = {
        ph: 8.1 + n(0.03),
        do_mgl: 7.2 + n(0.15),
        cod_mgl: 1.4 + 0.2 * tide + n(0.05),
        din_mgl: 0.15 + 0.03 * tide + n(0.01),
        dip_mgl: 0.012 + n(0.001),
        oil_mgl: 0.02 + n(0.003),
        water_temp_c: 11 + n(0.1),
        salinity_psu: 31 + 0.5 * tide + n(0.05),
        turbidity_ntu: 4 + n(0.5),
      };
      break;
    }
    case 'gas_point': {
      const band = (site.params?.pressure_band_kpa as [number, number] | undefined) ?? [200, 400];
      v = {
        ch4_lel_pct: Math.abs(n(0.2)),
        pressure_kpa: (band[0] + band[1]) / 2 + n((band[1] - band[0]) * 0.02),
        co_ppm: Math.abs(n(1)),
        valve_open: 1,
      };
      break;
    }
    case 'fishing_port': {
      const registered = Number(site.params?.registered_vessels ?? 50);
      const h = districtHour(ms);
      const atSeaShare = h >= 5 && h < 16 ? 0.6 : 0.05;
      const atSea = Math.round(registered * atSeaShare);
      v = {
        wind_level: Math.max(0, Math.min(5, Math.round(3 + 1.5 * daily(ms, 14) + n(0.5)))),
        wave_height_m: 0.6 + 0.3 * daily(ms, 14) + n(0.05),
        vessels_in_port: registered - atSea,
        vessels_at_sea: atSea,
      };
      break;
    }
    case 'ebike_charging': {
      const charging = Math.max(0, 0.3 + 0.7 * daily(ms, 21));
      v = { temp_c: 12 + 10 * charging + n(0.5), smoke: 0, current_a: 60 * charging + n(1) };
      break;
    }
  }
  const out: Values = {};
  for (const [name, value] of Object.entries(v)) {
    const def = metricFor(site.kind, name);
    const digits = def?.integer || def?.flag ? 0 : 3;
    out[name] = round(clampTo(site.kind, name, value), digits);
  }
  return out;
}
