import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Whether a packet's PW opens the plant it names: null when it does, else why not. Compared in
 * constant time (digests, so a wrong length tells nothing either); a plant without a
 * `hj212_pw` accepts nothing.
 */
export function accessRefusal(siteId: string, params: Record<string, unknown>, pw: string | undefined): string | null {
  const want = params.hj212_pw;
  if (typeof want !== 'string' || want === '') return `no hj212_pw set for site ${siteId}: every packet is refused until an admin sets one`;
  if (!timingSafeEqual(digest(want), digest(pw ?? ''))) return `PW does not match the hj212_pw of site ${siteId}`;
  return null;
}
