import type { HistoryEntry } from '../stores/alerts';

type Translate = (key: string) => string;

/** A history entry's step in the page's language: an assignment names the person, and says when the duty roster made it. */
export function historyStep(h: HistoryEntry, t: Translate, te: (key: string) => boolean): string {
  const key = `assign.actions.${h.action}`;
  const name = te(key) ? t(key) : h.action;
  if (h.action !== 'assigned' || typeof h.data?.assignee !== 'string') return name;
  return `${name} → ${h.data.assignee}${h.data.reason === 'roster' ? t('assign.byRoster') : ''}`;
}
