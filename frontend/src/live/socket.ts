import type { LatestAqi, LiveSnapshot, SiteSnapshot } from '@tidewatch/contracts';
import { io, type Socket } from 'socket.io-client';
import { ref } from 'vue';
import { useAlertsStore, type AlertEvent } from '../stores/alerts';
import { useAqiStore } from '../stores/aqi';
import { useAuthStore } from '../stores/auth';
import { useSitesStore } from '../stores/sites';
import { announceCritical } from './presence';

/** The one module that owns the socket: the hub's snapshot on (re)connect, then deltas into the stores. */
export const connection = ref<'connecting' | 'live' | 'down'>('connecting');
let socket: Socket | null = null;
/** Wait before connecting again after the hub could not check the token (database away). */
const RETRY_MS = 5000;

/** Every (re)connect presents the current access token; the auth store keeps it fresh. */
export function connectLive(): void {
  disconnectLive();
  const auth = useAuthStore();
  const sites = useSitesStore();
  const alerts = useAlertsStore();
  const aqi = useAqiStore();
  // One renewal per refused connection attempt: a second refusal means the session is over.
  let renewedForRetry = false;
  connection.value = 'connecting';
  const live = io('/live', {
    auth: (send) => send({ token: auth.token }),
    transports: ['websocket'],
    reconnectionDelayMax: 5000,
  });
  socket = live;
  const retryLater = (): void => {
    setTimeout(() => {
      if (socket === live) live.connect();
    }, RETRY_MS);
  };
  const reconnectWithRenewedToken = async (): Promise<void> => {
    try {
      if ((await auth.renew()) && socket === live) live.connect();
    } catch {
      retryLater(); // the hub could not renew now: not a refusal
    }
  };
  live.on('connect', () => {
    renewedForRetry = false;
    connection.value = 'live';
  });
  // The hub sends one snapshot after every connect (and subscribe); what arrived before it and is newer survives.
  live.on('snapshot', (snap: LiveSnapshot) => {
    sites.load(snap.sites);
    alerts.load(snap.alerts, snap.at);
    aqi.load(snap.aqi);
  });
  live.on('disconnect', (reason) => {
    connection.value = 'down';
    // The hub closes the socket when the token expires or the session is revoked; socket.io
    // does not reconnect after that by itself.
    if (reason === 'io server disconnect' && socket === live) live.connect();
  });
  live.on('connect_error', (err: Error) => {
    connection.value = 'down';
    // Refusals by the hub's middleware are not retried by socket.io: this module decides.
    if (live.active) return;
    if (!err.message.startsWith('unauthorized')) return retryLater();
    if (renewedForRetry) return auth.endSession('sessionEnded');
    renewedForRetry = true;
    void reconnectWithRenewedToken();
  });
  live.on('site', (s: SiteSnapshot) => sites.update(s));
  live.on('alert', (a: AlertEvent) => {
    if (alerts.apply(a).newCritical) announceCritical(a);
  });
  live.on('aqi', (a: LatestAqi) => aqi.set(a));
}

export function disconnectLive(): void {
  socket?.close();
  socket = null;
}
