import type { AlertRecord } from '@tidewatch/contracts';
import type { SiteRegistry } from '../sites/site-registry.js';
import { severityRank, type Severity } from './rule-model.js';

/**
 * The severity of every open alert, per site and rule: what the map colours a site by. The
 * alert engine keeps it up to date; the live state reads it.
 */
export class SiteAlertLevels {
  private readonly bySite = new Map<number, Map<string, Severity>>();

  constructor(private readonly registry: SiteRegistry) {}

  /** Records an alert's latest state (a resolved alert no longer counts). */
  track(a: AlertRecord): void {
    const site = this.registry.lookup(a.site);
    if (!site) return;
    let levels = this.bySite.get(site.key);
    if (!levels) this.bySite.set(site.key, (levels = new Map()));
    if (a.state === 'resolved') levels.delete(a.rule);
    else levels.set(a.rule, a.severity);
  }

  /** The most severe open alert of a site, or null. */
  openSeverity(siteKey: number): Severity | null {
    let worst: Severity | null = null;
    for (const s of this.bySite.get(siteKey)?.values() ?? []) if (!worst || severityRank(s) > severityRank(worst)) worst = s;
    return worst;
  }
}
