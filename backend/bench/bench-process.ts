/** CPU time and memory of a process, from Linux's /proc (the hub runs as its own process). */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks a second of /proc/<pid>/stat's times (USER_HZ: 100 on Linux). */
const TICKS_PER_S = 100;

/** User + system CPU seconds the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
}

/** Resident memory now and its peak so far, in MiB. */
export function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/** The process's children, grandchildren and so on that are alive now (the embedded PostgreSQL's processes, say). */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const visit = (p: number): void => {
    const read = <T>(fn: () => T, gone: T): T => {
      try {
        return fn();
      } catch {
        return gone; // the process ended meanwhile
      }
    };
    for (const tid of read(() => readdirSync(`/proc/${p}/task`), [] as string[])) {
      const children = read(() => readFileSync(`/proc/${p}/task/${tid}/children`, 'utf8'), '');
      for (const c of children.split(' ').filter(Boolean).map(Number)) {
        out.push(c);
        visit(c);
      }
    }
  };
  visit(pid);
  return out;
}

/** CPU seconds of the process's living descendants, 0 for those that ended meanwhile. */
export function descendantsCpuSeconds(pid: number): number {
  let sum = 0;
  for (const d of descendants(pid)) {
    try {
      sum += cpuSeconds(d);
    } catch {
      /* ended */
    }
  }
  return sum;
}
