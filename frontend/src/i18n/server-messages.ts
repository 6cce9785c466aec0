import type { Messages } from './messages';

/** The hub's refusals (English) that the dashboard can say in the page language. */
const KNOWN: [RegExp, keyof Messages['serverMessage']][] = [
  [/current password is wrong/, 'currentWrong'],
  [/must differ from the current/, 'mustDiffer'],
  [/at least \d+ characters$/, 'tooShort'],
  [/too common/, 'tooCommon'],
  [/too few different characters/, 'fewChars'],
  [/must not contain the username/, 'hasUsername'],
  [/use three of/, 'kinds'],
  [/last enabled admin/, 'lastAdmin'],
  [/cannot disable your own account/, 'disableSelf'],
  [/cannot remove your own account/, 'removeSelf'],
  [/^user .* exists/, 'usernameTaken'],
  [/letters, digits, _ \. -/, 'usernameFormat'],
];

/** An error as the user should read it: a known refusal translated, anything else as the hub said it. */
export function readableError(err: unknown, t: (key: string) => string): string {
  const message = err instanceof Error ? err.message : String(err);
  const known = KNOWN.find(([pattern]) => pattern.test(message));
  return known ? t(`serverMessage.${known[1]}`) : message;
}
