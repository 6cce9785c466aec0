/**
 * The hub's password rules as hints while typing (the hub decides; its list of common
 * passwords is not repeated here, so that rule is shown without a tick).
 */
export type PasswordRule = 'ruleLength' | 'ruleKinds' | 'ruleCommon' | 'ruleUsername';

const MIN = 10;
const PASSPHRASE = 16;

export function passwordRuleChecks(password: string, username: string): { rule: PasswordRule; met: boolean | null }[] {
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  const lower = password.toLowerCase();
  return [
    { rule: 'ruleLength', met: password.length >= MIN },
    { rule: 'ruleKinds', met: kinds >= 3 || password.length >= PASSPHRASE },
    { rule: 'ruleCommon', met: null },
    { rule: 'ruleUsername', met: password.length > 0 && (username.length < 3 || !lower.includes(username.toLowerCase())) },
  ];
}
