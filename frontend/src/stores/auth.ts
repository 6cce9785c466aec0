import type { Role, SessionTokens } from '@tidewatch/contracts';
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { ApiError, apiFetch, publicFetch } from '../api/http';

export type { Role };
const ROLES: Role[] = ['viewer', 'operator', 'admin'];
const TOKEN_KEY = 'tidewatch.token';
const REFRESH_KEY = 'tidewatch.refresh';
const MUST_CHANGE_KEY = 'tidewatch.mustChange';
/** Renew this long before the access token expires (or a fifth of its lifetime, when that is shorter). */
const RENEW_LEAD_MS = 60_000;
/** After a renewal that failed for want of the hub (not refused), try again this much later. */
const RENEW_RETRY_MS = 15_000;

interface Claims {
  username: string;
  role: Role;
  exp: number;
  iat?: number;
}

/** What sign-in and renewal answer. */
export type IssuedTokens = SessionTokens;

/** Why the user is back at the login page (shown there). */
export type SignedOutReason = 'sessionEnded';

/** Reads the JWT's claims (the server checks the signature; the page only needs name, role and expiry). */
export function decodeToken(token: string): Claims | null {
  try {
    const payload = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const json = JSON.parse(decodeURIComponent(escape(atob(payload)))) as Partial<Claims>;
    if (typeof json.username !== 'string' || !ROLES.includes(json.role as Role) || typeof json.exp !== 'number') return null;
    return json as Claims;
  } catch {
    return null;
  }
}

function remember(key: string, value: string | null): void {
  if (value === null) sessionStorage.removeItem(key);
  else sessionStorage.setItem(key, value);
}

export const useAuthStore = defineStore('auth', () => {
  const token = ref<string | null>(sessionStorage.getItem(TOKEN_KEY));
  const refreshToken = ref<string | null>(sessionStorage.getItem(REFRESH_KEY));
  const mustChangePassword = ref(sessionStorage.getItem(MUST_CHANGE_KEY) === 'true');
  const signedOutReason = ref<SignedOutReason | null>(null);
  const claims = computed(() => (token.value ? decodeToken(token.value) : null));
  const accessValid = (): boolean => claims.value !== null && claims.value.exp * 1000 > Date.now();
  /** A live access token, or a refresh token that may still get one. */
  const loggedIn = computed(() => claims.value !== null && (refreshToken.value !== null || claims.value.exp * 1000 > Date.now()));

  /** Whether the user's role reaches `role` (viewers see, operators act, admins manage). */
  function can(role: Role): boolean {
    const have = claims.value?.role;
    return have !== undefined && ROLES.indexOf(have) >= ROLES.indexOf(role);
  }

  function startSession(issued: IssuedTokens): void {
    token.value = issued.token;
    refreshToken.value = issued.refresh_token;
    mustChangePassword.value = issued.must_change_password;
    signedOutReason.value = null;
    remember(TOKEN_KEY, issued.token);
    remember(REFRESH_KEY, issued.refresh_token);
    remember(MUST_CHANGE_KEY, String(issued.must_change_password));
  }

  /** Forgets the session on this page (the caller has told the hub, or the hub ended it). */
  function endSession(reason: SignedOutReason | null): void {
    if (token.value === null && refreshToken.value === null) return;
    token.value = null;
    refreshToken.value = null;
    mustChangePassword.value = false;
    signedOutReason.value = reason;
    for (const key of [TOKEN_KEY, REFRESH_KEY, MUST_CHANGE_KEY]) remember(key, null);
  }

  async function login(username: string, password: string): Promise<void> {
    startSession(await publicFetch<IssuedTokens>('/api/auth/login', { method: 'POST', body: { username, password } }));
  }

  let renewing: Promise<boolean> | null = null;

  async function exchangeRefreshToken(): Promise<boolean> {
    const refresh = refreshToken.value;
    if (!refresh) return false;
    try {
      startSession(await publicFetch<IssuedTokens>('/api/auth/refresh', { method: 'POST', body: { refresh_token: refresh } }));
      return true;
    } catch (err) {
      // Refused (expired, revoked, replayed): the session is over. Anything else (hub away) may pass.
      if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 429) {
        endSession('sessionEnded');
        return false;
      }
      throw err;
    }
  }

  /**
   * A new access token from the refresh token. Concurrent callers share one exchange (the
   * hub rotates refresh tokens, and a second use of the old one would end the session).
   * False when the hub refused: the session has ended. Throws when the hub could not answer.
   */
  function renew(): Promise<boolean> {
    renewing ??= exchangeRefreshToken().finally(() => (renewing = null));
    return renewing;
  }

  /** Renews the access token first when it has expired (a page reopened after a while). */
  async function ensureFreshToken(): Promise<boolean> {
    if (accessValid()) return true;
    try {
      return await renew();
    } catch {
      return false;
    }
  }

  let renewTimer: ReturnType<typeof setTimeout> | null = null;

  function scheduleRenewal(): void {
    if (renewTimer) clearTimeout(renewTimer);
    renewTimer = null;
    const c = claims.value;
    if (!c || !refreshToken.value) return;
    const lifetimeMs = c.iat !== undefined ? (c.exp - c.iat) * 1000 : Infinity;
    const lead = Math.min(RENEW_LEAD_MS, lifetimeMs / 5);
    const delay = Math.max(0, c.exp * 1000 - Date.now() - lead);
    renewTimer = setTimeout(() => {
      renew().catch(() => {
        renewTimer = setTimeout(scheduleRenewal, RENEW_RETRY_MS);
      });
    }, delay);
  }
  watch(token, scheduleRenewal, { immediate: true });

  async function logout(): Promise<void> {
    if (token.value) await apiFetch('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
    endSession(null);
  }

  /** Changes the user's own password (the hub ends every other session of theirs). */
  async function changePassword(current: string, next: string): Promise<void> {
    await apiFetch('/api/auth/password', { method: 'POST', body: { current_password: current, new_password: next } });
    mustChangePassword.value = false;
    remember(MUST_CHANGE_KEY, 'false');
  }

  return { token, refreshToken, claims, loggedIn, mustChangePassword, signedOutReason, can, login, logout, renew, ensureFreshToken, endSession, changePassword };
});
