import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import { ApiError, apiFetch, configureHttp } from '../api/http';
import { createAppI18n } from '../i18n';
import { createAppRouter, sendToLoginWhenSignedOut } from '../router';
import { useAuthStore } from '../stores/auth';
import LoginView from '../views/LoginView.vue';
import PasswordView from '../views/PasswordView.vue';
import { issued, json, stubFetch } from './fixtures';

/** The store wired to the HTTP client as main.ts does. */
function session() {
  const auth = useAuthStore();
  configureHttp({ token: () => auth.token, renew: () => auth.renew(), ended: () => auth.endSession('sessionEnded') });
  return auth;
}

beforeEach(() => {
  setActivePinia(createPinia());
  sessionStorage.clear();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('session renewal', () => {
  it('renews the access token a minute before it expires, with the refresh token', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-28T01:00:00Z') });
    const calls = stubFetch((c) => json(c.url === '/api/auth/login' ? issued(1) : issued(2)));
    const auth = session();
    await auth.login('duty', 'Harbour-watch-2026');
    expect(sessionStorage.getItem('tidewatch.refresh')).toBe(issued(1).refresh_token);
    await vi.advanceTimersByTimeAsync((900 - 61) * 1000);
    expect(calls.map((c) => c.url)).toEqual(['/api/auth/login']);
    await vi.advanceTimersByTimeAsync(2000);
    expect(calls.map((c) => c.url)).toEqual(['/api/auth/login', '/api/auth/refresh']);
    expect(calls[1]!.body).toEqual({ refresh_token: issued(1).refresh_token });
    expect(auth.claims).toMatchObject({ n: 2 });
    expect(sessionStorage.getItem('tidewatch.token')).toBe(auth.token);
    // And the next one from the renewed token's expiry.
    await vi.advanceTimersByTimeAsync(900 * 1000);
    expect(calls.filter((c) => c.url === '/api/auth/refresh')).toHaveLength(2);
  });

  it('on 401s renews once for all concurrent requests and sends each again with the new token', async () => {
    const auth = session();
    const first = issued(1);
    const second = issued(2);
    let releaseRefresh!: () => void;
    const refreshed = new Promise<void>((resolve) => (releaseRefresh = resolve));
    const calls = stubFetch(async (c) => {
      if (c.url === '/api/auth/login') return json(first);
      if (c.url === '/api/auth/refresh') {
        await refreshed;
        return json(second);
      }
      return c.auth === `Bearer ${second.token}` ? json({ path: c.url }) : json({ message: 'a valid bearer token of a live session is required' }, 401);
    });
    await auth.login('duty', 'x');
    const answers = Promise.all([apiFetch('/api/sites'), apiFetch('/api/alerts'), apiFetch('/api/goals')]);
    await vi.waitFor(() => expect(calls.filter((c) => c.url === '/api/auth/refresh')).toHaveLength(1));
    releaseRefresh();
    expect(await answers).toEqual([{ path: '/api/sites' }, { path: '/api/alerts' }, { path: '/api/goals' }]);
    expect(calls.filter((c) => c.url === '/api/auth/refresh')).toHaveLength(1);
    for (const path of ['/api/sites', '/api/alerts', '/api/goals']) {
      expect(calls.filter((c) => c.url === path).map((c) => c.auth)).toEqual([`Bearer ${first.token}`, `Bearer ${second.token}`]);
    }
  });

  it('signs out to the login page with a message when the renewal is refused', async () => {
    const auth = session();
    stubFetch((c) => {
      if (c.url === '/api/auth/login') return json(issued(1));
      if (c.url === '/api/auth/refresh') return json({ message: 'the session has ended: sign in again' }, 401);
      return json({ message: 'unauthorized' }, 401);
    });
    const router = createAppRouter(createMemoryHistory());
    sendToLoginWhenSignedOut(router);
    await auth.login('duty', 'x');
    await router.push('/password');
    expect(router.currentRoute.value.path).toBe('/password');
    await expect(apiFetch('/api/sites')).rejects.toMatchObject({ status: 401 });
    expect(auth.token).toBeNull();
    expect(sessionStorage.getItem('tidewatch.refresh')).toBeNull();
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/login'));
    const w = mount(LoginView, { global: { plugins: [createAppI18n('zh'), router] } });
    expect(w.find('[data-testid=signed-out]').text()).toBe('登录已失效，请重新登录');
  });

  it('calls the API to log out, then forgets the tokens', async () => {
    const auth = session();
    const tokens = issued(1);
    const calls = stubFetch((c) => (c.url === '/api/auth/login' ? json(tokens) : new Response(null, { status: 204 })));
    await auth.login('duty', 'x');
    await auth.logout();
    expect(calls[1]).toMatchObject({ method: 'POST', url: '/api/auth/logout', auth: `Bearer ${tokens.token}` });
    expect(auth.loggedIn).toBe(false);
    expect(auth.signedOutReason).toBeNull();
  });
});

describe('login page', () => {
  it('shows how long a locked-out sign-in must wait', async () => {
    session();
    stubFetch(() => json({ statusCode: 429, message: 'too many failed sign-ins for this username: try again in 14 min' }, 429, { 'retry-after': '840' }));
    const router = createAppRouter(createMemoryHistory());
    const w = mount(LoginView, { global: { plugins: [createAppI18n('zh'), router] } });
    await w.find('input[name=username]').setValue('duty');
    await w.find('input[name=password]').setValue('wrong');
    await w.find('form').trigger('submit');
    await vi.waitFor(() => expect(w.find('[role=alert]').text()).toBe('尝试次数过多，账号已暂时锁定，请在 14 分钟后重试'));
  });

  it('says a wrong password is wrong', async () => {
    session();
    stubFetch(() => json({ message: 'wrong username or password' }, 401));
    const w = mount(LoginView, { global: { plugins: [createAppI18n('en'), createAppRouter(createMemoryHistory())] } });
    await w.find('form').trigger('submit');
    await vi.waitFor(() => expect(w.find('[role=alert]').text()).toBe('Wrong username or password'));
  });
});

describe('forced password change', () => {
  it('keeps a user who must change the password on that page until it is changed, and shows the hub’s refusals', async () => {
    const auth = session();
    let changeAnswer = json({ message: 'password: must not contain the username' }, 400);
    const calls = stubFetch((c) => (c.url === '/api/auth/login' ? json(issued(1, { username: 'night-shift', mustChange: true })) : changeAnswer));
    const router = createAppRouter(createMemoryHistory());
    await auth.login('night-shift', 'Night-watch-2026');
    for (const path of ['/', '/admin', '/elsewhere']) {
      await router.push(path);
      expect(router.currentRoute.value.path).toBe('/password');
    }
    const w = mount(PasswordView, { global: { plugins: [createAppI18n('zh'), router] } });
    expect(w.find('[data-testid=password-forced]').exists()).toBe(true);
    expect(w.find('a[href="/"]').exists()).toBe(false); // no way back to the map yet
    expect(w.findAll('.rules li').map((li) => li.text())).toContain('至少 10 个字符');

    await w.find('input[name=current-password]').setValue('Night-watch-2026');
    await w.find('input[name=new-password]').setValue('Night-shift-2027');
    expect(w.find('[data-rule=ruleLength]').classes()).toContain('met');
    expect(w.find('[data-rule=ruleUsername]').classes()).toContain('unmet');
    await w.find('input[name=confirm-password]').setValue('Night-shift-2028');
    await w.find('form').trigger('submit');
    expect(w.find('[role=alert]').text()).toBe('两次输入的新密码不一致');
    expect(calls).toHaveLength(1);

    await w.find('input[name=confirm-password]').setValue('Night-shift-2027');
    await w.find('form').trigger('submit');
    await vi.waitFor(() => expect(w.find('[role=alert]').text()).toBe('未能修改：密码不能包含用户名'));
    expect(calls[1]).toMatchObject({ method: 'POST', url: '/api/auth/password', body: { current_password: 'Night-watch-2026', new_password: 'Night-shift-2027' } });
    expect(router.currentRoute.value.path).toBe('/password');

    changeAnswer = new Response(null, { status: 204 });
    await w.find('input[name=new-password]').setValue('Harbour-watch-2026');
    await w.find('input[name=confirm-password]').setValue('Harbour-watch-2026');
    await w.find('form').trigger('submit');
    // The map's view loads with its libraries: allow it time.
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/'), { timeout: 10_000 });
    await flushPromises();
    expect(auth.mustChangePassword).toBe(false);
    expect(sessionStorage.getItem('tidewatch.mustChange')).toBe('false');
  });

  it('is reachable by anyone signed in, with a way back', async () => {
    const auth = session();
    stubFetch(() => json(issued(1)));
    const router = createAppRouter(createMemoryHistory());
    await auth.login('duty', 'x');
    await router.push('/password');
    expect(router.currentRoute.value.path).toBe('/password');
    const w = mount(PasswordView, { global: { plugins: [createAppI18n('en'), router] } });
    expect(w.find('[data-testid=password-forced]').exists()).toBe(false);
    expect(w.find('a[href="/"]').text()).toBe('Back to monitoring');
  });
});

describe('ApiError', () => {
  it('keeps Retry-After', async () => {
    stubFetch(() => json({ message: 'database unavailable' }, 503, { 'retry-after': '5' }));
    const err = (await apiFetch('/api/sites').catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect([err.status, err.message, err.retryAfterS]).toEqual([503, 'database unavailable', 5]);
  });
});
