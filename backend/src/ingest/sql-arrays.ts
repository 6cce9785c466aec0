/**
 * A PostgreSQL array literal of numbers (`{1,2.5,NULL}`) for an `int[]`, `bigint[]` or
 * `float8[]` parameter, the text the `pg` driver would send for the same array. The driver
 * quotes and escapes each element; for numbers that is needless work, and with thousands of
 * readings a batch it was the largest cost of building the batch statement. A number prints
 * in a form PostgreSQL reads back to the same double (shortest round trip, `1e+21`, `NaN`).
 */
export function numberArray(values: readonly (number | null | undefined)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    out += v === null || v === undefined ? 'NULL' : String(v);
  }
  return out + '}';
}
