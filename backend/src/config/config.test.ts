import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const good = {
  NODE_ENV: 'production',
  JWT_SECRET: 'k'.repeat(40),
  ADMIN_PASSWORD: 'Tide-admin-2026!',
  DATABASE_URL: 'postgres://tidewatch:pw@db:5432/tidewatch',
  MQTT_URL: 'mqtt://tidewatch-hub:Broker-pass-2026@mosquitto:1883',
};

describe('production configuration', () => {
  it('accepts real secrets', () => {
    expect(loadConfig(good).NODE_ENV).toBe('production');
  });

  it.each([
    ['a missing JWT_SECRET', { JWT_SECRET: undefined }, 'JWT_SECRET: required'],
    ['the example JWT_SECRET', { JWT_SECRET: 'change-this-to-a-random-string-of-at-least-32-characters' }, 'JWT_SECRET: still the example'],
    ['a missing ADMIN_PASSWORD', { ADMIN_PASSWORD: undefined }, 'ADMIN_PASSWORD: required'],
    ['a short ADMIN_PASSWORD', { ADMIN_PASSWORD: 'short-pw1' }, 'ADMIN_PASSWORD: at least 12'],
    ['the example broker password', { MQTT_URL: 'mqtt://tidewatch-hub:change-this-broker-password@mosquitto:1883' }, 'MQTT_URL password: still the example'],
    ['no broker password', { MQTT_URL: 'mqtt://mosquitto:1883' }, 'MQTT_URL password: required'],
  ])('refuses %s', (_name, change, message) => {
    expect(() => loadConfig({ ...good, ...change })).toThrow(message);
  });

  it('lets the one-machine default run without secrets outside production', () => {
    expect(loadConfig({}).JWT_SECRET).toBeUndefined();
  });

  it('binds to loopback unless told otherwise', () => {
    expect(loadConfig({}).HOST).toBe('127.0.0.1');
    expect(loadConfig({}).MQTT_HOST).toBe('127.0.0.1');
  });
});

describe('the stale report rule', () => {
  it('waits an hour of quiet by default, at least a second and at most 30 days, refused otherwise', () => {
    expect(loadConfig({}).REPORT_REGENERATE_QUIET_S).toBe(3600);
    expect(loadConfig({ REPORT_REGENERATE_QUIET_S: '5' }).REPORT_REGENERATE_QUIET_S).toBe(5);
    for (const bad of ['0', '2592001', '1.5', 'soon']) expect(() => loadConfig({ REPORT_REGENERATE_QUIET_S: bad }), bad).toThrow('REPORT_REGENERATE_QUIET_S');
  });
});
