/**
 * Text from outside (devices, HJ 212 monitors, HTTP bodies) may hold characters that
 * PostgreSQL cannot store: NUL (text and jsonb refuse it) and lone UTF-16 surrogates
 * (jsonb refuses their escapes). Edges that answer a person refuse such text with a clear
 * message; edges that only file what they got (dead letters) store a cleaned copy.
 */

// eslint-disable-next-line no-control-regex
const NUL = /\u0000/g;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');
// eslint-disable-next-line no-control-regex
const HAS_NUL = /\u0000/;

/** True when PostgreSQL can store the text as it is. */
export function isStorableText(text: string): boolean {
  return !HAS_NUL.test(text) && !LONE_SURROGATE.test(text);
}

/** The text with NUL and lone surrogates replaced by U+FFFD, cut to `maxChars`. */
export function storableText(text: string, maxChars = Infinity): string {
  const out = text.length > maxChars ? text.slice(0, maxChars) : text;
  if (isStorableText(out)) return out;
  return out.replace(NUL, '\uFFFD').replace(LONE_SURROGATES, '\uFFFD');
}

export const UNSTORABLE_TEXT_MESSAGE = 'must not contain NUL characters or unpaired surrogates';
