import { ref } from 'vue';

/**
 * Parts of the hub its public /api/health reports down (db, mqtt, …): the socket can be live
 * while the hub cannot store or receive readings. Empty while all are up, and while the hub
 * cannot be asked (the connection indicator says so).
 */
export const partsDown = ref<string[]>([]);
/** One small request per open dashboard every this often. */
export const HEALTH_POLL_MS = 10_000;
let timer: ReturnType<typeof setInterval> | null = null;

/** The parts a health answer reports down: every field but `status` whose value is "down". */
export function downParts(health: unknown): string[] {
  if (!health || typeof health !== 'object') return [];
  return Object.entries(health)
    .filter(([key, value]) => key !== 'status' && value === 'down')
    .map(([key]) => key);
}

async function poll(): Promise<void> {
  try {
    // A degraded hub answers 503 with the same body.
    const res = await fetch('/api/health', { cache: 'no-store' });
    partsDown.value = downParts(await res.json());
  } catch {
    partsDown.value = [];
  }
}

export function watchHealth(): void {
  unwatchHealth();
  void poll();
  timer = setInterval(() => void poll(), HEALTH_POLL_MS);
}

export function unwatchHealth(): void {
  if (timer) clearInterval(timer);
  timer = null;
  partsDown.value = [];
}
