import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isSiteKind } from '@tidewatch/contracts';
import type { SimSite } from './models/model.js';

/** The district's sites from the repository's seed (db/seed/sites.json). */
export function loadSeedSites(file = fileURLToPath(new URL('../../db/seed/sites.json', import.meta.url))): SimSite[] {
  const seed = JSON.parse(readFileSync(file, 'utf8')) as { sites: { id: string; kind: string; params?: Record<string, unknown> }[] };
  return seed.sites.flatMap((s) => (isSiteKind(s.kind) ? [{ id: s.id, kind: s.kind, params: s.params ?? {} }] : []));
}
