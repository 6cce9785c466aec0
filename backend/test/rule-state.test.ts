import { siteTopic } from '@tidewatch/contracts';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, makeTestEnv, startHub, waitFor, type Hub, type TestEnv } from './harness/hub-process.js';

let t: TestEnv;
let hub: Hub | null = null;
beforeAll(async () => {
  t = await makeTestEnv();
});
afterAll(async () => {
  await hub?.stop();
  await t?.cleanup();
});

async function h2s(value: number, ts: number): Promise<void> {
  const c = await mqtt.connectAsync(t.mqttUrl, { clientId: `rule-state-${ts}` });
  await c.publishAsync(siteTopic('pump-caidaling', 'telemetry'), JSON.stringify({ ts, values: { h2s_ppm: value } }), { qos: 1 });
  await c.endAsync();
}

describe('rule state across a restart', () => {
  it('keeps a running duration: the condition that began before the restart completes after it', async () => {
    hub = await startHub(t);
    const admin = await login(t);
    // H2S ≥ 20 ppm held for 6 seconds at this station (a per-site override).
    const definition = { title: { zh: '硫化氢', en: 'H2S' }, levels: [{ severity: 'major', when: { type: 'threshold', metric: 'h2s_ppm', op: 'gte', value: 20, for_minutes: 0.1 } }] };
    expect((await api(t, admin, '/api/rules/pump-h2s/sites/pump-caidaling', { method: 'PUT', body: JSON.stringify({ definition }) })).status).toBe(200);
    const t0 = Date.now() - 1000;
    await h2s(25, t0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await hub.stop(); // the state (timer started at t0) is written on the way down
    expect(hub.proc.exitCode).toBe(0); // a graceful stop, not cut short by a signal
    hub = await startHub(t);
    await h2s(26, t0 + 7000);
    const token = await login(t);
    await waitFor(async () => (await api<{ rule: string }[]>(t, token, '/api/alerts?site=pump-caidaling&state=open')).body.some((a) => a.rule === 'pump-h2s'), 15_000, 'the H2S alert');
    const alert = (await api<{ rule: string; opened_at: string }[]>(t, token, '/api/alerts?site=pump-caidaling&state=open')).body.find((a) => a.rule === 'pump-h2s')!;
    expect(Date.parse(alert.opened_at)).toBe(t0 + 7000);
  });
});
