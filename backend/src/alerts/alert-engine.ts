import { metricById } from '@tidewatch/contracts';
import { SiteAlertLevels } from './site-alert-levels.js';
import type { BatchReplay } from '../cluster/cluster.feature.js';
import type { HubBus } from '../cluster/hub-bus.js';
import { shardOf, WholeDistrict, type ShardWorker, type SiteOwnership } from '../cluster/site-ownership.js';
import { comparePositions } from '../cluster/stream-position.js';
import { JudgedShards } from './judged-shards.js';
import type { BatchResult } from '../ingest/batch.repository.js';
import type { Logger } from '../logging/logger.js';
import type { HubMetrics } from '../metrics/metrics.service.js';
import { siteInterval } from '../sites/site-meta.js';
import type { SiteMeta, SiteRegistry } from '../sites/site-registry.js';
import type { AlertRecord, AlertStore } from './alerts.repository.js';
import { emptyState, evaluate, holdsDeviceAlarm, isHistorical, type EvaluationInput, type Observation, type RuleState, type SiteEvent } from './evaluate.js';
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
  /**
   * Whom the duty roster gives an alert of this site to at escalation `level` (0 when opened)
   * at `atMs`: null when nobody is on call (the alert keeps its assignee).
   */
  onDuty?(site: SiteMeta, level: number, atMs: number): DutyAssignment | null;
}

/** A person the roster names, with their duty area and position on call. */
export interface DutyAssignment {
  username: string;
  area: string;
  position: number;
}

export type AlertListener = (event: string, alert: AlertRecord) => void;

/** Which sites this engine judges (all, on a single hub) and, in a cluster, the stream to catch up from. */
export interface EngineCluster {
  ownership: SiteOwnership;
  replay: BatchReplay | null;
}

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
 *
 * In a cluster each hub judges only the sites of the shards it holds (cluster/site-ownership.ts),
 * from every hub's committed batches in the cluster stream's order; with their rule states it
 * saves the stream position they are true at, and a hub taking a shard over loads them and
 * replays the stream from there (docs/architecture.md §13).
 */
export class AlertEngine implements ShardWorker {
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
  /** The shards judged here (every site on a hub on its own). */
  private readonly judged: JudgedShards;
  /** Position in the cluster stream of the last batch judged (null on a single hub). */
  private position: string | null = null;

  constructor(
    private readonly store: AlertStore,
    private readonly rulesRepo: RulesRepository,
    private readonly registry: SiteRegistry,
    private readonly bus: Pick<HubBus, 'onCommitted' | 'onRulesChanged' | 'publishRulesChanged'>,
    private readonly metrics: HubMetrics,
    private readonly opts: AlertEngineOptions,
    private readonly log: Logger,
    private readonly levels: SiteAlertLevels = new SiteAlertLevels(registry),
    private readonly cluster: EngineCluster = { ownership: new WholeDistrict(), replay: null },
  ) {
    this.judged = new JudgedShards(cluster.ownership.clustered);
  }

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
    // In a cluster, states are loaded shard by shard as this hub takes them (adopt).
    if (!this.judged.clustered) for (const row of await this.rulesRepo.loadStates()) this.states.set(`${row.rule_id}:${row.site_key}`, row.state as RuleState);
    for (const a of await this.store.open()) this.trackOpen(a);
    await this.refreshGauge();
    const offCommitted = this.bus.onCommitted((result, position) => this.acceptBatch(result, position));
    const offRules = this.bus.onRulesChanged(() => void this.enqueue(() => this.reloadRules()));
    this.unsubscribe = () => {
      offCommitted();
      offRules();
    };
    // Short re-announcement periods (tests, drills) need a finer tick.
    const tickMs = Math.max(1000, Math.min(TICK_MS, (this.opts.reannounceMin * 60_000) / 3));
    this.timer = setInterval(() => this.enqueue(() => this.tick(Date.now())), tickMs);
    this.timer.unref();
    this.saveTimer = setInterval(() => this.enqueue(() => this.saveDirty()), SAVE_MS);
    this.saveTimer.unref();
    if (this.judged.clustered) this.cluster.ownership.attach(this);
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    if (this.saveTimer) clearInterval(this.saveTimer);
    await this.enqueue(() => this.saveDirty());
  }

  /** Writes the changed states, and in a cluster the stream position they are true at for every shard judged here. */
  private async saveDirty(): Promise<void> {
    const cursors = this.judged.clustered ? this.judged.cursors(this.position ?? this.cluster.replay!.startPosition) : [];
    // States of shards no longer judged here are the new owner's to write.
    for (const [key, d] of this.dirty) if (!this.judged.judges(d.siteKey)) this.dirty.delete(key);
    if (this.dirty.size === 0 && cursors.length === 0) return;
    const batch = [...this.dirty.entries()];
    this.dirty.clear();
    try {
      await this.rulesRepo.saveStates(
        batch.map(([key, d]) => ({ ...d, state: this.states.get(key)! })),
        cursors,
      );
    } catch (err) {
      for (const [key, d] of batch) this.dirty.set(key, d); // try again next round
      throw err;
    }
  }

  /** Takes up a change of the rules here, and tells the other hubs of a cluster to. */
  async rulesChanged(): Promise<void> {
    await this.reloadRules();
    this.bus.publishRulesChanged();
  }

  private async reloadRules(): Promise<void> {
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

  private acceptBatch(result: BatchResult, position: string | null): Promise<void> {
    this.queuedBatches++;
    void this.enqueue(async () => {
      try {
        if (this.opts.batchDelayMs) await new Promise((resolve) => setTimeout(resolve, this.opts.batchDelayMs));
        await this.onBatch(result, (siteKey) => this.judged.judges(siteKey, position));
      } finally {
        if (position) {
          this.position = position;
          this.judged.reached(position);
        }
        this.queuedBatches--;
        if (this.queuedBatches < ALERT_QUEUE_MAX) this.roomWaiters.splice(0).forEach((r) => r());
      }
    });
    return this.whenBelow();
  }

  /** Runs `fn` after everything queued before it; a failure is logged. */
  enqueue(fn: () => Promise<void>): Promise<void> {
    const next = this.queue.then(fn).catch((err: unknown) => this.log.error({ err: String(err) }, 'alert evaluation failed'));
    this.queue = next;
    return next;
  }

  /** Runs `fn` after everything queued before it; a failure goes to the caller (and the queue goes on). */
  private enqueueOrFail(fn: () => Promise<void>): Promise<void> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
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

  /**
   * Starts judging these shards (ShardWorker): their saved states, then the stream from where
   * they were saved up to where this engine is. Does nothing if `held` says the leases went
   * meanwhile; rejects if the states cannot be loaded or the stream read (the leases go back).
   */
  adopt(shards: number[], held: () => boolean): Promise<void> {
    return this.enqueueOrFail(async () => {
      const adopted = new Set(shards);
      const keys = this.registry.all().filter((s) => adopted.has(shardOf(s.key))).map((s) => s.key);
      const rows = await this.rulesRepo.loadStates(keys);
      const saved = new Map((await this.rulesRepo.cursors(shards)).map((c) => [c.shard, c.position]));
      if (!held()) return;
      for (const row of rows) this.states.set(`${row.rule_id}:${row.site_key}`, row.state as RuleState);
      const replay = this.cluster.replay!;
      const at = this.position ?? replay.startPosition;
      this.judged.add(shards, saved, at);
      const from = [...saved.values()].filter((p) => comparePositions(p, at) < 0).sort(comparePositions)[0];
      if (from === undefined) return;
      const oldest = await replay.oldestPosition();
      if (oldest && comparePositions(from, oldest) < 0) {
        this.log.warn({ shards, savedAt: from, oldest }, 'cluster stream no longer holds everything since these shards were saved: their rule timers restart from what it holds');
      }
      let replayed = 0;
      try {
        await replay.range(from, at, async (result, position) => {
          replayed++;
          await this.onBatch(result, (siteKey) => {
            const shard = shardOf(siteKey);
            const since = saved.get(shard);
            return adopted.has(shard) && since !== undefined && comparePositions(since, position) < 0;
          });
        });
      } catch (err) {
        this.drop(shards);
        throw err;
      }
      this.log.info({ shards, replayed }, 'shards adopted: rule states loaded, stream replayed');
    });
  }

  /** Stops judging these shards once their states are saved (ShardWorker); rejects, still judging them, if the save fails. */
  relinquish(shards: number[]): Promise<void> {
    return this.enqueueOrFail(async () => {
      await this.saveDirty();
      this.drop(shards);
    });
  }

  /** Stops judging these shards at once, their leases gone (ShardWorker); their states go after the work in hand. */
  forget(shards: number[]): void {
    this.judged.remove(shards);
    void this.enqueue(async () => this.drop(shards));
  }

  private drop(shards: readonly number[]): void {
    const gone = new Set(shards);
    this.judged.remove(shards);
    for (const [key, d] of this.dirty) if (gone.has(shardOf(d.siteKey))) this.dirty.delete(key);
    for (const key of this.states.keys()) if (gone.has(shardOf(Number(key.slice(key.lastIndexOf(':') + 1))))) this.states.delete(key);
  }

  private async onBatch(result: BatchResult, judge: (siteKey: number) => boolean): Promise<void> {
    const readings = new Map<number, Observation[]>();
    for (const r of result.stored) {
      if (!judge(r.siteKey)) continue;
      const def = metricById(r.metricId);
      if (!def) continue;
      let list = readings.get(r.siteKey);
      if (!list) readings.set(r.siteKey, (list = []));
      list.push({ metric: def.name, ts: r.timeMs, value: r.value });
    }
    const events = new Map<number, SiteEvent[]>();
    for (const e of result.events) {
      if (!judge(e.siteKey)) continue;
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

  /**
   * Time-driven rules (silence, open hazards, derived values) and escalation. Rules holding a
   * device alarm are judged too, only so that the alarm's window can end (clearing the alert):
   * a tick does not count as another trigger of it.
   */
  async tick(nowMs: number): Promise<void> {
    for (const site of this.registry.all()) {
      if (!this.judged.judges(site.key)) continue;
      const timed = (r: { id: string; definition: RuleDefinition }): boolean => r.definition.levels.some((l) => usesTime(l.when));
      const alarmed = (r: { id: string }): boolean => holdsDeviceAlarm(this.states.get(`${r.id}:${site.key}`));
      const rules = this.rulesFor(site).filter((r) => timed(r) || alarmed(r));
      if (rules.length === 0) continue;
      const derived = this.opts.derived(site);
      const lastSeenMs = this.opts.lastSeenMs(site.key) ?? this.startedMs;
      for (const rule of rules) await this.run(site, rule, { derived, nowMs, lastSeenMs }, !timed(rule));
    }
    await this.escalate(nowMs);
  }

  private async run(site: SiteMeta, rule: { id: string; definition: RuleDefinition }, input: EvaluationInput, clearOnly = false): Promise<void> {
    const key = `${rule.id}:${site.key}`;
    const ctx = { id: site.id, kind: site.kind, params: site.params, intervalS: siteInterval(site).seconds };
    const out = evaluate(rule.definition, ctx, this.states.get(key) ?? emptyState(), input);
    this.states.set(key, out.state);
    this.dirty.set(key, { ruleId: rule.id, siteKey: site.key });
    if (out.triggered && !clearOnly) {
      const { severity, ts, values, events } = out.triggered;
      const detail: Record<string, unknown> = { values, at: new Date(ts).toISOString() };
      if (events) detail.events = events.map((e) => ({ type: e.type, at: new Date(e.ts).toISOString(), data: e.data }));
      // Backfilled or buffered data: recorded, shown as history, never rung (docs/contract.md §4.5).
      if (isHistorical(ts, input.nowMs, ctx.intervalS)) detail.historical = true;
      const { alert, news } = await this.store.trigger({ siteKey: site.key, ruleId: rule.id, severity, atMs: ts, title: rule.definition.title, detail });
      this.trackOpen(alert);
      if (news) this.announce(news, alert);
      // A new alert, or one that now holds on current data, goes to whoever is on call (if it has nobody).
      if (news && !alert.assigned_to) await this.assignOnDuty(alert, site, input.nowMs);
    }
    if (out.cleared || (out.level === null && out.triggered !== null)) {
      const cleared = await this.store.clear(site.key, rule.id, input.nowMs);
      if (cleared) this.announce('cleared', cleared);
    }
  }

  private async escalate(nowMs: number): Promise<void> {
    for (const a of await this.store.awaitingAcknowledgement(10_000)) {
      // Each alert is escalated by the hub judging its site: once across a cluster.
      const site = this.registry.lookup(a.site);
      if (!site || !this.judged.judges(site.key)) continue;
      // From when it first held on current data: an alert opened from a backfill is nobody's
      // emergency until then (and its opening time may be days old).
      const openFor = nowMs - Date.parse(a.current_since);
      const since = nowMs - Date.parse(a.announced_at);
      const due = (this.opts.escalateMin * 60_000) * (a.escalation_level + 1);
      if (openFor >= due) {
        const e = await this.store.escalate(a.id, 'escalated');
        if (e) this.announce('escalated', e);
        if (e) await this.assignOnDuty(e, site, nowMs);
      } else if (since >= this.opts.reannounceMin * 60_000) {
        const e = await this.store.escalate(a.id, 'reannounced');
        if (e) this.announce('reannounced', e);
      }
    }
  }

  /**
   * Gives the alert to the person the roster has on call for its site's area at its escalation
   * level (first on call when opened, the next at each escalation): recorded and announced.
   * Alerts from old data (historical) are left alone.
   * Runs on the hub judging the site, once; a failure is logged and leaves the alert as it was.
   */
  private async assignOnDuty(alert: AlertRecord, site: SiteMeta, nowMs: number): Promise<void> {
    if (alert.detail.historical === true) return; // from old data: nobody's emergency now
    const pick = this.opts.onDuty?.(site, alert.escalation_level, nowMs);
    if (!pick || pick.username === alert.assigned_to) return;
    try {
      const assigned = await this.store.assignFromRoster(alert.id, pick.username, { area: pick.area, position: pick.position, escalation_level: alert.escalation_level });
      if (assigned) this.announce('assigned', assigned);
    } catch (err) {
      this.log.warn({ err: String(err), alert: alert.id }, 'alert not assigned from the duty roster');
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
