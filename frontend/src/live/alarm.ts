import { ref } from 'vue';

let ctx: AudioContext | null = null;

/**
 * Whether the browser holds the alarm's sound back (no audio device, or its autoplay rule:
 * sound only after the person has used the page). The page says so, and offers to enable it.
 */
export const soundBlocked = ref(false);
let toneAt = 0;

/** When the last tone started (epoch ms): the repeating alarm keeps its rhythm from it. */
export function lastToneAt(): number {
  return toneAt;
}

/** Read afresh each time: the state changes behind the compiler's back (resume, statechange). */
function running(c: AudioContext): boolean {
  return c.state === 'running';
}

function audio(): AudioContext | null {
  if (ctx) return ctx;
  try {
    ctx = new AudioContext();
  } catch {
    soundBlocked.value = true;
    return null;
  }
  const c = ctx;
  const update = (): void => {
    soundBlocked.value = !running(c);
  };
  c.addEventListener('statechange', update);
  update();
  return c;
}

/**
 * Prepares the sound when a duty view opens, so that a blocked one is known before the first
 * alarm, and lets any click or key on the page unblock it.
 */
export function prepareSound(): () => void {
  const c = audio();
  const unlock = (): void => {
    void enableSound();
  };
  if (c && !running(c)) void c.resume().catch(() => undefined);
  window.addEventListener('pointerdown', unlock, true);
  window.addEventListener('keydown', unlock, true);
  return () => {
    window.removeEventListener('pointerdown', unlock, true);
    window.removeEventListener('keydown', unlock, true);
  };
}

/** Asks the browser to let the sound play (works from a click or a key press). */
export async function enableSound(): Promise<void> {
  const c = audio();
  if (!c || running(c)) return;
  try {
    await c.resume();
  } catch {
    /* still blocked: the warning stays */
  }
  soundBlocked.value = !running(c);
}

/** One alarm tone: two pitches, 0.6 s. */
export function beep(): void {
  toneAt = Date.now();
  const c = audio();
  if (!c) return;
  try {
    const t = c.currentTime;
    for (const [i, freq] of [880, 660, 880].entries()) {
      const osc = c.createOscillator();
      const gain = c.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.15, t + i * 0.2);
      gain.gain.exponentialRampToValueAtTime(0.001, t + i * 0.2 + 0.18);
      osc.connect(gain).connect(c.destination);
      osc.start(t + i * 0.2);
      osc.stop(t + i * 0.2 + 0.2);
    }
  } catch {
    /* no audio on this device */
  }
}
