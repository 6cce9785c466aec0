import type { SiteKind } from '@tidewatch/contracts';

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
}
