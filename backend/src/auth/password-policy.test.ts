import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-policy.js';

describe('password policy', () => {
  it.each([
    ['Short1!', 'at least 10'],
    ['x'.repeat(257), 'at most 256'],
    ['Password123', 'too common'],
    ['aaaaaaaaaaaa', 'too few different'],
    ['Ops-duty-2026!', 'contains the username', 'ops-duty'],
    ['alllowercase', 'three of'],
    ['ALLUPPER1234', 'three of'],
    ['Harbour-2026', null],
    ['lowerUPPERmix', 'three of'],
  ])('%s', (pw, expected, username = 'someone') => {
    const problem = passwordProblem(pw, username);
    if (expected === null) expect(problem).toBeNull();
    else if (expected === 'contains the username') expect(problem).toBe('must not contain the username');
    else expect(problem).toContain(expected);
  });

  it('accepts three kinds of character, or a long passphrase of one kind', () => {
    expect(passwordProblem('Tide-watch9', 'admin')).toBeNull();
    expect(passwordProblem('harbour lights at dawn', 'admin')).toBeNull();
  });

  it('refuses the username in any case', () => {
    expect(passwordProblem('xxADMINxx#1', 'admin')).toBe('must not contain the username');
  });

  it('ignores usernames too short to matter', () => {
    expect(passwordProblem('ab-Cd-3456', 'ab')).toBeNull();
  });
});
