import type { AlertRecord, LatestAqi, LiveSnapshot, SiteSnapshot } from '@tidewatch/contracts';

/** Which sites a client watches: everything, or these kinds and/or sites. */
export interface Watch {
  all: boolean;
  kinds: readonly string[];
  sites: readonly string[];
}

export const WATCH_ALL: Watch = { all: true, kinds: [], sites: [] };

const watches = (w: Watch, kind: string, site: string): boolean => w.all || w.kinds.includes(kind) || w.sites.includes(site);

/** The part of the hub's state a client watches; the AQI goes to whoever watches air. */
export function narrowSnapshot(w: Watch, at: Date, sites: SiteSnapshot[], alerts: AlertRecord[], aqi: LatestAqi | null): LiveSnapshot {
  return {
    at: at.toISOString(),
    sites: sites.filter((s) => watches(w, s.kind, s.id)),
    alerts: alerts.filter((a) => a.state !== 'resolved' && watches(w, a.kind, a.site)),
    aqi: w.all || w.kinds.includes('air') ? aqi : null,
  };
}
