import { describe, expect, it } from 'vitest';
import { firstAdminLine, startBanner } from './start-banner.js';

describe('start banner', () => {
  it('shows a generated first password the way scripts find it', () => {
    const line = firstAdminLine({ kind: 'created', password: 'abc-DEF_123' });
    expect(line.match(/password "([^"]*)"/)?.[1]).toBe('abc-DEF_123');
  });

  it('points to the reset command while the admin still has a generated password', () => {
    expect(firstAdminLine({ kind: 'generated' })).toContain('npm run admin -- reset-password');
    expect(firstAdminLine({ kind: 'generated' })).not.toContain('existing users');
  });

  it('says when ADMIN_PASSWORD replaced the generated password', () => {
    expect(firstAdminLine({ kind: 'applied' })).toContain('ADMIN_PASSWORD');
  });

  it('names the address shown for a wildcard host and the log file under a terminal', () => {
    const text = startBanner({ host: '0.0.0.0', port: 3000, deviceBrokerUrl: 'mqtt://localhost:1883', firstAdmin: { kind: 'settled' }, logFile: '/d/logs/hub.log' });
    expect(text.split('\n')[0]).toBe('Tidewatch is running: http://localhost:3000/  (API docs: /api/docs)');
    expect(text).toContain('Logs: /d/logs/hub.log');
    expect(startBanner({ host: '127.0.0.1', port: 3000, deviceBrokerUrl: 'x', firstAdmin: null, logFile: null })).not.toContain('Logs:');
  });
});
