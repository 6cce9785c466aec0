import { describe, expect, it } from 'vitest';
import { accessRefusal } from './access.js';

describe('HJ 212 access password', () => {
  const params = { hj212_mn: 'M1', hj212_pw: '123456' };

  it('lets in the PW the site carries', () => {
    expect(accessRefusal('wwtp-a', params, '123456')).toBeNull();
  });

  it('refuses any other PW, a prefix, a longer one and none', () => {
    for (const pw of ['123457', '12345', '1234567', '', undefined, '123456\u0000']) {
      expect(accessRefusal('wwtp-a', params, pw)).toBe('PW does not match the hj212_pw of site wwtp-a');
    }
  });

  it('refuses everything when the site has no usable hj212_pw', () => {
    for (const p of [{ hj212_mn: 'M1' }, { hj212_pw: '' }, { hj212_pw: 123456 }, { hj212_pw: null }]) {
      for (const pw of ['123456', '', undefined]) expect(accessRefusal('wwtp-a', p, pw)).toMatch(/^no hj212_pw set for site wwtp-a/);
    }
  });
});
