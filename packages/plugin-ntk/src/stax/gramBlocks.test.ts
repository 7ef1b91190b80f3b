import { Rng } from '@paperlab/core';
import { describe, expect, it } from 'vitest';
import { type GramBlock, gramBlockEntries, writeGramBlock } from './gramBlocks.js';

/** Row-major values of `m` (n1 × n2) inside `block`. */
function cut(m: Float64Array, n2: number, { r0, r1, c0, c1 }: GramBlock): Float64Array {
  const out = new Float64Array((r1 - r0) * (c1 - c0));
  for (let i = r0; i < r1; i++) out.set(m.subarray(i * n2 + c0, i * n2 + c1), (i - r0) * (c1 - c0));
  return out;
}

/** Assembles `m` from blocks of `bs` (only blocks on or below the diagonal when `symmetric`); counts entries. */
function assemble(m: Float64Array, n1: number, n2: number, bs: number, symmetric: boolean) {
  const dst = new Float64Array(n1 * n2).fill(Number.NaN);
  let entries = 0;
  for (let r0 = 0; r0 < n1; r0 += bs)
    for (let c0 = 0; c0 < (symmetric ? Math.min(n2, r0 + bs) : n2); c0 += bs) {
      const block = { r0, r1: Math.min(n1, r0 + bs), c0, c1: Math.min(n2, c0 + bs) };
      const mirror = symmetric && c0 !== r0;
      writeGramBlock(dst, cut(m, n2, block), block, n2, mirror);
      entries += gramBlockEntries(block, mirror);
    }
  return { dst, entries };
}

describe('blocked Gram assembly', () => {
  it('rectangular blocks (ragged edges) fill every entry once, in place', () => {
    const m = Float64Array.from(new Rng(1).normals(7 * 5));
    const { dst, entries } = assemble(m, 7, 5, 3, false);
    expect(dst).toEqual(m);
    expect(entries).toBe(7 * 5);
  });

  it('a symmetric Gram from the blocks on and below the diagonal, mirrored; a wrong mirror leaves holes', () => {
    const n = 8;
    const x = new Rng(2).normals(n * 3);
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) for (let k = 0; k < 3; k++) m[i * n + j]! += x[i * 3 + k]! * x[j * 3 + k]!;
    const { dst, entries } = assemble(m, n, n, 3, true);
    expect(dst).toEqual(m);
    expect(entries).toBe(n * n);
    const unmirrored = new Float64Array(n * n).fill(Number.NaN);
    writeGramBlock(
      unmirrored,
      cut(m, n, { r0: 3, r1: 6, c0: 0, c1: 3 }),
      { r0: 3, r1: 6, c0: 0, c1: 3 },
      n,
      false,
    );
    expect(unmirrored[0 * n + 3]).toBeNaN();
    expect(unmirrored[3 * n + 0]).toBe(m[3 * n + 0]);
  });
});
