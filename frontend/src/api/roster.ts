import type { Assignee, DutyShift, OnDutyNow, RosterPage } from '@tidewatch/contracts';
import { apiFetch } from './http';

export { DUTY_AREAS, type Assignee, type DutyArea, type DutyShift, type OnDutyNow, type RosterPage } from '@tidewatch/contracts';

/** What the roster page sends for a shift (times ISO-8601 with offset). */
export type ShiftInput = Pick<DutyShift, 'area' | 'username' | 'position' | 'start_at' | 'end_at' | 'note'>;

export function fetchRoster(from: string, to: string): Promise<RosterPage> {
  return apiFetch<RosterPage>(`/api/roster?${new URLSearchParams({ from, to }).toString()}`);
}

export function fetchOnDuty(): Promise<OnDutyNow> {
  return apiFetch<OnDutyNow>('/api/roster/now');
}

let assignable: Promise<Assignee[]> | null = null;
/** The people an alert may be assigned to (operators and admins), asked once a page. */
export function fetchAssignable(fresh = false): Promise<Assignee[]> {
  if (!assignable || fresh) assignable = apiFetch<Assignee[]>('/api/roster/assignable').catch((err: unknown) => {
    assignable = null;
    throw err;
  });
  return assignable;
}

export function saveShift(shift: ShiftInput, id?: number): Promise<DutyShift> {
  return apiFetch<DutyShift>(id === undefined ? '/api/roster' : `/api/roster/${id}`, { method: id === undefined ? 'POST' : 'PATCH', body: shift });
}

export function removeShift(id: number): Promise<void> {
  return apiFetch<void>(`/api/roster/${id}`, { method: 'DELETE' });
}
