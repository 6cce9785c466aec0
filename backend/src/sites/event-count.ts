/** How many events of one type a site sent in a period (for the goals board and the report). */
export interface EventCount {
  site: string;
  type: string;
  count: number;
  /** Hazards listed by failed inspections (inspection events only). */
  hazards: number;
  failed: number;
}
