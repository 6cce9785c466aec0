import type { AlertPage, BulkOutcome, Handover } from '@tidewatch/contracts';
import { districtZone } from '../common/district-zone.js';
import type { AlertEngine } from './alert-engine.js';
import type { AlertLogRepository } from './alert-log.repository.js';
import type { AlertFilter, AlertStore, AlertHistoryEntry, AlertRecord } from './alerts.repository.js';
import { AlertNotFoundError, AlertStateError } from './alerts.repository.js';
import { handoverPeriod } from './shift.js';

/** Marks the history entry of a step taken in bulk. */
const BULK = { bulk: true };

export type BulkAction = 'acknowledge' | 'resolve';

/** What people do to alerts: each step is stored, then announced (socket.io, webhooks, site status). */
export class AlertActions {
  constructor(
    private readonly store: AlertStore,
    private readonly engine: AlertEngine,
    private readonly log: AlertLogRepository,
  ) {}

  list(filter: AlertFilter): Promise<AlertRecord[]> {
    return this.store.list(filter);
  }

  async page(filter: AlertFilter): Promise<AlertPage> {
    const [total, alerts] = await Promise.all([this.store.count(filter), this.store.list(filter)]);
    return { total, limit: filter.limit, offset: filter.offset ?? 0, alerts };
  }

  /** The shift from–to (default the current one in the district's zone): opened, still open at its end, done. */
  handover(from: Date | undefined, to: Date | undefined): Promise<Handover> {
    return this.log.handover(handoverPeriod(from, to, Date.now(), districtZone()));
  }

  async withHistory(id: number): Promise<AlertRecord & { history: AlertHistoryEntry[] }> {
    const alert = await this.store.get(id);
    if (!alert) throw new AlertNotFoundError(id);
    return { ...alert, history: await this.store.history(id) };
  }

  acknowledge(id: number, actor: string, note: string): Promise<AlertRecord> {
    return this.announce('acknowledged', this.store.acknowledge(id, actor, note));
  }

  resolve(id: number, actor: string, note: string, confirmActive = false): Promise<AlertRecord> {
    return this.announce('resolved', this.store.resolve(id, actor, note, { confirmActive }));
  }

  /**
   * The same step with one note on each alert in turn (each its own transaction, history entry
   * and announcement, as if done singly); an alert missing or past the step is reported, not an error.
   */
  async bulk(ids: readonly number[], action: BulkAction, actor: string, note: string): Promise<BulkOutcome[]> {
    const results: BulkOutcome[] = [];
    for (const id of new Set(ids)) {
      try {
        // Alerts picked for a bulk resolve are resolved as confirmed: a condition still holding is recorded so in each history.
        const step = action === 'acknowledge' ? this.store.acknowledge(id, actor, note, BULK) : this.store.resolve(id, actor, note, { confirmActive: true, data: BULK });
        const alert = await this.announce(action === 'acknowledge' ? 'acknowledged' : 'resolved', step);
        results.push({ id, outcome: 'done', state: alert.state });
      } catch (err) {
        if (err instanceof AlertNotFoundError) results.push({ id, outcome: 'not_found', state: null });
        else if (err instanceof AlertStateError) results.push({ id, outcome: 'already', state: err.state });
        else throw err;
      }
    }
    return results;
  }

  assign(id: number, actor: string, assignee: string, note: string): Promise<AlertRecord> {
    return this.announce('assigned', this.store.assign(id, actor, assignee, note));
  }

  comment(id: number, actor: string, note: string): Promise<AlertRecord> {
    return this.announce('comment', this.store.comment(id, actor, note));
  }

  private async announce(event: string, step: Promise<AlertRecord>): Promise<AlertRecord> {
    const alert = await step;
    this.engine.changed(event, alert);
    return alert;
  }
}
