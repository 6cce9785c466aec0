import { DUTY_AREAS, dutyAreaOf, escalationTarget, onCallAt, type Assignee, type DutyArea, type DutyShift, type OnDutyNow, type RosterPage, type SiteKind } from '@tidewatch/contracts';
import type { Logger } from '../logging/logger.js';
import { ShiftNotFoundError, type CachedShift, type RosterRepository, type ShiftValues } from './roster.repository.js';
import { shiftPeriodProblem, type ShiftCreate, type ShiftPatch } from './roster.schemas.js';
import { InvalidRequestError } from '../common/domain-errors.js';

/** How often the on-call cache is read again (another hub's change shows within this). */
export const ROSTER_REFRESH_MS = 20_000;
/** The cache holds the shifts overlapping [now, now + this): well past the next refresh. */
const WINDOW_MS = 6 * 3_600_000;
/** `GET /api/roster` without `to`: a week from `from`. */
const DEFAULT_SPAN_MS = 7 * 86_400_000;

/** Whom the roster gives an alert to: the person, their area and their position on call. */
export interface DutyPick {
  username: string;
  area: DutyArea;
  position: number;
}

/**
 * The duty roster: its shifts kept in the database, and those around now kept in memory so
 * that opening or escalating an alert asks no query. The cache is read again every
 * ROSTER_REFRESH_MS and at once after a change made through this hub.
 */
export class DutyRoster {
  private shifts: CachedShift[] = [];
  private timer: NodeJS.Timeout | null = null;
  private loadedTo = 0;

  constructor(
    private readonly repo: RosterRepository,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.tryRefresh(), ROSTER_REFRESH_MS);
    this.timer.unref();
  }

  /** Reads the cache again; a failure is logged and the next round tries again (a change made is not undone by it). */
  private async tryRefresh(): Promise<void> {
    try {
      await this.refresh();
    } catch (err) {
      this.log.warn({ err: String(err) }, 'duty roster not refreshed');
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    const from = this.now();
    this.shifts = await this.repo.window(new Date(from), new Date(from + WINDOW_MS));
    this.loadedTo = from + WINDOW_MS;
  }

  /** Those on call in an area at `t` (from the cache), first on call first. */
  onCall(area: DutyArea, t = this.now()): CachedShift[] {
    if (t >= this.loadedTo) return []; // not loaded that far (the cache is stale): nobody rather than a guess
    return onCallAt(this.shifts, area, t);
  }

  /** Whom an alert of a site of `kind` at escalation `level` goes to at `t`: null when nobody is on call. */
  pick(kind: SiteKind, level: number, t = this.now()): DutyPick | null {
    const area = dutyAreaOf(kind);
    const s = escalationTarget(this.onCall(area, t), level);
    return s ? { username: s.username, area, position: s.position } : null;
  }

  /** Each area's people on call now. */
  onDutyNow(): OnDutyNow {
    const t = this.now();
    const areas = Object.fromEntries(
      DUTY_AREAS.map((area) => [area, this.onCall(area, t).map((s) => ({ username: s.username, position: s.position, until: new Date(s.endMs).toISOString() }))]),
    ) as OnDutyNow['areas'];
    return { at: new Date(t).toISOString(), areas };
  }

  async list(from: Date | undefined, to: Date | undefined, area?: DutyArea): Promise<RosterPage> {
    const start = from ?? (to ? new Date(to.getTime() - DEFAULT_SPAN_MS) : new Date(this.now()));
    const end = to ?? new Date(start.getTime() + DEFAULT_SPAN_MS);
    return { from: start.toISOString(), to: end.toISOString(), shifts: await this.repo.list(start, end, area) };
  }

  assignable(): Promise<Assignee[]> {
    return this.repo.assignable();
  }

  async create(b: ShiftCreate, actor: string): Promise<DutyShift> {
    const shift = await this.repo.create({ area: b.area, username: b.username, position: b.position, start: b.start_at, end: b.end_at, note: b.note }, actor);
    await this.tryRefresh();
    return shift;
  }

  /** Changes some fields; the shift as changed obeys the same rules as a new one. */
  async update(id: number, patch: ShiftPatch): Promise<DutyShift> {
    const old = await this.repo.get(id);
    if (!old) throw new ShiftNotFoundError(id);
    const merged: ShiftValues = {
      area: patch.area ?? old.area,
      username: patch.username ?? old.username,
      position: patch.position ?? old.position,
      start: patch.start_at ?? new Date(old.start_at),
      end: patch.end_at ?? new Date(old.end_at),
      note: patch.note ?? old.note,
    };
    const problem = shiftPeriodProblem(merged.start.getTime(), merged.end.getTime());
    if (problem) throw new InvalidRequestError(problem);
    // The repository refuses it too (404) if it was deleted meanwhile.
    const shift = await this.repo.update(id, merged);
    await this.tryRefresh();
    return shift;
  }

  async remove(id: number): Promise<void> {
    await this.repo.remove(id);
    await this.tryRefresh();
  }
}
