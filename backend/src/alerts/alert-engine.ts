import { metricById } from '@tidewatch/contracts';
import { SiteAlertLevels } from './site-alert-levels.js';
import type { BatchResult } from '../ingest/batch.repository.js';
import type { IngestEvents } from '../ingest/ingest-events.js';
import type { Logger } from '../logging/logger.js';
import type { HubMetrics } from '../metrics/metrics.service.js';
import { siteInterval } from '../sites/site-meta.js';
import type { SiteMeta, SiteRegistry } from '../sites/site-registry.js';
import type { AlertRecord, AlertStore } from './alerts.repository.js';
import { emptyState, evaluate, type EvaluationInput, type Observation, type RuleState, type SiteEvent } from './evaluate.js';
import { type Condition, type Rule, type RuleDefinition, type Severity } from './rule-model.js';
import type { RuleOverride, RulesRepository } from './rules.repository.js';

const TICK_MS = 15_000;
/**
 * Rule states are written back at most this often (and on stop): at 2,000 sites reporting every
 * second, writing each one per batch would be thousands of upserts a second for little gain.
 * A crash loses at most this much of a timer's progress.
 */
const SAVE_MS = 5_000;
/**
 * Committed batches waiting for evaluation at most. Past this, the listener hands ingest a
 * promise that resolves when the queue is below the bound again; ingest's writer waits on it
 * before writing (and acknowledging) more, its in-flight window fills, and the transports
 * stop reading. A slow evaluation thus slows intake instead of growing memory; only the
 * writers already past their commit (two) can add to a full queue.
 */
export const ALERT_QUEUE_MAX = 16;

export interface AlertEngineOptions {
  reannounceMin: number;
  escalateMin: number;
  /** Derived values of a site now (hourly AQI, water grade over target, effluent exceedances). */
  derived(site: SiteMeta): Record<string, number | null>;
  /** When the site last sent data (null: never). */
  lastSeenMs(siteKey: number): number | null;
  /** Test only: each batch's evaluation takes at least this long (a slow consumer). */
  batchDelayMs?: number;
}

export type AlertListener = (event: string, alert: AlertRecord) => void;

function usesTime(c: Condition): boolean {
  if (c.type === 'no_data' || c.type === 'hazard_unrectified' || c.type === 'derived') return true;
  if (c.type === 'all' || c.type === 'any') return c.of.some(usesTime);
  return false;
}

/**
 * Evaluates the alert rules on every committed batch (never before storage) and on a timer
 * (silence, hazards, derived values, escalation); opens, extends and clears alerts; keeps
 * each rule's state across restarts; tells listeners (socket.io, webhooks) of every change.
 * Work runs one round at a time, in order; committed batches queue up to ALERT_QUEUE_MAX.
 */
export class AlertEngine {
  private rules: Rule[] = [];
  private overrides = new Map<string, RuleOverride>();
  private readonly states = new Map<string, RuleState>();
  private listeners: AlertListener[] = [];
  private queue: Promise<void> = Promise.resolve();
  private queuedBatches = 0;
  private roomWaiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private saveTimer: NodeJS.Timeout | null = null;
  /** (rule, site) states changed since they were last written. */
  private readonly dirty = new Map<string, { ruleId: string; siteKey: number }>();
  private unsubscribe: (() => void) | null = null;
  private readonly startedMs = Date.now();

  constructor(
    private readonly store: AlertStore,
    private readonly rulesRepo: RulesRepository,
    private readonly registry: SiteRegistry,
    private readonly events: IngestEvents,
    private readonly metrics: HubMetrics,
    private readonly opts: AlertEngineOptions,
    private readonly log: Logger,
    private readonly levels: SiteAlertLevels = new SiteAlertLevels(registry),
  ) {}

  onAlert(listener: AlertListener): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** The most severe open alert of a site (for its map status). */
  openSeverity(siteKey: number): Severity | null {
    return this.levels.openSeverity(siteKey);
  }

  async start(): Promise<void> {
    await this.rulesRepo.syncDefaults();
    await this.reloadRules();
    for (const row of await this.rulesRepo.loadStates()) this.states.set(`${row.rule_id}:${row.site_key}`, row.state as RuleState);
    for (const a of await this.store.open()) this.trackOpen(a);
    await this.refreshGauge();
    this.unsubscribe = this.events.onCommitted((result) => this.acceptBatch(result));
    // Short re-announcement periods (tests, drills) need a finer tick.
    const tickMs = Math.max(1000, Math.min(TICK_MS, (this.opts.reannounceMin * 60_000) / 3));
    this.timer = setInterval(() => this.enqueue(() => this.tick(Date.now())), tickMs);
    this.timer.unref();
    this.saveTimer = setInterval(() => this.enqueue(() => this.saveDirty()), SAVE_MS);
    this.saveTimer.unref();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    if (this.saveTimer) clearInterval(this.saveTimer);
    await this.enqueue(() => this.saveDirty());
  }

  private async saveDirty(): Promise<void> {
    if (this.dirty.size === 0) return;
    const batch = [...this.dirty.entries()];
    this.dirty.clear();
    try {
      await this.rulesRepo.saveStates(batch.map(([key, d]) => ({ ...d, state: this.states.get(key)! })));
    } catch (err) {
      for (const [key, d] of batch) this.dirty.set(key, d); // try again next round
      throw err;
    }
  }

  async reloadRules(): Promise<void> {
    this.rules = await this.rulesRepo.list();
    this.overrides = new Map((await this.rulesRepo.overrides()).map((o) => [`${o.rule_id}:${o.site_key}`, o]));
  }

  /** Committed batches queued and not yet evaluated. */
  get queuedBatchCount(): number {
    return this.queuedBatches;
  }

  /** Resolves once fewer than ALERT_QUEUE_MAX batches wait for evaluation. */
  whenBelow(): Promise<void> {
    if (this.queuedBatches < ALERT_QUEUE_MAX) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  private acceptBatch(result: BatchResult): Promise<void> {
    this.queuedBatches++;
    void this.enqueue(async () => {
      try {
        if (this.opts.batchDelayMs) await new Promise((resolve) => setTimeout(resolve, this.opts.batchDelayMs));
        await this.onBatch(result);
      } finally {
        this.queuedBatches--;
        if (this.queuedBatches < ALERT_QUEUE_MAX) this.roomWaiters.splice(0).forEach((r) => r());
      }
    });
    return this.whenBelow();
  }

  /** Runs `fn` after everything queued before it. */
  enqueue(fn: () => Promise<void>): Promise<void> {
    const next = this.queue.then(fn).catch((err: unknown) => this.log.error({ err: String(err) }, 'alert evaluation failed'));
    this.queue = next;
    return next;
  }

  /** The rules that apply to a site, with its overrides. */
  rulesFor(site: SiteMeta): { id: string; definition: RuleDefinition }[] {
    const out: { id: string; definition: RuleDefinition }[] = [];
    for (const r of this.rules) {
      if (r.kind !== site.kind) continue;
      const o = this.overrides.get(`${r.id}:${site.key}`);
      if (o ? !o.enabled : !r.enabled) continue;
      out.push({ id: r.id, definition: o?.definition ?? r.definition });
    }
    return out;
  }

  private async onBatch(result: BatchResult): Promise<void> {
    const readings = new Map<number, Observation[]>();
    for (const r of result.stored) {
      const def = metricById(r.metricId);
      if (!def) continue;
      let list = readings.get(r.siteKey);
      if (!list) readings.set(r.siteKey, (list = []));
      list.push({ metric: def.name, ts: r.timeMs, value: r.value });
    }
    const events = new Map<number, SiteEvent[]>();
    for (const e of result.events) {
      let list = events.get(e.siteKey);
      if (!list) events.set(e.siteKey, (list = []));
      list.push({ ts: e.timeMs, type: e.type, data: e.data });
    }
    const now = Date.now();
    for (const siteKey of new Set([...readings.keys(), ...events.keys()])) {
      const site = this.registry.byKey(siteKey);
      if (!site) continue;
      const derived = site.kind === 'river' || site.kind === 'seawater' ? this.opts.derived(site) : undefined;
      for (const rule of this.rulesFor(site)) {
        await this.run(site, rule, { readings: readings.get(siteKey), events: events.get(siteKey), derived, nowMs: now, lastSeenMs: now });
      }
    }
  }

  /** Time-driven rules (silence, open hazards, derived values) and escalation. */
  async tick(nowMs: number): Promise<void> {
    for (const site of this.registry.all()) {
      const rules = this.rulesFor(site).filter((r) => r.definition.levels.some((l) => usesTime(l.when)));
      if (rules.length === 0) continue;
      const derived = this.opts.derived(site);
      const lastSeenMs = this.opts.lastSeenMs(site.key) ?? this.startedMs;
      for (const rule of rules) await this.run(site, rule, { derived, nowMs, lastSeenMs });
    }
    await this.escalate(nowMs);
  }

  private async run(site: SiteMeta, rule: { id: string; definition: RuleDefinition }, input: EvaluationInput): Promise<void> {
    const key = `${rule.id}:${site.key}`;
    const ctx = { id: site.id, kind: site.kind, params: site.params, intervalS: siteInterval(site).seconds };
    const out = evaluate(rule.definition, ctx, this.states.get(key) ?? emptyState(), input);
    this.states.set(key, out.state);
    this.dirty.set(key, { ruleId: rule.id, siteKey: site.key });
    if (out.triggered) {
      const { alert, news } = await this.store.trigger({
        siteKey: site.key,
        ruleId: rule.id,
        severity: out.triggered.severity,
        atMs: out.triggered.ts,
        title: rule.definition.title,
        detail: { values: out.triggered.values, at: new Date(out.triggered.ts).toISOString() },
      });
      this.trackOpen(alert);
      if (news) this.announce(news, alert);
    }
    if (out.cleared || (out.level === null && out.triggered !== null)) {
      const cleared = await this.store.clear(site.key, rule.id, input.nowMs);
      if (cleared) this.announce('cleared', cleared);
    }
  }

  private async escalate(nowMs: number): Promise<void> {
    for (const a of await this.store.list({ state: 'active', severity: 'critical', limit: 10_000 })) {
      const openFor = nowMs - Date.parse(a.opened_at);
      const since = nowMs - Date.parse(a.announced_at);
      const due = (this.opts.escalateMin * 60_000) * (a.escalation_level + 1);
      if (openFor >= due) {
        const e = await this.store.escalate(a.id, 'escalated');
        if (e) this.announce('escalated', e);
      } else if (since >= this.opts.reannounceMin * 60_000) {
        const e = await this.store.escalate(a.id, 'reannounced');
        if (e) this.announce('reannounced', e);
      }
    }
  }

  /** Called by the API after a person changed an alert. */
  changed(event: string, alert: AlertRecord): void {
    this.trackOpen(alert);
    this.announce(event, alert);
  }

  private trackOpen(a: AlertRecord): void {
    this.levels.track(a);
  }

  private announce(event: string, alert: AlertRecord): void {
    for (const l of this.listeners) {
      try {
        l(event, alert);
      } catch (err) {
        this.log.error({ err: String(err) }, 'alert listener failed');
      }
    }
    void this.refreshGauge();
  }

  private async refreshGauge(): Promise<void> {
    try {
      const counts = await this.store.countOpenBySeverity();
      for (const s of ['critical', 'major', 'minor', 'warning']) this.metrics.alertsOpen.set({ severity: s }, counts[s] ?? 0);
    } catch (err) {
      this.log.warn({ err: String(err) }, 'alert gauge not refreshed');
    }
  }
}
