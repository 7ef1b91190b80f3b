import type { Rng } from '@paperlab/core';

/** Segments lit per digit: top, upper-left, upper-right, middle, lower-left, lower-right, bottom. */
const SEGMENTS: readonly string[] = [
  '1110111', // 0
  '0010010', // 1
  '1011101', // 2
  '1011011', // 3
  '0111010', // 4
  '1101011', // 5
  '1101111', // 6
  '1010010', // 7
  '1111111', // 8
  '1111011', // 9
];

/** Pixels (row, col) of each segment on an 8×8 grid, before the random shift. */
const STROKES: ReadonlyArray<ReadonlyArray<[number, number]>> = [
  [
    [0, 2],
    [0, 3],
    [0, 4],
    [0, 5],
  ],
  [
    [1, 1],
    [2, 1],
    [3, 1],
  ],
  [
    [1, 6],
    [2, 6],
    [3, 6],
  ],
  [
    [3, 2],
    [3, 3],
    [3, 4],
    [3, 5],
  ],
  [
    [4, 1],
    [5, 1],
    [6, 1],
  ],
  [
    [4, 6],
    [5, 6],
    [6, 6],
  ],
  [
    [6, 2],
    [6, 3],
    [6, 4],
    [6, 5],
  ],
];

/** Procedural 8×8 seven-segment digits. */
export interface SegmentDigits {
  /** Images [n, 8, 8] row-major, each scaled to unit mean square. */
  images: Float32Array;
  labels: Int32Array;
  n: number;
}

/**
 * Generates seven-segment digits on an 8×8 grid: each digit's segments drawn with a random intensity in
 * [0.6, 1], shifted by up to one pixel, plus N(0, noise²) pixel noise; read row by row they are length-8
 * sequences of 8-dimensional vectors (a stand-in for the 8×8 digits of scikit-learn, generated, not shipped).
 */
export function segmentDigits(rng: Rng, n: number, noise = 0.1): SegmentDigits {
  const images = new Float32Array(n * 64);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const digit = rng.int(10);
    labels[i] = digit;
    const dr = rng.int(2);
    const dc = rng.int(3) - 1;
    const img = images.subarray(i * 64, (i + 1) * 64);
    SEGMENTS[digit]!.split('').forEach((on, s) => {
      if (on !== '1') return;
      const intensity = rng.range(0.6, 1);
      for (const [r, c] of STROKES[s]!) {
        const rr = r + dr;
        const cc = c + dc;
        if (rr >= 0 && rr < 8 && cc >= 0 && cc < 8) img[rr * 8 + cc] = intensity;
      }
    });
    let ms = 0;
    for (let p = 0; p < 64; p++) {
      img[p]! += noise * rng.normal();
      ms += img[p]! * img[p]!;
    }
    const scale = 1 / Math.sqrt(ms / 64);
    for (let p = 0; p < 64; p++) img[p]! *= scale;
  }
  return { images, labels, n };
}
