import type { SiteSnapshot } from '@tidewatch/contracts';
import { io, type Socket } from 'socket.io-client';
import { ref } from 'vue';
import { apiFetch } from '../api/http';
import { useAlertsStore, type Alert, type AlertEvent } from '../stores/alerts';
import { useAqiStore, type LatestAqi } from '../stores/aqi';
import { useSitesStore } from '../stores/sites';
import { beep } from './alarm';

/** The one module that owns the socket: a full snapshot on (re)connect, then deltas into the stores. */
export const connection = ref<'connecting' | 'live' | 'down'>('connecting');
let socket: Socket | null = null;

async function snapshot(): Promise<void> {
  const sites = useSitesStore();
  const alerts = useAlertsStore();
  const aqi = useAqiStore();
  const [siteList, open, latest] = await Promise.all([
    apiFetch<SiteSnapshot[]>('/api/sites'),
    apiFetch<Alert[]>('/api/alerts?state=open&limit=1000'),
    apiFetch<LatestAqi>('/api/aqi/latest'),
  ]);
  sites.load(siteList);
  alerts.load(open);
  aqi.set(latest);
}

export function connectLive(token: string, onUnauthorized: () => void): void {
  disconnectLive();
  const sites = useSitesStore();
  const alerts = useAlertsStore();
  const aqi = useAqiStore();
  connection.value = 'connecting';
  socket = io('/live', { auth: { token }, transports: ['websocket'], reconnectionDelayMax: 5000 });
  socket.on('connect', () => {
    connection.value = 'live';
    snapshot().catch(() => undefined);
  });
  socket.on('disconnect', () => (connection.value = 'down'));
  socket.on('connect_error', (err: Error) => {
    connection.value = 'down';
    if (err.message.startsWith('unauthorized')) onUnauthorized();
  });
  socket.on('site', (s: SiteSnapshot) => sites.update(s));
  socket.on('alert', (a: AlertEvent) => {
    if (alerts.apply(a).newCritical) beep();
  });
  socket.on('aqi', (a: LatestAqi) => aqi.set(a));
}

export function disconnectLive(): void {
  socket?.close();
  socket = null;
}
