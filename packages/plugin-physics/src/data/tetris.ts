/**
 * The eight "tetris" pieces of four unit cubes used as the standard toy task for 3-D equivariant networks (e3nn's
 * tetris example, after Thomas et al. 2018, "Tensor field networks"). The first two are mirror images of each
 * other (a chiral pair); no rotation maps one onto the other.
 */
export const TETRIS: ReadonlyArray<{
  name: string;
  cubes: ReadonlyArray<readonly [number, number, number]>;
}> = [
  {
    name: 'chiral (left)',
    cubes: [
      [0, 0, 0],
      [0, 0, 1],
      [1, 0, 0],
      [1, 1, 0],
    ],
  },
  {
    name: 'chiral (right)',
    cubes: [
      [0, 0, 0],
      [0, 0, 1],
      [1, 0, 0],
      [1, -1, 0],
    ],
  },
  {
    name: 'square',
    cubes: [
      [0, 0, 0],
      [1, 0, 0],
      [0, 1, 0],
      [1, 1, 0],
    ],
  },
  {
    name: 'line',
    cubes: [
      [0, 0, 0],
      [0, 0, 1],
      [0, 0, 2],
      [0, 0, 3],
    ],
  },
  {
    name: 'corner',
    cubes: [
      [0, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
      [1, 0, 0],
    ],
  },
  {
    name: 'L',
    cubes: [
      [0, 0, 0],
      [0, 0, 1],
      [0, 0, 2],
      [0, 1, 0],
    ],
  },
  {
    name: 'T',
    cubes: [
      [0, 0, 0],
      [0, 0, 1],
      [0, 0, 2],
      [0, 1, 1],
    ],
  },
  {
    name: 'zigzag',
    cubes: [
      [0, 0, 0],
      [1, 0, 0],
      [1, 1, 0],
      [2, 1, 0],
    ],
  },
];
