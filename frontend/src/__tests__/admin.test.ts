import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import AuditLog from '../components/admin/AuditLog.vue';
import type { UserRow } from '../components/admin/types';
import UsersAdmin from '../components/admin/UsersAdmin.vue';
import { createAppI18n } from '../i18n';
import { useAuthStore } from '../stores/auth';
import { json, jwt, stubFetch } from './fixtures';

const user = (id: number, username: string, role: UserRow['role'], extra: Partial<UserRow> = {}): UserRow => ({
  id, username, role, disabled: false, must_change_password: false, created_at: '2026-11-01T00:00:00.000Z', password_changed_at: '2026-11-01T00:00:00.000Z', ...extra,
});
const USERS = [user(1, 'admin', 'admin'), user(3, 'night-shift', 'operator', { must_change_password: true })];

beforeEach(() => {
  setActivePinia(createPinia());
  useAuthStore().token = jwt({ username: 'admin', role: 'admin', exp: Date.now() / 1000 + 900 });
});

afterEach(() => vi.unstubAllGlobals());

describe('users administration', () => {
  const mountUsers = () => mount(UsersAdmin, { props: { users: USERS }, global: { plugins: [createAppI18n('zh')] } });

  it('changes a role, disables, resets a password and deletes through the right endpoints', async () => {
    const calls = stubFetch((c) => (c.method === 'PATCH' ? json({ ...USERS[1], ...(c.body as object) }) : new Response(null, { status: 204 })));
    const w = mountUsers();
    const row = w.find('tr[data-user=night-shift]');
    expect(row.text()).toContain('待改密');

    await row.find('select[name=role]').setValue('viewer');
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toMatchObject({ method: 'PATCH', url: '/api/users/3', body: { role: 'viewer' } });

    await row.find('[data-action=toggle-disabled]').trigger('click');
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]).toMatchObject({ method: 'PATCH', url: '/api/users/3', body: { disabled: true } });

    await row.find('[data-action=reset]').trigger('click');
    const reset = w.find('[data-testid=reset-password]');
    expect(reset.text()).toContain('为“night-shift”设置新密码');
    await reset.find('input[name=reset-password]').setValue('Temporary-pass-2026');
    await reset.trigger('submit');
    await vi.waitFor(() => expect(calls).toHaveLength(3));
    expect(calls[2]).toMatchObject({ method: 'POST', url: '/api/users/3/password', body: { password: 'Temporary-pass-2026' } });
    await vi.waitFor(() => expect(w.find('[data-testid=reset-password]').exists()).toBe(false));

    await row.find('[data-action=delete]').trigger('click');
    const confirm = w.find('[data-testid=confirm-delete]');
    expect(confirm.text()).toContain('确定删除用户“night-shift”吗');
    expect(calls).toHaveLength(3); // nothing deleted before the confirmation
    await confirm.find('[data-action=confirm-delete]').trigger('click');
    await vi.waitFor(() => expect(calls).toHaveLength(4));
    expect(calls[3]).toMatchObject({ method: 'DELETE', url: '/api/users/3' });
    await vi.waitFor(() => expect(w.emitted('changed')).toHaveLength(4));
  });

  it('shows the hub’s refusal and puts the role back', async () => {
    stubFetch(() => json({ statusCode: 409, message: 'the last enabled admin cannot be demoted or disabled' }, 409));
    const w = mountUsers();
    const select = w.find('tr[data-user=admin] select[name=role]');
    await select.setValue('viewer');
    await vi.waitFor(() => expect(w.find('[role=alert]').text()).toBe('操作失败：不能降级、停用或删除最后一个启用的管理员'));
    expect((select.element as HTMLSelectElement).value).toBe('admin');
    expect(w.find('tr[data-user=admin]').text()).toContain('（本人）');
  });

  it('creates a user who must change the password at first sign-in unless unticked', async () => {
    const calls = stubFetch(() => json(user(4, 'relief', 'viewer'), 201));
    const w = mountUsers();
    const form = w.find('[data-testid=new-user]');
    expect((form.find('input[name=new-must-change]').element as HTMLInputElement).checked).toBe(true);
    await form.find('input[name=new-username]').setValue('relief');
    await form.find('input[name=new-password]').setValue('Harbour-watch-2026');
    await form.find('select[name=new-role]').setValue('operator');
    await form.trigger('submit');
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/api/users', body: { username: 'relief', password: 'Harbour-watch-2026', role: 'operator', must_change_password: true } });
  });
});

describe('audit log', () => {
  const entry = (id: number) => ({ id, at: '2026-11-28T01:02:03.000Z', actor: 'admin', ip: '127.0.0.1', action: 'user.update', target: 'id=3', outcome: 'ok', detail: { role: 'viewer' } });

  it('shows the newest page readably and pages to older entries with before=<last id>', async () => {
    const calls = stubFetch((c) => {
      const before = new URL(c.url, 'http://x').searchParams.get('before');
      if (!before) return json(Array.from({ length: 50 }, (_, i) => entry(100 - i)));
      return json(Array.from({ length: 10 }, (_, i) => ({ ...entry(50 - i), action: 'auth.login', target: null, outcome: 'denied', detail: {} })));
    });
    const w = mount(AuditLog, { props: { users: USERS }, global: { plugins: [createAppI18n('zh')] } });
    await vi.waitFor(() => expect(w.findAll('tr[data-audit]')).toHaveLength(50));
    expect(calls[0]!.url).toBe('/api/audit?limit=50');
    const first = w.find('tr[data-audit="100"]').findAll('td').map((td) => td.text());
    expect(first).toEqual(['2026-11-28 09:02:03', 'admin', '修改用户', 'night-shift（编号 3）', '成功', '127.0.0.1', '角色 查看']);
    expect(w.find('th').text()).toBe('时间（北京时间）');

    await w.find('[data-action=older]').trigger('click');
    await vi.waitFor(() => expect(w.findAll('tr[data-audit]')).toHaveLength(60));
    expect(calls[1]!.url).toBe('/api/audit?before=51&limit=50');
    expect(w.find('tr[data-audit="41"]').text()).toContain('登录');
    expect(w.find('tr[data-audit="41"]').text()).toContain('拒绝');
    expect(w.find('[data-action=older]').exists()).toBe(false); // a short page is the last
  });

  it('sends the filters, with times read as Beijing time', async () => {
    const calls = stubFetch(() => json([]));
    const w = mount(AuditLog, { props: { users: [] }, global: { plugins: [createAppI18n('en')] } });
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    await w.find('input[name=audit-actor]').setValue(' admin ');
    await w.find('select[name=audit-action]').setValue('user.');
    await w.find('select[name=audit-outcome]').setValue('denied');
    await w.find('input[name=audit-from]').setValue('2026-11-28T08:00');
    await w.find('input[name=audit-to]').setValue('2026-11-29T08:00');
    await w.find('form.filters').trigger('submit');
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    const q = new URL(calls[1]!.url, 'http://x').searchParams;
    expect(Object.fromEntries(q)).toEqual({ actor: 'admin', action: 'user.', outcome: 'denied', from: '2026-11-28T08:00:00+08:00', to: '2026-11-29T08:00:00+08:00', limit: '50' });
    await vi.waitFor(() => expect(w.text()).toContain('No matching entries'));
  });
});
