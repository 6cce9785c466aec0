import { metricFor } from '@tidewatch/contracts';
import type { Report } from './district.js';
import type { Random } from './random.js';

/** One MQTT message a device sends. */
export interface Outgoing {
  payload: string;
  /** The message is deliberately broken (for counting in tests). */
  fault?: 'malformed' | 'out_of_range' | 'duplicate' | 'late_batch' | 'spike' | 'stuck';
}

interface DeviceFaultState {
  dropoutUntil: number;
  stuck: { values: Record<string, number>; left: number } | null;
  late: { until: number; readings: { ts: number; values: Record<string, number> }[] } | null;
}

/** Per report: how likely each fault is to start (sensor-faults scenario). */
export const FAULT_RATES = { dropout: 0.01, stuck: 0.01, spike: 0.02, outOfRange: 0.01, malformed: 0.01, duplicate: 0.03, late: 0.01 };

/**
 * Misbehaving devices: dropouts (nothing sent for a while), stuck values (the same values
 * repeated), spikes (one value jumps), out-of-range values, malformed JSON, duplicated
 * messages, and late buffered batches (readings held back, then sent together).
 */
export class FaultInjector {
  private readonly state = new Map<string, DeviceFaultState>();

  constructor(private readonly rnd: Random) {}

  transform(report: Report): Outgoing[] {
    const s = this.stateOf(report.site.id);
    const r = this.rnd;
    if (report.ts < s.dropoutUntil) return [];
    if (r.next() < FAULT_RATES.dropout) {
      s.dropoutUntil = report.ts + r.between(5, 20) * 60_000;
      return [];
    }
    let values = report.values;
    let fault: Outgoing['fault'];
    if (s.stuck) {
      values = s.stuck.values;
      fault = 'stuck';
      if (--s.stuck.left <= 0) s.stuck = null;
    } else if (r.next() < FAULT_RATES.stuck) {
      s.stuck = { values, left: 10 };
    }
    if (r.next() < FAULT_RATES.spike) {
      values = this.spike(report, values, false);
      fault = 'spike';
    } else if (r.next() < FAULT_RATES.outOfRange) {
      values = this.spike(report, values, true);
      fault = 'out_of_range';
    }
    if (s.late || r.next() < FAULT_RATES.late) {
      s.late ??= { until: report.ts + 10 * 60_000, readings: [] };
      s.late.readings.push({ ts: report.ts, values });
      if (report.ts < s.late.until) return [];
      const batch = JSON.stringify({ readings: s.late.readings });
      s.late = null;
      return [{ payload: batch, fault: 'late_batch' }];
    }
    const payload = JSON.stringify({ ts: report.ts, values });
    if (r.next() < FAULT_RATES.malformed) return [{ payload: payload.slice(0, Math.floor(payload.length / 2)), fault: 'malformed' }];
    const out: Outgoing[] = [{ payload, fault }];
    if (r.next() < FAULT_RATES.duplicate) out.push({ payload, fault: 'duplicate' });
    return out;
  }

  private spike(report: Report, values: Record<string, number>, outOfRange: boolean): Record<string, number> {
    // Flags and counts are left alone: a spike is an analogue sensor's failure.
    const names = Object.keys(values).filter((n) => {
      const d = metricFor(report.site.kind, n);
      return d && !d.flag && !d.integer;
    });
    if (names.length === 0) return values;
    const name = names[Math.floor(this.rnd.next() * names.length)]!;
    const def = metricFor(report.site.kind, name)!;
    const v = values[name]!;
    const spiked = outOfRange ? def.max + Math.max(1, Math.abs(def.max) * 0.1) : Math.min(def.max, Math.max(def.min, v * 4 + (def.max - def.min) * 0.01));
    return { ...values, [name]: spiked };
  }

  private stateOf(id: string): DeviceFaultState {
    let s = this.state.get(id);
    if (!s) this.state.set(id, (s = { dropoutUntil: 0, stuck: null, late: null }));
    return s;
  }
}
