/** Orders two positions of a Redis stream ("<ms>-<seq>"): negative when a comes first. */
export function comparePositions(a: string, b: string): number {
  const [am, as = '0'] = a.split('-');
  const [bm, bs = '0'] = b.split('-');
  const ms = Number(am) - Number(bm);
  return ms !== 0 ? Math.sign(ms) : Math.sign(Number(as) - Number(bs));
}
