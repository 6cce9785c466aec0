import type { AlertEngine } from './alert-engine.js';
import type { AlertStore, AlertHistoryEntry, AlertRecord } from './alerts.repository.js';
import { AlertNotFoundError } from './alerts.repository.js';

/** What people do to alerts: each step is stored, then announced (socket.io, webhooks, site status). */
export class AlertActions {
  constructor(
    private readonly store: AlertStore,
    private readonly engine: AlertEngine,
  ) {}

  list(filter: Parameters<AlertStore['list']>[0]): Promise<AlertRecord[]> {
    return this.store.list(filter);
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
    return this.announce('resolved', this.store.resolve(id, actor, note, confirmActive));
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
