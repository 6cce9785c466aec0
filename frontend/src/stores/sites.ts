import type { SiteSnapshot } from '@tidewatch/contracts';
import { defineStore } from 'pinia';
import { computed, shallowRef, triggerRef } from 'vue';

/** Newest values kept per site for sparklines; older ones are dropped. */
export const HISTORY_CAP = 60;
/** Live updates are applied in batches at most this often, so a burst never freezes the page. */
export const FLUSH_MS = 250;

/** Whether `a` reports later data than `b` (a site's update time is its last_seen). */
export function isNewer(a: SiteSnapshot, b: SiteSnapshot): boolean {
  return (a.last_seen ?? '') > (b.last_seen ?? '');
}

export const useSitesStore = defineStore('sites', () => {
  // shallowRef + explicit triggers: thousands of sites must not each become deep reactive objects.
  const byId = shallowRef(new Map<string, SiteSnapshot>());
  const history = new Map<string, { t: string; values: Record<string, number> }[]>();
  const pending = new Map<string, SiteSnapshot>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** Ids changed by the last flush (the map redraws only these). */
  const changed = shallowRef<Set<string>>(new Set());

  const count = computed(() => byId.value.size);

  function remember(s: SiteSnapshot): void {
    const values = Object.fromEntries(Object.entries(s.latest).map(([k, v]) => [k, v.value]));
    const h = history.get(s.id) ?? [];
    const t = s.last_seen ?? new Date().toISOString();
    if (h.at(-1)?.t !== t) h.push({ t, values });
    if (h.length > HISTORY_CAP) h.splice(0, h.length - HISTORY_CAP);
    history.set(s.id, h);
  }

  /**
   * A full snapshot (on connect, reconnect, subscribe): replaces everything. Queued deltas
   * newer than the snapshot's view of their site stay queued; the others are stale.
   */
  function load(sites: SiteSnapshot[]): void {
    const next = new Map(sites.map((s) => [s.id, s]));
    for (const [id, delta] of pending) if (!next.has(id) || !isNewer(delta, next.get(id)!)) pending.delete(id);
    byId.value = next;
    for (const s of sites) remember(s);
    changed.value = new Set(byId.value.keys());
  }

  /** A live delta: queued, applied with the others at the next flush. */
  function update(site: SiteSnapshot): void {
    pending.set(site.id, site);
    timer ??= setTimeout(flush, FLUSH_MS);
  }

  function flush(): void {
    timer = null;
    if (pending.size === 0) return;
    const ids = new Set(pending.keys());
    for (const s of pending.values()) {
      byId.value.set(s.id, s);
      remember(s);
    }
    pending.clear();
    changed.value = ids;
    triggerRef(byId);
  }

  function historyOf(id: string): readonly { t: string; values: Record<string, number> }[] {
    return history.get(id) ?? [];
  }

  return { byId, count, changed, load, update, flush, historyOf };
});
