import { readFileSync } from 'node:fs';

/** Resident memory of a process from /proc/<pid>/status, in MiB (the field is in kB). */
function statusMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
  if (!line) throw new Error(`no ${field} for process ${pid}`);
  return Number(line.split(/\s+/)[1]) / 1024;
}

/**
 * Samples a process's resident memory every `everyMs` while a fault lasts; `stop` gives
 * the largest sample and the kernel's high-water mark (VmHWM, the peak since the process
 * started, which catches what falls between samples).
 */
export function watchRss(pid: number, everyMs = 100): { stop(): { peakMiB: number; hwmMiB: number } } {
  let peak = statusMiB(pid, 'VmRSS');
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, statusMiB(pid, 'VmRSS'));
    } catch {
      /* the process exited; its last samples stand */
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return { peakMiB: Math.round(peak), hwmMiB: Math.round(statusMiB(pid, 'VmHWM')) };
    },
  };
}
