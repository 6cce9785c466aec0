import type { AlertPage, BulkOutcome, Handover } from '@tidewatch/contracts';
import { apiFetch } from './http';

export type { AlertPage, BulkOutcome, Handover, HandoverAction } from '@tidewatch/contracts';

/** The alert log's filters as the page holds them: empty strings are "any". */
export interface LogFilter {
  state: string;
  severity: string;
  kind: string;
  site: string;
  /** ISO-8601 with offset, or empty. */
  from: string;
  to: string;
  q: string;
}

export const EMPTY_FILTER: LogFilter = { state: '', severity: '', kind: '', site: '', from: '', to: '', q: '' };

/** The query string of `GET /api/alerts/log` for a filter and page (filters left empty are left out). */
export function logQuery(filter: LogFilter, limit: number, offset: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value.trim()) params.set(key, value.trim());
  params.set('limit', String(limit));
  params.set('offset', String(offset));
  return params.toString();
}

export function fetchLog(filter: LogFilter, limit: number, offset: number): Promise<AlertPage> {
  return apiFetch<AlertPage>(`/api/alerts/log?${logQuery(filter, limit, offset)}`);
}

export async function bulkAct(ids: number[], action: 'acknowledge' | 'resolve', note: string): Promise<BulkOutcome[]> {
  return (await apiFetch<{ results: BulkOutcome[] }>('/api/alerts/bulk', { method: 'POST', body: { ids, action, note } })).results;
}

/** The handover of a shift; without bounds, the current shift (the hub knows the district's shifts). */
export function fetchHandover(from?: string, to?: string): Promise<Handover> {
  const params = new URLSearchParams();
  if (from) params.set('from', from);
  if (to) params.set('to', to);
  const qs = params.toString();
  return apiFetch<Handover>(`/api/alerts/handover${qs ? `?${qs}` : ''}`);
}

/** How many alerts of a bulk answer were done, already in that state, or missing. */
export function tally(results: BulkOutcome[]): { done: number; already: number; missing: number } {
  return {
    done: results.filter((r) => r.outcome === 'done').length,
    already: results.filter((r) => r.outcome === 'already').length,
    missing: results.filter((r) => r.outcome === 'not_found').length,
  };
}
