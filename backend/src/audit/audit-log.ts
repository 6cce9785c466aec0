import { storableText } from '@tidewatch/contracts';
import type { Logger } from '../logging/logger.js';
import type { AuditEntry, AuditRepository } from './audit.repository.js';

/**
 * The one way to write to the audit log. A failed write is logged as an error and never
 * fails the action it records (an alert must be acknowledgeable while the log is unhappy).
 */
export class AuditLog {
  constructor(
    private readonly repo: AuditRepository,
    private readonly log: Logger,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    const clean: AuditEntry = {
      ...entry,
      actor: entry.actor === null ? null : storableText(entry.actor, 64),
      target: entry.target === null ? null : storableText(entry.target, 300),
    };
    try {
      await this.repo.append([clean]);
    } catch (err) {
      this.log.error({ err: String(err), action: entry.action, actor: entry.actor }, 'audit entry not written');
    }
  }
}
