/** `v` rounded to `digits` decimals, as a number (a table cell that sorts and exports as a number). */
export function rounded(v: number, digits: number): number {
  return Number(v.toFixed(digits));
}
