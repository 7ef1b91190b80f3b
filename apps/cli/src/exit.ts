/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, failed: 1, usage: 2, notReproduced: 3, interrupted: 130 } as const;
