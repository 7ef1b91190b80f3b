let lastYield = 0;

/**
 * Gives the event loop one turn (a macrotask) at most every `everyMs`, so signal handlers (Ctrl-C, SIGTERM),
 * the Stop button's message and heartbeats run during long loops whose awaits are all microtasks (tfjs
 * reads). Cheap enough for every step of a training loop; never changes results.
 */
export async function yieldToEventLoop(everyMs = 50): Promise<void> {
  const now = performance.now();
  if (now - lastYield < everyMs) return;
  lastYield = now;
  await new Promise<void>((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}
