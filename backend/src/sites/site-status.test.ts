import { describe, expect, it } from 'vitest';
import { livenessStatus } from './site-status.js';

const NOW = 1_000_000_000;
describe('livenessStatus', () => {
  it('is offline with no data at all', () => {
    expect(livenessStatus({ intervalS: 60, online: true, statusAtMs: NOW, lastSeenMs: null }, NOW)).toBe('offline');
  });
  it('is normal while data arrives within three nominal intervals', () => {
    expect(livenessStatus({ intervalS: 60, online: true, statusAtMs: null, lastSeenMs: NOW - 179_000 }, NOW)).toBe('normal');
    expect(livenessStatus({ intervalS: 60, online: true, statusAtMs: null, lastSeenMs: NOW - 181_000 }, NOW)).toBe('offline');
    expect(livenessStatus({ intervalS: 300, online: true, statusAtMs: null, lastSeenMs: NOW - 800_000 }, NOW)).toBe('normal');
  });
  it('is offline when the device said so after its last data, normal when data came after', () => {
    expect(livenessStatus({ intervalS: 60, online: false, statusAtMs: NOW - 1000, lastSeenMs: NOW - 2000 }, NOW)).toBe('offline');
    expect(livenessStatus({ intervalS: 60, online: false, statusAtMs: NOW - 3000, lastSeenMs: NOW - 2000 }, NOW)).toBe('normal');
  });
});
