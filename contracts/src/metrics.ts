/**
 * The metric catalogue (docs/contract.md §1): every kind of site, its metrics, their units and
 * accepted physical ranges. A value outside its range is rejected, never stored.
 *
 * Metric ids are stored in the database as small integers: they are stable forever.
 * Add new metrics with new ids; never renumber.
 */

export const SITE_KINDS = [
  'air',
  'pump_station',
  'wwtp',
  'river',
  'seawater',
  'gas_point',
  'fishing_port',
  'ebike_charging',
] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

export interface MetricDef {
  /** Stable numeric id used in storage. */
  id: number;
  kind: SiteKind;
  name: string;
  unit: string;
  min: number;
  max: number;
  /** true for 0/1 flags: only 0 and 1 are accepted. */
  flag?: boolean;
  /** true for counts: only whole numbers are accepted. */
  integer?: boolean;
  label: { zh: string; en: string };
}

type Def = Omit<MetricDef, 'kind'>;

const air: Def[] = [
  { id: 1, name: 'pm25', unit: 'µg/m³', min: 0, max: 1500, label: { zh: 'PM2.5', en: 'PM2.5' } },
  { id: 2, name: 'pm10', unit: 'µg/m³', min: 0, max: 3000, label: { zh: 'PM10', en: 'PM10' } },
  { id: 3, name: 'so2', unit: 'µg/m³', min: 0, max: 5000, label: { zh: '二氧化硫', en: 'SO₂' } },
  { id: 4, name: 'no2', unit: 'µg/m³', min: 0, max: 5000, label: { zh: '二氧化氮', en: 'NO₂' } },
  { id: 5, name: 'co', unit: 'mg/m³', min: 0, max: 200, label: { zh: '一氧化碳', en: 'CO' } },
  { id: 6, name: 'o3', unit: 'µg/m³', min: 0, max: 2000, label: { zh: '臭氧', en: 'O₃' } },
  { id: 7, name: 'temp_c', unit: '°C', min: -50, max: 60, label: { zh: '气温', en: 'Temperature' } },
  { id: 8, name: 'humidity_pct', unit: '%', min: 0, max: 100, label: { zh: '相对湿度', en: 'Humidity' } },
  { id: 9, name: 'wind_speed_ms', unit: 'm/s', min: 0, max: 75, label: { zh: '风速', en: 'Wind speed' } },
  { id: 10, name: 'wind_dir_deg', unit: '°', min: 0, max: 360, label: { zh: '风向', en: 'Wind direction' } },
];

const pumpStation: Def[] = [
  { id: 20, name: 'wet_well_level_m', unit: 'm', min: 0, max: 30, label: { zh: '集水井液位', en: 'Wet-well level' } },
  { id: 21, name: 'inflow_m3h', unit: 'm³/h', min: 0, max: 50000, label: { zh: '进水流量', en: 'Inflow' } },
  { id: 22, name: 'outflow_m3h', unit: 'm³/h', min: 0, max: 50000, label: { zh: '出水流量', en: 'Outflow' } },
  { id: 23, name: 'pumps_running', unit: 'count', min: 0, max: 16, integer: true, label: { zh: '运行泵数', en: 'Pumps running' } },
  { id: 24, name: 'pump_fault', unit: '0/1', min: 0, max: 1, flag: true, label: { zh: '泵故障', en: 'Pump fault' } },
  { id: 25, name: 'power_kw', unit: 'kW', min: 0, max: 5000, label: { zh: '功率', en: 'Power' } },
  { id: 26, name: 'h2s_ppm', unit: 'ppm', min: 0, max: 500, label: { zh: '硫化氢', en: 'H₂S' } },
];

const wwtp: Def[] = [
  { id: 40, name: 'cod_mgl', unit: 'mg/L', min: 0, max: 10000, label: { zh: '化学需氧量', en: 'COD' } },
  { id: 41, name: 'nh3n_mgl', unit: 'mg/L', min: 0, max: 10000, label: { zh: '氨氮', en: 'NH₃-N' } },
  { id: 42, name: 'tn_mgl', unit: 'mg/L', min: 0, max: 10000, label: { zh: '总氮', en: 'TN' } },
  { id: 43, name: 'tp_mgl', unit: 'mg/L', min: 0, max: 10000, label: { zh: '总磷', en: 'TP' } },
  { id: 44, name: 'ss_mgl', unit: 'mg/L', min: 0, max: 10000, label: { zh: '悬浮物', en: 'SS' } },
  { id: 45, name: 'ph', unit: 'pH', min: 0, max: 14, label: { zh: 'pH', en: 'pH' } },
  { id: 46, name: 'flow_m3h', unit: 'm³/h', min: 0, max: 100000, label: { zh: '流量', en: 'Flow' } },
  { id: 47, name: 'water_temp_c', unit: '°C', min: -5, max: 60, label: { zh: '水温', en: 'Water temperature' } },
];

const river: Def[] = [
  { id: 60, name: 'do_mgl', unit: 'mg/L', min: 0, max: 30, label: { zh: '溶解氧', en: 'DO' } },
  { id: 61, name: 'codmn_mgl', unit: 'mg/L', min: 0, max: 500, label: { zh: '高锰酸盐指数', en: 'CODMn' } },
  { id: 62, name: 'cod_mgl', unit: 'mg/L', min: 0, max: 10000, label: { zh: '化学需氧量', en: 'COD' } },
  { id: 63, name: 'nh3n_mgl', unit: 'mg/L', min: 0, max: 500, label: { zh: '氨氮', en: 'NH₃-N' } },
  { id: 64, name: 'tp_mgl', unit: 'mg/L', min: 0, max: 100, label: { zh: '总磷', en: 'TP' } },
  { id: 65, name: 'ph', unit: 'pH', min: 0, max: 14, label: { zh: 'pH', en: 'pH' } },
  { id: 66, name: 'water_temp_c', unit: '°C', min: -5, max: 45, label: { zh: '水温', en: 'Water temperature' } },
];

const seawater: Def[] = [
  { id: 80, name: 'ph', unit: 'pH', min: 0, max: 14, label: { zh: 'pH', en: 'pH' } },
  { id: 81, name: 'do_mgl', unit: 'mg/L', min: 0, max: 30, label: { zh: '溶解氧', en: 'DO' } },
  { id: 82, name: 'cod_mgl', unit: 'mg/L', min: 0, max: 500, label: { zh: '化学需氧量', en: 'COD' } },
  { id: 83, name: 'din_mgl', unit: 'mg/L', min: 0, max: 100, label: { zh: '无机氮', en: 'Inorganic N' } },
  { id: 84, name: 'dip_mgl', unit: 'mg/L', min: 0, max: 10, label: { zh: '活性磷酸盐', en: 'Active phosphate' } },
  { id: 85, name: 'oil_mgl', unit: 'mg/L', min: 0, max: 100, label: { zh: '石油类', en: 'Petroleum' } },
  { id: 86, name: 'water_temp_c', unit: '°C', min: -5, max: 45, label: { zh: '水温', en: 'Water temperature' } },
  { id: 87, name: 'salinity_psu', unit: 'PSU', min: 0, max: 50, label: { zh: '盐度', en: 'Salinity' } },
  { id: 88, name: 'turbidity_ntu', unit: 'NTU', min: 0, max: 4000, label: { zh: '浊度', en: 'Turbidity' } },
];

const gasPoint: Def[] = [
  { id: 100, name: 'ch4_lel_pct', unit: '%LEL', min: 0, max: 100, label: { zh: '可燃气体浓度', en: 'Combustible gas' } },
  { id: 101, name: 'pressure_kpa', unit: 'kPa', min: 0, max: 4000, label: { zh: '管道压力', en: 'Pressure' } },
  { id: 102, name: 'co_ppm', unit: 'ppm', min: 0, max: 5000, label: { zh: '一氧化碳', en: 'CO' } },
  { id: 103, name: 'valve_open', unit: '0/1', min: 0, max: 1, flag: true, label: { zh: '阀门开启', en: 'Valve open' } },
];

const fishingPort: Def[] = [
  { id: 120, name: 'wind_level', unit: 'Beaufort', min: 0, max: 17, integer: true, label: { zh: '风力等级', en: 'Wind force' } },
  { id: 121, name: 'wave_height_m', unit: 'm', min: 0, max: 20, label: { zh: '浪高', en: 'Wave height' } },
  { id: 122, name: 'vessels_in_port', unit: 'count', min: 0, max: 5000, integer: true, label: { zh: '在港船只', en: 'Vessels in port' } },
  { id: 123, name: 'vessels_at_sea', unit: 'count', min: 0, max: 5000, integer: true, label: { zh: '出海船只', en: 'Vessels at sea' } },
];

const ebike: Def[] = [
  { id: 140, name: 'temp_c', unit: '°C', min: -50, max: 200, label: { zh: '温度', en: 'Temperature' } },
  { id: 141, name: 'smoke', unit: '0/1', min: 0, max: 1, flag: true, label: { zh: '烟雾', en: 'Smoke' } },
  { id: 142, name: 'current_a', unit: 'A', min: 0, max: 1000, label: { zh: '充电电流', en: 'Charging current' } },
];

function withKind(kind: SiteKind, defs: Def[]): MetricDef[] {
  return defs.map((d) => ({ ...d, kind }));
}

export const METRICS: readonly MetricDef[] = [
  ...withKind('air', air),
  ...withKind('pump_station', pumpStation),
  ...withKind('wwtp', wwtp),
  ...withKind('river', river),
  ...withKind('seawater', seawater),
  ...withKind('gas_point', gasPoint),
  ...withKind('fishing_port', fishingPort),
  ...withKind('ebike_charging', ebike),
];

const byKind = new Map<SiteKind, Map<string, MetricDef>>();
const byId = new Map<number, MetricDef>();
for (const m of METRICS) {
  if (byId.has(m.id)) throw new Error(`duplicate metric id ${m.id}`);
  byId.set(m.id, m);
  let forKind = byKind.get(m.kind);
  if (!forKind) byKind.set(m.kind, (forKind = new Map()));
  forKind.set(m.name, m);
}

/** The metric `name` of a site of `kind`, or undefined when the kind has no such metric. */
export function metricFor(kind: SiteKind, name: string): MetricDef | undefined {
  return byKind.get(kind)?.get(name);
}

export function metricById(id: number): MetricDef | undefined {
  return byId.get(id);
}

export function metricsOfKind(kind: SiteKind): MetricDef[] {
  return [...(byKind.get(kind)?.values() ?? [])];
}

export function isSiteKind(value: string): value is SiteKind {
  return (SITE_KINDS as readonly string[]).includes(value);
}

/** Why a value is not acceptable for a metric, or null when it is. */
export function checkMetricValue(def: MetricDef, value: unknown): 'wrong_type' | 'nan' | 'out_of_range' | null {
  if (typeof value !== 'number') return 'wrong_type';
  if (!Number.isFinite(value)) return 'nan';
  if (value < def.min || value > def.max) return 'out_of_range';
  if (def.flag && value !== 0 && value !== 1) return 'out_of_range';
  if (def.integer && !Number.isInteger(value)) return 'wrong_type';
  return null;
}

/** Nominal reporting interval of a kind's devices, in seconds (used for coverage and silence). */
export const NOMINAL_INTERVAL_S: Record<SiteKind, number> = {
  air: 60,
  pump_station: 30,
  wwtp: 60,
  river: 300,
  seawater: 300,
  gas_point: 30,
  fishing_port: 60,
  ebike_charging: 30,
};
