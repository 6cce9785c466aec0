/** A marker's centre in screen pixels. */
export interface Point {
  x: number;
  y: number;
}

/** Most rounds of pushing apart; a crowd that is still touching after them is left as it is. */
export const SPREAD_ROUNDS = 60;

/**
 * Moves square markers of side `size` (pixels, a gap included) apart until no two overlap:
 * each round, every overlapping pair is pushed apart along the line between their centres,
 * each by half of what they overlap (markers at the same spot part at an angle fixed by their
 * order). The same input gives the same output; at most `rounds` rounds. Markers that overlap
 * nothing keep their place. Returns new positions in input order.
 */
export function spreadMarkers(points: readonly Point[], size: number, rounds = SPREAD_ROUNDS): Point[] {
  const out = points.map((p) => ({ x: p.x, y: p.y }));
  const n = out.length;
  for (let round = 0; round < rounds; round++) {
    let moved = false;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const a = out[i]!;
        const b = out[j]!;
        let dx = b.x - a.x;
        let dy = b.y - a.y;
        // Square markers overlap while both axes are closer than a side (Chebyshev distance).
        const apart = Math.max(Math.abs(dx), Math.abs(dy));
        if (apart >= size - 1e-6) continue;
        if (apart < 1e-6) {
          // The same spot: part along a direction given by the pair's order (golden angle).
          const angle = (i * 137.508 + j * 47.3) * (Math.PI / 180);
          dx = Math.cos(angle);
          dy = Math.sin(angle);
        }
        const d = Math.max(Math.abs(dx), Math.abs(dy));
        // Stretch the centre line so that its Chebyshev length becomes `size` (a hair more, to settle).
        const grow = (size * 1.001 - (apart < 1e-6 ? 0 : d)) / d / 2;
        a.x -= dx * grow;
        a.y -= dy * grow;
        b.x += dx * grow;
        b.y += dy * grow;
        moved = true;
      }
    }
    if (!moved) break;
  }
  return out;
}

/** Whether any two markers of side `size` at these centres overlap. */
export function anyOverlap(points: readonly Point[], size: number): boolean {
  for (let i = 0; i < points.length; i++)
    for (let j = i + 1; j < points.length; j++)
      if (Math.max(Math.abs(points[i]!.x - points[j]!.x), Math.abs(points[i]!.y - points[j]!.y)) < size - 1e-6) return true;
  return false;
}
