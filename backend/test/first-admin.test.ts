/**
 * The first admin's password is never lost: shown when a first start fails after creating
 * it, reset from the command line, or replaced by ADMIN_PASSWORD while it is still the
 * generated one.
 */
import { execFile, spawn } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { api, builtFile, makeTestEnv, startHub, type Hub, type TestEnv } from './harness/hub-process.js';

const run = promisify(execFile);
let t: TestEnv | null = null;
let hubs: Hub[] = [];

afterEach(async () => {
  for (const h of hubs) await h.stop().catch(() => undefined);
  hubs = [];
  await t?.cleanup();
  t = null;
});

/** The test settings without ADMIN_PASSWORD (unless given): the hub generates the first admin's password. */
function env(adminPassword?: string): NodeJS.ProcessEnv {
  return { ADMIN_PASSWORD: adminPassword, LOGIN_RATE_PER_MIN: '100' };
}

async function start(adminPassword?: string): Promise<Hub> {
  const hub = await startHub(t!, env(adminPassword));
  hubs.push(hub);
  return hub;
}

async function stop(hub: Hub): Promise<void> {
  await hub.stop();
  hubs = hubs.filter((h) => h !== hub);
}

function shownPassword(output: string): string {
  const found = output.match(/password "([^"]+)"/);
  if (!found) throw new Error(`no password shown in:\n${output}`);
  return found[1]!;
}

/** Signs in; the token and whether the password must be changed first, or the refusal's status. */
async function signIn(password: string): Promise<{ status: number; token?: string; mustChange?: boolean }> {
  const res = await fetch(`${t!.httpUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (!res.ok) return { status: res.status };
  const body = (await res.json()) as { token: string; must_change_password: boolean };
  return { status: res.status, token: body.token, mustChange: body.must_change_password };
}

/** `npm run admin -- reset-password` on this test's data folder: the password it prints. */
async function resetPassword(): Promise<string> {
  const { stdout } = await run(process.execPath, [builtFile('cli/admin.js'), 'reset-password'], { env: { PATH: process.env.PATH, DATA_DIR: t!.env.DATA_DIR } });
  return shownPassword(stdout);
}

describe('the first admin', () => {
  it('a first start failing after creating admin shows the password; reset-password recovers it with or without a hub running', async () => {
    t = await makeTestEnv({ embedded: true });
    // Port 1883 taken, as the README anticipates.
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(Number(t!.env.MQTT_PORT), '127.0.0.1', resolve));
    const failed = spawn(process.execPath, [builtFile('main.js')], { env: { ...t.env, ...env() }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    failed.stdout.on('data', (d: Buffer) => (out += d.toString()));
    failed.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => failed.once('exit', resolve));
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
    expect(code, out).toBe(1);
    expect(out).toContain('embedded MQTT broker');
    const first = shownPassword(out);

    const hub = await start();
    expect(hub.output()).toContain('npm run admin -- reset-password');
    expect(hub.output()).not.toContain('existing users');
    expect(await signIn(first)).toMatchObject({ status: 200, mustChange: true });

    // With the hub running: its database is used.
    const second = await resetPassword();
    expect(second).not.toBe(first);
    expect((await signIn(first)).status).toBe(401);
    expect(await signIn(second)).toMatchObject({ status: 200, mustChange: true });

    // With no hub running: the command starts the embedded database for itself.
    await stop(hub);
    const third = await resetPassword();
    await start();
    expect((await signIn(second)).status).toBe(401);
    expect(await signIn(third)).toMatchObject({ status: 200, mustChange: true });
  });

  it('ADMIN_PASSWORD replaces the generated password while it is unchanged, never a password a person chose', async () => {
    t = await makeTestEnv({ embedded: true });
    const first = await start();
    const generated = shownPassword(first.output());
    await stop(first);

    const applied = await start('Set-by-operator-2026');
    expect(applied.output()).toContain('now has the password in ADMIN_PASSWORD');
    expect((await signIn(generated)).status).toBe(401);
    const signedIn = await signIn('Set-by-operator-2026');
    expect(signedIn).toMatchObject({ status: 200, mustChange: false });
    const changed = await api(t, signedIn.token!, '/api/auth/password', {
      method: 'POST',
      body: JSON.stringify({ current_password: 'Set-by-operator-2026', new_password: 'Chosen-by-hand-2026' }),
    });
    expect(changed.status, JSON.stringify(changed.body)).toBeLessThan(300);
    await stop(applied);

    const later = await start('Another-operator-2027');
    expect(later.output()).toContain('Log in with your existing users');
    expect((await signIn('Another-operator-2027')).status).toBe(401);
    expect(await signIn('Chosen-by-hand-2026')).toMatchObject({ status: 200, mustChange: false });
  });
});
