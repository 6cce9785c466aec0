import { addDays, dayStartMs, localDate } from '../common/district-time.js';
import type { Logger } from '../logging/logger.js';
import type { ArchiveState, ReportVersionInfo, VersionDiff, VersionWhy } from '@tidewatch/contracts';
import { diffReports, dueByRule, sawOf, staleState, type ArchiveLine } from './archive.js';
import { DocumentCache } from './document-cache.js';
import { buildMonthlyReport, type MonthlyReport } from './monthly-report.js';
import type { DocumentFormat } from './render-document.js';
import { isRefusal, RenderLimiter, type Refusal } from './render-limiter.js';
import type { ReportFont } from './render-pdf.js';
import type { ReportRenderer } from './report-renderer.js';
import { daysOfMonth, type ReportSources } from './report-sources.js';
import type { Lang } from './report-tables.js';
import type { ArchivedReport, LateFacts, ReportsRepository } from './reports.repository.js';

export const REPORT_FORMATS = ['json', 'html', 'pdf', 'xlsx', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderedReport {
  body: Buffer | string;
  contentType: string;
  filename: string;
  /** Rendered documents: whether this one came from the cache. */
  cache?: 'hit' | 'miss';
}

/** Late device data (buffered batches) is taken in for a day after the month ends before it is archived. */
export const ARCHIVE_AFTER_MS = 24 * 3_600_000;
/** The running month's figures are recomputed at most this often. */
const CACHE_MS = 60_000;
/** Renderings one user may have in flight; past that, 429. */
export const RENDERS_PER_USER = 2;
/** Renderings waiting for a worker; past that, 503. */
export const RENDER_QUEUE_MAX = 16;
/** Rendered documents kept for repeated requests. */
export const DOCUMENT_CACHE_BYTES = 64 * 1024 * 1024;

export type { ArchiveState, VersionDiff } from '@tidewatch/contracts';

export class NoReportFontError extends Error {}

/** A version that was never published (404). */
export class NoSuchVersionError extends Error {}

/** Too many renderings in flight, for this user (`reason: 'user'`) or for the hub (`'busy'`). */
export class RenderRefusedError extends Error {
  constructor(readonly refusal: Refusal) {
    super(
      refusal.reason === 'user'
        ? `at most ${RENDERS_PER_USER} report documents are rendered at a time per user; retry in ${refusal.retryAfterS} s`
        : `the hub is rendering too many report documents; retry in ${refusal.retryAfterS} s`,
    );
  }
}

/** A month's figures and what identifies them: the archived version, or the computation they came from. */
interface Figures {
  report: MonthlyReport;
  version: string;
  /** When the archived figures were generated; null for figures computed now. */
  archivedAtMs: number | null;
}

/** A month in `GET /api/reports`: its newest version's state and every version. */
export interface ArchivedMonth extends ArchiveState {
  month: string;
  versions: ReportVersionInfo[];
}

/** The month before YYYY-MM. */
export function previousMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Monthly reports: figures computed once per month (archived once the month is over), rendered per format. */
export class ReportService {
  private readonly cache = new Map<string, { at: number } & Figures>();
  private readonly inflight = new Map<string, Promise<Figures>>();
  private readonly documents = new DocumentCache(DOCUMENT_CACHE_BYTES);
  private readonly rendering = new Map<string, Promise<Buffer>>();
  private readonly limiter: RenderLimiter;
  /** Published versions never change: kept by month and number. */
  private readonly published = new Map<string, ArchivedReport>();
  private ruleRun: Promise<string[]> | null = null;

  constructor(
    private readonly archive: Pick<ReportsRepository, 'find' | 'findVersion' | 'exists' | 'insertIfAbsent' | 'addVersion' | 'lastReviewedMs' | 'lateFacts' | 'versions' | 'nowMs'>,
    private readonly sources: ReportSources,
    private readonly tz: string,
    private readonly district: { zh: string; en: string },
    private readonly font: ReportFont | null,
    private readonly log: Logger,
    private readonly renderer: ReportRenderer,
    /** The rule: a stale month is regenerated after this long without new data for it. */
    private readonly quietMs = 3_600_000,
  ) {
    this.limiter = new RenderLimiter({ perUser: RENDERS_PER_USER, total: renderer.size + RENDER_QUEUE_MAX });
  }

  /** Whether the month has begun in the district's time. */
  hasBegun(month: string, nowMs = Date.now()): boolean {
    return month <= localDate(nowMs, this.tz).slice(0, 7);
  }

  async figures(month: string, nowMs = Date.now()): Promise<MonthlyReport> {
    return (await this.current(month, nowMs)).report;
  }

  private async current(month: string, nowMs = Date.now()): Promise<Figures> {
    const cached = this.cache.get(month);
    // A closed month not archived yet (no data so far) is computed anew: a backfill may have just brought its first data.
    if (cached && nowMs - cached.at < CACHE_MS && (cached.archivedAtMs !== null || !this.archivable(month, nowMs))) return cached;
    let p = this.inflight.get(month);
    if (!p) {
      p = this.load(month, nowMs).finally(() => this.inflight.delete(month));
      this.inflight.set(month, p);
    }
    const figures = await p;
    this.cache.set(month, { at: nowMs, ...figures });
    if (this.cache.size > 24) this.cache.delete(this.cache.keys().next().value!);
    return figures;
  }

  private async load(month: string, nowMs: number): Promise<Figures> {
    const archived = await this.archive.find(month);
    if (archived) return { report: archived.figures, ...archivedVersion(archived.generated_at, nowMs) };
    const gatheredAtMs = await this.archive.nowMs();
    const report = buildMonthlyReport(await this.sources.gather(month, nowMs));
    let figures: Figures = { report, version: `computed ${nowMs}`, archivedAtMs: null };
    if (this.archivable(month, nowMs) && report.has_data) {
      const inserted = await this.archive.insertIfAbsent(month, report, await this.saw(month, report, gatheredAtMs));
      if (inserted) figures = { report, ...archivedVersion(inserted.generated_at, nowMs) };
      this.log.info({ month }, 'monthly report archived');
    }
    return figures;
  }

  /**
   * Archives last month once it is a day old, so the published report exists without anyone
   * asking first (the hub checks at start and hourly; several hubs may race: the first insert wins).
   * A month without any data is left unarchived, so that a later backfill still counts.
   * Returns the month archived now, if any.
   */
  async archiveDue(nowMs = Date.now()): Promise<string | null> {
    const month = previousMonth(localDate(nowMs, this.tz).slice(0, 7));
    if (!this.archivable(month, nowMs)) return null;
    if (await this.archive.exists(month)) return null;
    return (await this.figures(month, nowMs)).has_data ? month : null;
  }

  /**
   * Recomputes a month's figures (an admin, or the rule once a stale month's late data has
   * settled) and, if the month is over, publishes them as a new version: no version is ever
   * overwritten. Answers the figures with their archive state.
   */
  async regenerate(month: string, by: string | null, why: Exclude<VersionWhy, 'scheduled'> = 'admin', nowMs = Date.now()): Promise<MonthlyReport & { archive: ArchiveState }> {
    const gatheredAtMs = await this.archive.nowMs();
    const report = buildMonthlyReport(await this.sources.gather(month, nowMs));
    let figures: Figures = { report, version: `computed ${nowMs}`, archivedAtMs: null };
    // Within the day after the month, late data is still coming: recomputed, but not archived yet.
    if (this.archivable(month, nowMs) && report.has_data) {
      const stored = await this.archive.addVersion(month, report, by, why, await this.saw(month, report, gatheredAtMs));
      if (stored) figures = { report, ...archivedVersion(stored.generated_at, nowMs) };
      this.log.info({ month, by, why, version: stored?.version }, 'monthly report regenerated: a new version published');
    }
    this.cache.set(month, { at: nowMs, ...figures });
    this.documents.deletePrefix(`${month}|`);
    const facts = figures.archivedAtMs === null ? null : await this.facts(month);
    return { ...report, archive: facts ? this.stateOf(facts, facts.version, facts.generatedAtMs) : notArchived() };
  }

  /**
   * The rule (run on one hub of a cluster): every archived month whose newest version is stale
   * and whose late data has settled (none for the quiet period) is regenerated, once.
   * Returns the months regenerated.
   */
  async regenerateDue(nowMs = Date.now()): Promise<string[]> {
    // A check still running (a regeneration takes a while) is not doubled: each stale month gets one new version.
    if (this.ruleRun) return [];
    this.ruleRun = this.runRule(nowMs).finally(() => {
      this.ruleRun = null;
    });
    return this.ruleRun;
  }

  private async runRule(nowMs: number): Promise<string[]> {
    const dbNowMs = await this.archive.nowMs();
    const due = (await this.archive.lateFacts()).filter((f) => dueByRule(staleState(f.gatheredAtMs, f.late, f.reviewedMs), dbNowMs, this.quietMs));
    const done: string[] = [];
    for (const f of due) {
      try {
        await this.regenerate(f.month, null, 'rule', nowMs);
        done.push(f.month);
      } catch (err) {
        this.log.warn({ month: f.month, err: String(err) }, 'regenerating a stale monthly report failed; tried again at the next check');
      }
    }
    return done;
  }

  /** Every archived month with its state and versions, newest month first. */
  async list(): Promise<ArchivedMonth[]> {
    const [facts, versions] = await Promise.all([this.archive.lateFacts(), this.archive.versions()]);
    return facts
      .sort((a, b) => b.month.localeCompare(a.month))
      .map((f) => ({
        month: f.month,
        ...this.stateOf(f, f.version, f.generatedAtMs),
        versions: (versions.get(f.month) ?? []).map((v) => ({ ...v, generated_at: v.generated_at.toISOString(), gathered_at: v.gathered_at.toISOString() })),
      }));
  }

  /** The headline figures that changed between two versions of a month (default: the newest and the one before). */
  async diff(month: string, from?: number, to?: number): Promise<VersionDiff> {
    const facts = await this.facts(month);
    if (!facts) throw new NoSuchVersionError(`${month} is not archived`);
    const toV = to ?? facts.version;
    const fromV = from ?? Math.max(1, toV - 1);
    const [a, b] = await Promise.all([this.version(month, fromV, facts), this.version(month, toV, facts)]);
    return {
      month,
      from: { version: fromV, generated_at: iso(a.generated_at) },
      to: { version: toV, generated_at: iso(b.generated_at) },
      changes: diffReports(a.figures, b.figures),
    };
  }

  /**
   * The month's report in one format, for user `userId`. Documents are rendered by the
   * renderer (worker threads), at most RENDERS_PER_USER at a time per user, and kept in a
   * cache keyed by the figures' version; identical renderings in flight are shared.
   */
  async render(month: string, format: ReportFormat, lang: Lang, userId: number, version?: number): Promise<RenderedReport> {
    let facts = await this.facts(month);
    if (version !== undefined && (!facts || version > facts.version)) throw new NoSuchVersionError(`${month} has no version ${version}`);
    let computed: { report: MonthlyReport; version: string; state: ArchiveState } | null = null;
    if (!facts) {
      // Not archived yet: computed (and archived now, if the month is due).
      const now = await this.current(month);
      facts = now.archivedAtMs === null ? null : await this.facts(month);
      computed = { report: now.report, version: now.version, state: notArchived() };
    }
    const n = version ?? facts?.version;
    const filename = `tidewatch-report-${month}${version === undefined ? '' : `-v${version}`}-${lang}.${format}`;
    const load = async (): Promise<{ report: MonthlyReport; version: string; state: ArchiveState }> => {
      if (!facts || n === undefined) return computed!;
      const v = await this.version(month, n, facts);
      return { report: v.figures, version: `v${n}`, state: { ...this.stateOf(facts, n, new Date(v.generated_at!).getTime()), why: v.why } };
    };
    if (format === 'json') {
      const { report, state } = await load();
      return { body: JSON.stringify({ ...report, archive: state }), contentType: 'application/json; charset=utf-8', filename };
    }
    if (format === 'pdf' && !this.font) throw new NoReportFontError('no font with Chinese glyphs for PDF reports: install fonts-noto-cjk or set REPORT_FONT');
    const contentType = CONTENT_TYPES[format];
    // An archived version's document also says whether it is superseded or stale, and why.
    const line = facts && n !== undefined ? `v${n}/${facts.version}|${staleState(facts.gatheredAtMs, facts.late, facts.reviewedMs).stale_reasons.join(',')}` : undefined;
    if (line) {
      const cached = this.documents.get(`${month}|${format}|${lang}|${line}`);
      if (cached) return { body: cached, contentType, filename, cache: 'hit' };
    }
    const { report, version: id, state } = await load();
    const key = `${month}|${format}|${lang}|${line ?? id}`;
    const cached = this.documents.get(key);
    if (cached) return { body: cached, contentType, filename, cache: 'hit' };
    const releaseUser = this.limiter.user(userId);
    if (isRefusal(releaseUser)) throw new RenderRefusedError(releaseUser);
    try {
      return { body: await this.renderOnce(key, report, format, lang, archiveLine(state, this.tz)), contentType, filename, cache: 'miss' };
    } finally {
      releaseUser();
    }
  }

  /** What makes the month's newest version stale, or null when the month is not archived. */
  private async facts(month: string): Promise<LateFacts | null> {
    return (await this.archive.lateFacts(month))[0] ?? null;
  }

  /** A published version (the newest, or an earlier one), from memory once read: versions never change. */
  private async version(month: string, n: number, facts: LateFacts): Promise<ArchivedReport> {
    if (n < 1 || n > facts.version) throw new NoSuchVersionError(`${month} has no version ${n}`);
    const key = `${month}#${n}`;
    const known = this.published.get(key);
    if (known) return known;
    const found = await this.archive.findVersion(month, n);
    if (!found) throw new NoSuchVersionError(`${month} has no version ${n}`);
    this.published.set(key, found);
    if (this.published.size > 24) this.published.delete(this.published.keys().next().value!);
    return found;
  }

  /** The state of version `n` of an archived month, given what makes its newest version stale. */
  private stateOf(facts: LateFacts, n: number, generatedAtMs: number): ArchiveState {
    const s = staleState(facts.gatheredAtMs, facts.late, facts.reviewedMs);
    const superseded = n < facts.version;
    return {
      archived_at: iso(generatedAtMs),
      reviewed_at: facts.reviewedMs === null ? null : iso(facts.reviewedMs),
      stale: superseded || s.stale,
      version: n,
      newest_version: facts.version,
      superseded,
      why: n === facts.version ? facts.why : undefined,
      stale_since: s.stale_since,
      stale_reasons: s.stale_reasons,
      late_data_at: s.late_data_at,
      regenerate_after: s.late_data_at === null ? null : iso(Date.parse(s.late_data_at) + this.quietMs),
    };
  }

  /** What a version's figures were computed from (stored with it). */
  private async saw(month: string, report: MonthlyReport, gatheredAtMs: number) {
    const reviewedMs = await this.archive.lastReviewedMs(dayStartMs(`${month}-01`, this.tz), this.endMs(month));
    return sawOf(report, gatheredAtMs, reviewedMs);
  }

  /** Stops the render workers (the hub is stopping). */
  async close(): Promise<void> {
    await this.renderer.close();
  }

  private renderOnce(key: string, report: MonthlyReport, format: DocumentFormat, lang: Lang, archive: ArchiveLine | null): Promise<Buffer> {
    const shared = this.rendering.get(key);
    if (shared) return shared;
    const release = this.limiter.render();
    if (isRefusal(release)) throw new RenderRefusedError(release);
    const p = this.renderer
      .render({ report, format, lang, district: this.district, font: this.font, archive })
      .then((body) => {
        this.documents.set(key, body);
        return body;
      })
      .finally(() => {
        release();
        this.rendering.delete(key);
      });
    this.rendering.set(key, p);
    return p;
  }

  private archivable(month: string, nowMs: number): boolean {
    return nowMs >= this.endMs(month) + ARCHIVE_AFTER_MS;
  }

  private endMs(month: string): number {
    const days = daysOfMonth(month);
    return dayStartMs(addDays(days[days.length - 1]!, 1), this.tz);
  }
}

const CONTENT_TYPES: Record<DocumentFormat, string> = {
  html: 'text/html; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** An archived report is identified by when it was generated (a regeneration, on any hub, changes it). */
function archivedVersion(generatedAt: Date | undefined, nowMs: number): Omit<Figures, 'report'> {
  if (!generatedAt) return { version: `computed ${nowMs}`, archivedAtMs: null };
  const ms = new Date(generatedAt).getTime();
  return { version: `archived ${new Date(ms).toISOString()}`, archivedAtMs: ms };
}

const iso = (ms: number | Date | undefined): string => new Date(ms ?? 0).toISOString();

function notArchived(): ArchiveState {
  return { archived_at: null, reviewed_at: null, stale: false };
}

/** The line a rendered document shows for an archived version (none for figures computed now). */
function archiveLine(state: ArchiveState, tz: string): ArchiveLine | null {
  if (state.archived_at === null || state.version === undefined) return null;
  return {
    version: state.version,
    newest_version: state.newest_version ?? state.version,
    generated_at: state.archived_at,
    stale: state.stale,
    stale_reasons: state.stale_reasons ?? [],
    time_zone: tz,
  };
}
