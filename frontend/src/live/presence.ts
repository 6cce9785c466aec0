import type { AlertRecord } from '@tidewatch/contracts';
import { ref, watch, type WatchStopHandle } from 'vue';
import { useAlarmStore } from '../stores/alarm';
import { beep, lastToneAt, prepareSound } from './alarm';
import { muteActive, toneDue } from './alarm-policy';

/** What the page's texts come from (vue-i18n's `t` and the current language). */
export interface PresenceText {
  t: (key: string, values?: Record<string, unknown>) => string;
  lang: () => string;
}

/** The browser's notification permission, as the page last saw it ('unsupported' without the API). */
export const notificationPermission = ref<NotificationPermission | 'unsupported'>(typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);

let text: PresenceText | null = null;
let stop: (() => void) | null = null;
/** Clicking a notification opens its alert's site: set by the duty view. */
let onOpen: ((siteId: string) => void) | null = null;

export async function askNotificationPermission(): Promise<void> {
  if (typeof Notification === 'undefined') return;
  notificationPermission.value = await Notification.requestPermission();
}

/** A browser notification for a new critical alert (when permitted), staying until clicked or closed. */
function notify(a: AlertRecord): void {
  if (!text || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const zh = text.lang() === 'zh';
  try {
    const n = new Notification(`${text.t('alarm.notifyTitle')} · ${zh ? a.site_name_zh : a.site_name_en}`, {
      body: zh ? a.title_zh : a.title_en,
      tag: `tidewatch-alert-${a.id}`,
      requireInteraction: true,
    });
    n.onclick = () => {
      window.focus();
      onOpen?.(a.site);
      n.close();
    };
  } catch {
    /* a browser that allows notifications only from a service worker (Android): the page still rings */
  }
}

/**
 * A critical alert from current data opened, raised, re-announced or escalated: sound at once
 * and a notification, unless the person muted this very alert (a new one rings through a mute).
 */
export function announceCritical(a: AlertRecord): void {
  const { mute } = useAlarmStore();
  if (muteActive(mute, Date.now()) && mute.ids.includes(a.id)) return;
  beep();
  notify(a);
}

/** The tab's title: the count of critical alerts waiting, blinking while they ring. */
export function tabTitle(t: PresenceText['t'], waiting: number, ringing: boolean, phase: boolean): string {
  if (waiting === 0) return t('app.title');
  const count = t('alarm.tabTitle', { n: waiting });
  return `${ringing && phase ? '⚠ ' : ''}${count} · ${t('app.short')}`;
}

/**
 * While a duty view (dashboard, wall) is open: the clock ticks, the tone repeats until every
 * critical alert is acknowledged (or muted), and the tab's title says how many wait.
 */
export function startPresence(pageText: PresenceText, open: (siteId: string) => void): () => void {
  stop?.();
  text = pageText;
  onOpen = open;
  const alarm = useAlarmStore();
  const releaseSound = prepareSound();
  let phase = false;
  const title = (): void => {
    document.title = tabTitle(pageText.t, alarm.state.waiting.length, alarm.state.ringing.length > 0, phase);
  };
  const timer = setInterval(() => {
    phase = !phase;
    // The clock moves once a second: every waiting time on the page renders again with it.
    if (phase) alarm.tick();
    title();
    if (toneDue(alarm.state, lastToneAt(), Date.now())) beep();
  }, 500);
  const unwatch: WatchStopHandle = watch(() => [alarm.state.waiting.length, pageText.lang()], title, { immediate: true });
  stop = () => {
    clearInterval(timer);
    unwatch();
    releaseSound();
    text = null;
    onOpen = null;
    document.title = pageText.t('app.title');
    stop = null;
  };
  return stop;
}
