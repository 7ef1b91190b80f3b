/**
 * Holds the data of one seed at a time: cells run seed by seed (seed outermost), so each seed's data is made once
 * and dropped when the next seed starts; a resumed run remakes it from the same seed.
 */
export function seedCache<T>(make: (seed: number) => T): (seed: number) => T {
  let held: { seed: number; value: T } | undefined;
  return (seed) => {
    if (held?.seed !== seed) held = { seed, value: make(seed) };
    return held.value;
  };
}
