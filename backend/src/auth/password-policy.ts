/**
 * What a password must be: long enough, not one of the passwords every attacker tries
 * first, not the username, and from at least three kinds of character unless it is a long
 * passphrase. Pure, so that the API and its tests judge alike.
 */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;
const PASSPHRASE_MIN = 16;

/** A few of the most used passwords (public breach lists), lower-cased; refused whatever the rules say. */
const COMMON = new Set([
  '1234567890', '12345678910', '123456789a', '1q2w3e4r5t', 'qwertyuiop', 'password12', 'password123', 'password1!',
  'iloveyou12', 'admin12345', 'admin@1234', 'administrator', 'welcome123', 'abc1234567', 'qwerty1234', 'zxcvbnm123',
  'a123456789', '1qaz2wsx3edc', 'passw0rd12', 'p@ssw0rd12', 'p@ssword123', 'tidewatch1', 'tidewatch123', 'changeme123',
]);

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, username = ''): string | null {
  if (password.length < PASSWORD_MIN) return `at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `at most ${PASSWORD_MAX} characters`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'too common: choose another';
  if (new Set(password).size < 4) return 'too few different characters';
  if (username.length >= 3 && lower.includes(username.toLowerCase())) return 'must not contain the username';
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (password.length < PASSPHRASE_MIN && kinds < 3) {
    return `use three of: lower case, upper case, digits, symbols (or at least ${PASSPHRASE_MIN} characters)`;
  }
  return null;
}
