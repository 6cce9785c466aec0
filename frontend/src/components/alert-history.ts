import { historyActionText } from '../i18n/data-text';
import type { HistoryEntry } from '../stores/alerts';

type Translate = (key: string, values?: Record<string, unknown>) => string;

/**
 * A history entry's step in the page's language (i18n/data-text.ts, the one dictionary of
 * steps): an assignment names the person, and says when the duty roster made it.
 */
export function historyStep(h: HistoryEntry, t: Translate, te: (key: string) => boolean): string {
  return historyActionText(h, { t, te });
}
