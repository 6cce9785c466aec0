/** The duty roster: who is on call for which kind of site, when (docs/contract.md §4.5). */
import type { Role } from './auth.js';
import type { SiteKind } from './metrics.js';

/** The duty areas: each kind of site belongs to one. */
export const DUTY_AREAS = ['environment', 'gas', 'ports', 'pumps'] as const;
export type DutyArea = (typeof DUTY_AREAS)[number];

const AREA_OF_KIND: Record<SiteKind, DutyArea> = {
  air: 'environment',
  river: 'environment',
  seawater: 'environment',
  wwtp: 'environment',
  gas_point: 'gas',
  ebike_charging: 'gas',
  fishing_port: 'ports',
  pump_station: 'pumps',
};

/** The duty area whose people answer alerts of sites of this kind. */
export function dutyAreaOf(kind: SiteKind): DutyArea {
  return AREA_OF_KIND[kind];
}

/** The longest shift the roster takes. */
export const MAX_SHIFT_HOURS = 7 * 24;
/** The longest period one roster listing covers. */
export const MAX_ROSTER_DAYS = 62;

/** One shift of the roster (times ISO-8601 UTC). `position` 1 is first on call, 2 next, … */
export interface DutyShift {
  id: number;
  area: DutyArea;
  username: string;
  position: number;
  start_at: string;
  end_at: string;
  note: string;
  created_by: string | null;
  updated_at: string;
}

/** `GET /api/roster`: the shifts overlapping [from, to), by start. */
export interface RosterPage {
  from: string;
  to: string;
  shifts: DutyShift[];
}

/** One person on call now. */
export interface OnCall {
  username: string;
  position: number;
  /** When the shift ends. */
  until: string;
}

/** `GET /api/roster/now`: each area's people on call at `at`, first on call first (an area with nobody: empty). */
export interface OnDutyNow {
  at: string;
  areas: Record<DutyArea, OnCall[]>;
}

/** `GET /api/roster/assignable`: the people an alert may be assigned to (operators and admins, enabled). */
export interface Assignee {
  username: string;
  role: Role;
}

/** What the on-call rule needs of a shift. */
export interface ShiftSpan {
  area: DutyArea;
  username: string;
  position: number;
  startMs: number;
  endMs: number;
}

/** The shifts of an area covering instant `t` ([start, end)), in call order (position, then earliest start). */
export function onCallAt<S extends ShiftSpan>(shifts: readonly S[], area: DutyArea, t: number): S[] {
  return shifts.filter((s) => s.area === area && s.startMs <= t && t < s.endMs).sort((a, b) => a.position - b.position || a.startMs - b.startMs);
}

/**
 * Who an alert of escalation level `level` goes to among those on call (in call order): level 0
 * the first on call, level n the (n+1)-th, the last one when fewer are on call; null when nobody is.
 */
export function escalationTarget<S>(onCall: readonly S[], level: number): S | null {
  if (onCall.length === 0) return null;
  return onCall[Math.min(Math.max(0, Math.floor(level)), onCall.length - 1)]!;
}
