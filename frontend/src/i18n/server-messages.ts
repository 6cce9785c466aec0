import { ApiError } from '../api/http';
import type { Messages } from './messages';

type Translate = (key: string, values?: Record<string, unknown>) => string;

/** The hub's refusals (English, for people) that the dashboard can say in the page language. */
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
  [/^the alert is (active|acknowledged|resolved)$/, 'alertState'],
  [/^site .* exists/, 'siteExists'],
  [/from must (not be after|be before) to/, 'fromAfterTo'],
  [/handover covers at most/, 'handoverSpan'],
  [/was already withdrawn/, 'alreadyWithdrawn'],
  [/^role \w+ or above is required/, 'roleRequired'],
  [/no user with that username/, 'noUserNamed'],
  [/too many failed sign-ins/, 'tooManySignIns'],
  [/wrong username or password/, 'wrongLogin'],
  [/period must end after it starts/, 'fromAfterTo'],
  [/period must not end in the future/, 'markFuture'],
  [/a mark covers at most/, 'markTooLong'],
  [/reason other needs a note/, 'markNeedsNote'],
  [/reason for the withdrawal is required/, 'withdrawNeedsReason'],
];

/** The hub's stable words for a refusal (`code` of the error body), before its message is read. */
const KNOWN_CODES: Record<string, keyof Messages['serverMessage']> = {
  condition_active: 'conditionActive',
};

/** HTTP statuses that have a sentence of their own; any other is said by its class. */
const STATUS_TEXT = new Set([400, 401, 403, 404, 409, 413, 429, 500, 503]);

/** The hub's message of a refusal in the page language, or null when it is not one of the known ones. */
export function knownServerMessage(message: string, t: Translate): string | null {
  const known = KNOWN.find(([pattern]) => pattern.test(message));
  if (!known) return null;
  const state = /^the alert is (\w+)$/.exec(message)?.[1];
  const days = /covers at most (\d+) days/.exec(message)?.[1];
  return t(`serverMessage.${known[1]}`, state ? { state: t(`state.${state}`) } : days ? { days } : undefined);
}

/** A refusal said by its HTTP status alone (`errors.404`, …), for when its message is not known. */
export function statusText(status: number | null, t: Translate): string {
  if (status === null) return t('errors.network');
  if (STATUS_TEXT.has(status)) return t(`errors.${status}`);
  return t(status >= 500 ? 'errors.500' : status >= 400 ? 'errors.400' : 'errors.other');
}

/**
 * An error as the user should read it: a known refusal of the hub in the page language; any
 * other said by its status on the Chinese page (the hub's own English sentence is never shown
 * there), and as the hub said it on the English page.
 */
export function readableError(err: unknown, t: Translate, lang = 'zh'): string {
  const code = err instanceof ApiError && err.code ? KNOWN_CODES[err.code] : undefined;
  if (code) return t(`serverMessage.${code}`);
  const message = err instanceof Error ? err.message : String(err);
  const known = knownServerMessage(message, t);
  if (known) return known;
  if (lang !== 'zh') return message || statusText(err instanceof ApiError ? err.status : null, t);
  // A failed fetch (no answer at all) is a TypeError; anything else that is not an ApiError is ours.
  return statusText(err instanceof ApiError ? err.status : err instanceof TypeError ? null : 0, t);
}
