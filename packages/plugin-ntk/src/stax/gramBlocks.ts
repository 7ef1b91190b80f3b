/** Rows [r0, r1) × columns [c0, c1) of an n1 × n2 Gram matrix computed block by block. */
export interface GramBlock {
  r0: number;
  r1: number;
  c0: number;
  c1: number;
}

/**
 * Copies a block's row-major values into the row-major Gram `dst` (n2 columns); with `mirror` (an off-diagonal
 * block of a symmetric Gram, whose upper triangle is not computed) also into the transposed position.
 */
export function writeGramBlock(
  dst: Float32Array | Float64Array,
  values: ArrayLike<number>,
  block: GramBlock,
  n2: number,
  mirror: boolean,
): void {
  const { r0, r1, c0, c1 } = block;
  const w = c1 - c0;
  for (let i = 0; i < r1 - r0; i++) {
    for (let j = 0; j < w; j++) {
      const v = values[i * w + j]!;
      dst[(r0 + i) * n2 + c0 + j] = v;
      if (mirror) dst[(c0 + j) * n2 + r0 + i] = v;
    }
  }
}

/** Entries of the Gram a block fills: its own, twice that when it is mirrored. */
export function gramBlockEntries(block: GramBlock, mirror: boolean): number {
  return (block.r1 - block.r0) * (block.c1 - block.c0) * (mirror ? 2 : 1);
}
