import { describe, expect, it } from 'vitest';
import { containsPattern } from './sql.js';

describe('containsPattern', () => {
  it('matches the text anywhere and takes LIKE wildcards and the escape literally', () => {
    expect(containsPattern('泄漏')).toBe('%泄漏%');
    expect(containsPattern('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });
});
