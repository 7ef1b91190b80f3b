/**
 * Plane Poiseuille flow between walls y = 0 and y = 1 in the units of the dimensionless steady Navier–Stokes
 * equations (ν = 1/Re): u = 4·U·y(1 − y), v = 0, p = −(8U/Re)·x (p = 0 at x = 0), U the centreline speed.
 */
export function poiseuille(x: number, y: number, re: number, uMax = 1): { u: number; v: number; p: number } {
  if (!(re > 0)) throw new RangeError(`poiseuille: Reynolds number must be positive, got ${re}`);
  return { u: 4 * uMax * y * (1 - y), v: 0, p: (-8 * uMax * x) / re };
}
