/**
 * Exact decimal arithmetic for the standards' formulas: a JavaScript number is read as the
 * decimal it prints as (its shortest round-trip form), so 0.1 is exactly 1/10 and a value
 * on a breakpoint stays exactly on it.
 */
export interface Fraction {
  n: bigint;
  d: bigint;
}

/** The decimal a finite number prints as, as a fraction. */
export function toFraction(x: number): Fraction {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  const [mantissa, expPart] = x.toExponential().split('e') as [string, string];
  const exp = Number(expPart);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const fracDigits = (mantissa.split('.')[1] ?? '').length;
  const scale = fracDigits - exp; // value = digits × 10^(−scale)
  let n = BigInt(digits);
  let d = 1n;
  if (scale >= 0) d = 10n ** BigInt(scale);
  else n *= 10n ** BigInt(-scale);
  return { n: negative ? -n : n, d };
}

/** ⌈a/b⌉ for b > 0. */
export function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b === 0n || a < 0n ? q : q + 1n;
}

/** Compares a decimal number with an integer exactly: −1, 0 or 1. */
export function compareToInt(x: number, k: number): number {
  const f = toFraction(x);
  const lhs = f.n;
  const rhs = BigInt(k) * f.d;
  return lhs < rhs ? -1 : lhs > rhs ? 1 : 0;
}

/** Rounds half to even (GB/T 8170) at `digits` decimals, exactly on the printed decimal. */
export function roundHalfEven(x: number, digits: number): number {
  const f = toFraction(x);
  const scale = 10n ** BigInt(digits);
  const num = f.n * scale;
  const sign = num < 0n ? -1n : 1n;
  const abs = num < 0n ? -num : num;
  let q = abs / f.d;
  const r = abs % f.d;
  const twice = r * 2n;
  if (twice > f.d || (twice === f.d && q % 2n === 1n)) q += 1n;
  return Number(sign * q) / Number(scale);
}
