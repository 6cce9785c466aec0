import { metricFor } from '@tidewatch/contracts';
import { addDays, datesFrom, dayStartMs } from '../common/district-time.js';
import type { RollupsRepository } from '../sites/rollups.repository.js';
import type { SiteMeta, SiteRegistry } from '../sites/site-registry.js';
import { aqiVersionFor } from '../standards/aqi.js';
import { dailyAqi, hourlyAqi, POLLUTANTS, type AqiResult, type DailyStats, type HourlyStats, type Pollutant } from '../standards/aqi-index.js';
import { districtStats, stationDailyStats, stationHourlyStats, validHourlyMeans, type HourRow, type StationHours } from './air-stats.js';

const HOUR = 3_600_000;
const POLLUTANT_BY_METRIC = new Map(POLLUTANTS.map((p) => [metricFor('air', p)!.id, p]));
const METRIC_IDS = [...POLLUTANT_BY_METRIC.keys()];

export interface StationAqi extends AqiResult {
  site: string;
  name_zh: string;
  name_en: string;
  concentrations: HourlyStats | DailyStats;
}

export interface LatestAqi {
  /** Start of the hour (UTC ISO) the AQI is for: the last complete hour. */
  hour: string;
  standard: string;
  district: AqiResult & { concentrations: HourlyStats; valid_stations: number };
  stations: StationAqi[];
}

export interface DailyAqiDay extends AqiResult {
  date: string;
  standard: string;
  concentrations: DailyStats;
  valid_stations?: number;
}

const standardName = (v: string): string => `HJ 633-${v}`;

/** Hourly and daily AQI from the hourly rollup (never from raw readings). */
export class AqiService {
  constructor(
    private readonly rollups: RollupsRepository,
    private readonly registry: SiteRegistry,
    private readonly tz: string,
  ) {}

  private stations(site?: string): SiteMeta[] {
    return this.registry.ofKind('air').filter((s) => site === undefined || s.id === site);
  }

  private async hours(siteKeys: number[], fromMs: number, toMs: number): Promise<StationHours> {
    if (siteKeys.length === 0) return new Map();
    const rows = await this.rollups.hourSeries(siteKeys, METRIC_IDS, fromMs, toMs);
    const hourRows: HourRow[] = [];
    for (const r of rows) {
      const pollutant = POLLUTANT_BY_METRIC.get(r.metric_id) as Pollutant;
      for (let i = 0; i < r.hours.length; i++) hourRows.push({ siteKey: r.site_key, pollutant, hourMs: r.hours[i]!, n: r.ns[i]!, sum: r.sums[i]!, coveredS: r.covered[i]! });
    }
    return validHourlyMeans(hourRows);
  }

  /** The real-time AQI of the last complete hour, per station and for the district. */
  async latest(nowMs = Date.now()): Promise<LatestAqi> {
    const hourMs = Math.floor(nowMs / HOUR) * HOUR - HOUR;
    const version = aqiVersionFor(hourMs);
    const stations = this.stations();
    const hours = await this.hours(stations.map((s) => s.key), hourMs - 23 * HOUR, hourMs + HOUR);
    const perStation = stations.map((s) => {
      const stats = stationHourlyStats(hours.get(s.key), hourMs);
      return { site: s, stats, result: hourlyAqi(stats, version) };
    });
    const { stats, validStations } = districtStats(perStation.map((p) => p.stats));
    return {
      hour: new Date(hourMs).toISOString(),
      standard: standardName(version),
      district: { ...hourlyAqi(stats, version), concentrations: stats, valid_stations: validStations },
      stations: perStation
        .map((p) => ({ site: p.site.id, name_zh: p.site.name_zh, name_en: p.site.name_en, ...p.result, concentrations: p.stats }))
        .sort((a, b) => (b.aqi ?? -1) - (a.aqi ?? -1)),
    };
  }

  /** Daily AQI for district dates `from`…`to` (inclusive) for the district and each station, from one query. */
  async dailyAll(from: string, to: string, site?: string): Promise<{ district: DailyAqiDay[]; stations: { site: SiteMeta; days: DailyAqiDay[] }[] }> {
    const stations = this.stations(site);
    const hours = await this.hours(stations.map((s) => s.key), dayStartMs(from, this.tz), dayStartMs(addDays(to, 1), this.tz));
    const district: DailyAqiDay[] = [];
    const perStation = stations.map((s) => ({ site: s, days: [] as DailyAqiDay[] }));
    for (const date of datesFrom(from, to)) {
      const dayMs = dayStartMs(date, this.tz);
      const version = aqiVersionFor(dayMs);
      const standard = standardName(version);
      const stats = stations.map((s) => stationDailyStats(hours.get(s.key), dayMs));
      stats.forEach((st, i) => perStation[i]!.days.push({ date, standard, ...dailyAqi(st, version), concentrations: st }));
      const d = districtStats(stats);
      district.push({ date, standard, ...dailyAqi(d.stats, version), concentrations: d.stats, valid_stations: d.validStations });
    }
    return { district, stations: perStation };
  }

  /** Daily AQI for district dates `from`…`to` (inclusive): for one station, or the district. */
  async daily(from: string, to: string, site?: string): Promise<DailyAqiDay[]> {
    const all = await this.dailyAll(from, to, site);
    return site === undefined ? all.district : (all.stations[0]?.days ?? []);
  }
}
