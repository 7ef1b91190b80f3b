/**
 * Centreline velocities of the lid-driven cavity from Ghia, Ghia & Shin (1982), "High-Re solutions for
 * incompressible flow using the Navier-Stokes equations and a multigrid method", J. Comput. Phys. 48(3),
 * 387–411, https://doi.org/10.1016/0021-9991(82)90058-4 — Table I (u along the vertical line x = 0.5) and
 * Table II (v along the horizontal line y = 0.5), 129 × 129 grid, unit lid speed; columns for Re 100 and 400.
 * Values as printed, including Table II's Re-400 entry at x = 0.9063 (−0.23827), which breaks the monotone
 * profile between its neighbours (−0.22847, −0.44993) and is widely read as a misprint: see
 * {@link GHIA_1982_SUSPECT}.
 */
export interface GhiaCentrelines {
  /** y positions of Table I (top to bottom). */
  y: readonly number[];
  /** u(0.5, y). */
  u: readonly number[];
  /** x positions of Table II (right to left). */
  x: readonly number[];
  /** v(x, 0.5). */
  v: readonly number[];
}

const Y = [
  1, 0.9766, 0.9688, 0.9609, 0.9531, 0.8516, 0.7344, 0.6172, 0.5, 0.4531, 0.2813, 0.1719, 0.1016, 0.0703,
  0.0625, 0.0547, 0,
];
const X = [
  1, 0.9688, 0.9609, 0.9531, 0.9453, 0.9063, 0.8594, 0.8047, 0.5, 0.2344, 0.2266, 0.1563, 0.0938, 0.0781,
  0.0703, 0.0625, 0,
];

/** Ghia et al. (1982) Tables I–II by Reynolds number (the two this plugin checks against). */
export const GHIA_1982: Readonly<Record<100 | 400, GhiaCentrelines>> = {
  100: {
    y: Y,
    u: [
      1, 0.84123, 0.78871, 0.73722, 0.68717, 0.23151, 0.00332, -0.13641, -0.20581, -0.2109, -0.15662, -0.1015,
      -0.06434, -0.04775, -0.04192, -0.03717, 0,
    ],
    x: X,
    v: [
      0, -0.05906, -0.07391, -0.08864, -0.10313, -0.16914, -0.22445, -0.24533, 0.05454, 0.17527, 0.17507,
      0.16077, 0.12317, 0.1089, 0.10091, 0.09233, 0,
    ],
  },
  400: {
    y: Y,
    u: [
      1, 0.75837, 0.68439, 0.61756, 0.55892, 0.29093, 0.16256, 0.02135, -0.11477, -0.17119, -0.32726,
      -0.24299, -0.14612, -0.10338, -0.09266, -0.08186, 0,
    ],
    x: X,
    v: [
      0, -0.12146, -0.15663, -0.19254, -0.22847, -0.23827, -0.44993, -0.38598, 0.05186, 0.30174, 0.30203,
      0.28124, 0.22965, 0.2092, 0.19713, 0.1836, 0,
    ],
  },
};

/** Entries of the printed tables that comparisons skip, with the reason (index into `x`/`v` or `y`/`u`). */
export const GHIA_1982_SUSPECT: ReadonlyArray<{
  re: 100 | 400;
  table: 'u' | 'v';
  index: number;
  reason: string;
}> = [
  {
    re: 400,
    table: 'v',
    index: 5,
    reason:
      'v(0.9063, 0.5) = −0.23827 is not between its neighbours −0.22847 (x = 0.9453) and −0.44993 (x = 0.8594); solvers on finer grids give ≈ −0.38',
  },
];
