import { reportingInterval, type ReportingInterval, type SiteKind } from '@tidewatch/contracts';

/** What the ingest parser needs to know of a site. */
export interface SiteRef {
  key: number;
  id: string;
  kind: SiteKind;
}

/** An active site as the registry keeps it in memory. */
export interface SiteMeta extends SiteRef {
  name_zh: string;
  name_en: string;
  lat: number;
  lon: number;
  params: Record<string, unknown>;
  /** Set by an admin (seconds), else null. */
  reporting_interval_s: number | null;
  /** Learned from the gaps between its readings (seconds), else null. */
  learned_interval_s: number | null;
}

/** How often the site reports, and whether that was set, learned or is its kind's nominal interval. */
export function siteInterval(site: Pick<SiteMeta, 'kind' | 'reporting_interval_s' | 'learned_interval_s'>): ReportingInterval {
  return reportingInterval(site.kind, site.reporting_interval_s, site.learned_interval_s);
}
