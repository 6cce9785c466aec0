import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { apiFetch } from '../api/http';

export type Role = 'viewer' | 'operator' | 'admin';
const ROLES: Role[] = ['viewer', 'operator', 'admin'];
const KEY = 'tidewatch.token';

interface Claims {
  username: string;
  role: Role;
  exp: number;
}

/** Reads the JWT's claims (the server checks the signature; the page only needs name and role). */
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

export const useAuthStore = defineStore('auth', () => {
  const token = ref<string | null>(sessionStorage.getItem(KEY));
  const claims = computed(() => (token.value ? decodeToken(token.value) : null));
  const loggedIn = computed(() => claims.value !== null && claims.value.exp * 1000 > Date.now());

  /** Whether the user's role reaches `role` (viewers see, operators act, admins manage). */
  function can(role: Role): boolean {
    const have = claims.value?.role;
    return have !== undefined && ROLES.indexOf(have) >= ROLES.indexOf(role);
  }

  async function login(username: string, password: string): Promise<void> {
    const res = await apiFetch<{ token: string }>('/api/auth/login', { method: 'POST', body: { username, password } });
    token.value = res.token;
    sessionStorage.setItem(KEY, res.token);
  }

  function logout(): void {
    token.value = null;
    sessionStorage.removeItem(KEY);
  }

  return { token, claims, loggedIn, can, login, logout };
});
