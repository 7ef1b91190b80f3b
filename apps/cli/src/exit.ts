/**
 * Exit codes scripts can rely on. When several apply (`reproduce`), the most severe wins:
 * interrupted > failed > verdictsChanged > notReproduced > inconclusive.
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  /** `--strict` (or `--strict-inconclusive`): a claim was not reproduced. */
  notReproduced: 3,
  /** `reproduce --check-expected`: a verdict differs from the plugin's committed table (either direction). */
  verdictsChanged: 4,
  /** `--strict-inconclusive`: no claim failed, but one was inconclusive. */
  inconclusive: 5,
  interrupted: 130,
} as const;

/** An exit code of {@link EXIT}. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const SEVERITY: readonly number[] = [
  EXIT.interrupted,
  EXIT.failed,
  EXIT.usage,
  EXIT.verdictsChanged,
  EXIT.notReproduced,
  EXIT.inconclusive,
  EXIT.ok,
];

/** The more severe of two exit codes (see {@link EXIT}). */
export function worstExit(a: number, b: number): number {
  const rank = (c: number) => {
    const i = SEVERITY.indexOf(c);
    return i === -1 ? 0 : i;
  };
  return rank(a) <= rank(b) ? a : b;
}
