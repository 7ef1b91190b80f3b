/** Share of positions where a and b have the same sign (Math.sign); with b = ±1 labels, the accuracy of a. */
export function signAgreement(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let agree = 0;
  for (let i = 0; i < b.length; i++) if (Math.sign(a[i]!) === Math.sign(b[i]!)) agree++;
  return agree / b.length;
}
