import { describe, expect, it } from 'vitest';
import { auditDetail, auditTarget } from './audit-detail.js';

describe('audit detail', () => {
  it('masks secrets at any depth and keeps the rest', () => {
    expect(auditDetail({ username: 'ops', password: 'x', params: { hj212_pw: '123456', hj212_mn: 'MN1', design_flow_m3d: 60000 }, refresh_token: 't' })).toEqual({
      username: 'ops',
      password: '***',
      params: { hj212_pw: '***', hj212_mn: 'MN1', design_flow_m3d: 60000 },
      refresh_token: '***',
    });
  });

  it('cuts long text and bounds the whole', () => {
    expect((auditDetail({ note: 'x'.repeat(600) }).note as string).length).toBe(501);
    const big = auditDetail(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, 'y'.repeat(100)])));
    expect(Object.keys(big)).toEqual(['truncated']);
  });

  it('keeps nothing of a body that is not an object', () => {
    expect(auditDetail(['a'])).toEqual({});
    expect(auditDetail('text')).toEqual({});
  });

  it('names the target by the path parameters', () => {
    expect(auditTarget({ id: 'pm-rule', site: 'air-hekou' })).toBe('id=pm-rule site=air-hekou');
    expect(auditTarget({})).toBeNull();
  });
});
