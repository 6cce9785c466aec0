import { MAX_PAYLOAD_BYTES, siteTopic } from '@tidewatch/contracts';
import { describe, expect, it } from 'vitest';
import { clientIdProblem, judgePublish, MAX_PACKET_BYTES } from './broker-policy.js';

const device = { site: 'air-hekou' };
const anonymous = { anonymous: true } as const;

describe('judgePublish', () => {
  it('lets a device publish under its own site only', () => {
    expect(judgePublish(device, siteTopic('air-hekou', 'telemetry'), false)).toEqual({ ok: true, stripRetain: false });
    expect(judgePublish(device, siteTopic('air-hekou', 'events'), false).ok).toBe(true);
    expect(judgePublish(device, siteTopic('air-xinghai', 'telemetry'), false).ok).toBe(false);
    // A site id that merely starts with the device's own is another site.
    expect(judgePublish(device, siteTopic('air-hekou-2', 'telemetry'), false).ok).toBe(false);
    expect(judgePublish(device, 'tidewatch/v1/sites/air-hekou', false).ok).toBe(false);
    expect(judgePublish(device, 'elsewhere/air-hekou/telemetry', false).ok).toBe(false);
  });

  it('lets an anonymous client publish under any site, but nowhere else', () => {
    expect(judgePublish(anonymous, siteTopic('gas-hekou-riser', 'telemetry'), false).ok).toBe(true);
    // A malformed site topic still reaches ingest, which files it as a dead letter.
    expect(judgePublish(anonymous, 'tidewatch/v1/sites/air-hekou/commands', false).ok).toBe(true);
    expect(judgePublish(anonymous, '$SYS/tidewatch-embedded/heartbeat', false).ok).toBe(false);
    expect(judgePublish(anonymous, 'chat/room', false).ok).toBe(false);
  });

  it('keeps a retained status without its retain flag and refuses any other retained message', () => {
    expect(judgePublish(device, siteTopic('air-hekou', 'status'), true)).toEqual({ ok: true, stripRetain: true });
    expect(judgePublish(device, siteTopic('air-hekou', 'telemetry'), true)).toEqual({ ok: false, reason: 'retained message' });
    expect(judgePublish(anonymous, siteTopic('air-hekou', 'events'), true).ok).toBe(false);
    expect(judgePublish(anonymous, 'tidewatch/v1/sites/air-hekou/commands', true).ok).toBe(false);
  });
});

describe('limits', () => {
  it('leaves room for a payload at the ingest limit and little more', () => {
    expect(MAX_PACKET_BYTES).toBeGreaterThan(MAX_PAYLOAD_BYTES + 200);
    expect(MAX_PACKET_BYTES).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES + 4096);
  });

  it('refuses client ids past 128 characters', () => {
    expect(clientIdProblem(`sim-${'a'.repeat(63)}`)).toBeNull();
    expect(clientIdProblem('x'.repeat(128))).toBeNull();
    expect(clientIdProblem('x'.repeat(129))).toMatch(/longer than 128/);
  });
});
