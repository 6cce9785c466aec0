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

describe('duty-room notification channels', () => {
  it('are off by default, with the documented defaults', () => {
    const c = loadConfig({});
    expect(c.WECOM_WEBHOOK_URLS).toBeUndefined();
    expect(c.DINGTALK_WEBHOOK_URLS).toBeUndefined();
    expect(c.SMS_GATEWAY_URL).toBeUndefined();
    expect(c.NOTIFY_MIN_SEVERITY).toBe('major');
    expect(c.NOTIFY_EVENTS).toEqual(['opened', 'raised', 'retriggered', 'escalated', 'resolved']);
    expect(c.NOTIFY_ROBOT_RATE_PER_MIN).toBe(20);
    expect(c.NOTIFY_MAX_ATTEMPTS).toBe(6);
    expect(c.SMS_GATEWAY_AUTH_HEADER).toBe('Authorization');
  });

  it('reads comma-separated URLs, mobiles and events', () => {
    const c = loadConfig({
      WECOM_WEBHOOK_URLS: ' https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a , https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=b',
      DINGTALK_WEBHOOK_URLS: 'https://oapi.dingtalk.com/robot/send?access_token=x',
      DINGTALK_SECRET: 'SECabc',
      DINGTALK_AT_MOBILES: '13800000001,+8613900000002',
      SMS_GATEWAY_URL: 'https://sms.example.cn/send',
      SMS_RECIPIENTS: '13800000001',
      NOTIFY_EVENTS: 'opened,escalated',
      NOTIFY_MIN_SEVERITY: 'critical',
    });
    expect(c.WECOM_WEBHOOK_URLS).toHaveLength(2);
    expect(c.DINGTALK_AT_MOBILES).toEqual(['13800000001', '+8613900000002']);
    expect(c.NOTIFY_EVENTS).toEqual(['opened', 'escalated']);
  });

  it.each([
    ['a robot URL that is not http(s)', { WECOM_WEBHOOK_URLS: 'ftp://x/send' }, 'WECOM_WEBHOOK_URLS'],
    ['an unknown event', { NOTIFY_EVENTS: 'opened,exploded' }, 'NOTIFY_EVENTS'],
    ['an unknown severity', { NOTIFY_MIN_SEVERITY: 'high' }, 'NOTIFY_MIN_SEVERITY'],
    ['a mobile with letters', { DINGTALK_AT_MOBILES: '1380000abc' }, 'DINGTALK_AT_MOBILES'],
    ['an SMS gateway without recipients', { SMS_GATEWAY_URL: 'https://sms.example.cn/send' }, 'SMS_RECIPIENTS'],
    ['a robot rate above the robots’ 20 a minute', { NOTIFY_ROBOT_RATE_PER_MIN: '30' }, 'NOTIFY_ROBOT_RATE_PER_MIN'],
    [
      'DingTalk secrets not matching the URLs',
      { DINGTALK_WEBHOOK_URLS: 'https://oapi.dingtalk.com/robot/send?access_token=x', DINGTALK_SECRET: 'SECa,SECb' },
      'DINGTALK_SECRET: 2 secrets for 1',
    ],
  ])('refuses %s', (_name, env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('the stale report rule', () => {
  it('waits an hour of quiet by default, at least a second and at most 30 days, refused otherwise', () => {
    expect(loadConfig({}).REPORT_REGENERATE_QUIET_S).toBe(3600);
    expect(loadConfig({ REPORT_REGENERATE_QUIET_S: '5' }).REPORT_REGENERATE_QUIET_S).toBe(5);
    for (const bad of ['0', '2592001', '1.5', 'soon']) expect(() => loadConfig({ REPORT_REGENERATE_QUIET_S: bad }), bad).toThrow('REPORT_REGENERATE_QUIET_S');
  });
});
