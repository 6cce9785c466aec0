import { describe, expect, it } from 'vitest';
import { numberArray } from './sql-arrays.js';

describe('numberArray', () => {
  it('writes numbers and NULLs as a PostgreSQL array literal', () => {
    expect(numberArray([])).toBe('{}');
    expect(numberArray([1, -2, 0.1, 1e21, 5e-7, 1700000000123])).toBe('{1,-2,0.1,1e+21,5e-7,1700000000123}');
    expect(numberArray([null, 3, undefined])).toBe('{NULL,3,NULL}');
  });

  it('writes what is no finite number as PostgreSQL spells it, as the driver did', () => {
    expect(numberArray([NaN, Infinity, -Infinity])).toBe('{NaN,Infinity,-Infinity}');
  });
});
