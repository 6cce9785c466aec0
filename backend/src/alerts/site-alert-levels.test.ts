import type { AlertRecord } from '@tidewatch/contracts';
import { describe, expect, it } from 'vitest';
import { SiteAlertLevels } from './site-alert-levels.js';

const registry = { lookup: (id: string) => (id === 'gas-a' ? { key: 7 } : undefined) } as never;
const alert = (rule: string, severity: AlertRecord['severity'], state: AlertRecord['state'] = 'active'): AlertRecord => ({ site: 'gas-a', rule, severity, state }) as AlertRecord;

describe('open alert levels per site', () => {
  it('gives the most severe open alert, and forgets resolved ones', () => {
    const levels = new SiteAlertLevels(registry);
    expect(levels.openSeverity(7)).toBeNull();
    levels.track(alert('lel', 'major'));
    levels.track(alert('co', 'critical', 'acknowledged'));
    expect(levels.openSeverity(7)).toBe('critical');
    levels.track(alert('co', 'critical', 'resolved'));
    expect(levels.openSeverity(7)).toBe('major');
    levels.track(alert('lel', 'warning'));
    expect(levels.openSeverity(7)).toBe('warning');
  });

  it('ignores alerts of sites it does not know', () => {
    const levels = new SiteAlertLevels(registry);
    levels.track({ ...alert('lel', 'critical'), site: 'gone' });
    expect(levels.openSeverity(7)).toBeNull();
  });
});
