import type { SiteKind } from '@tidewatch/contracts';
import type { SiteMeta } from './site-meta.js';
import type { SitesRepository } from './sites.repository.js';

export type { SiteMeta };

/**
 * The active sites, in memory, for the ingest hot path and the live push. Reloaded when
 * an admin changes a site, and periodically so that several hub instances converge.
 */
export class SiteRegistry {
  private byId = new Map<string, SiteMeta>();
  private byKeyMap = new Map<number, SiteMeta>();

  async load(sites: Pick<SitesRepository, 'active'>): Promise<void> {
    const rows = await sites.active();
    this.byId = new Map(rows.map((r) => [r.id, r]));
    this.byKeyMap = new Map(rows.map((r) => [r.key, r]));
  }

  lookup = (id: string): SiteMeta | undefined => this.byId.get(id);

  byKey(key: number): SiteMeta | undefined {
    return this.byKeyMap.get(key);
  }

  all(): SiteMeta[] {
    return [...this.byId.values()];
  }

  ofKind(kind: SiteKind): SiteMeta[] {
    return this.all().filter((s) => s.kind === kind);
  }
}
