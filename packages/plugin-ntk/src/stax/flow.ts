import type { Flow, Shape } from './types.js';

/** Whether a flowing value is a list (of shapes, tensors or kernels) rather than one value. */
export function isList<T>(x: Flow<T> | Flow<Shape>): x is T[] {
  if (!Array.isArray(x)) return false;
  // A Shape is itself an array of numbers; a list of shapes is an array of arrays.
  return x.length === 0 || typeof x[0] !== 'number';
}

/** The single value of a flow, or a clear error naming the layer when a list arrives. */
export function single<T>(layer: string, x: Flow<T>): T {
  if (isList<T>(x as Flow<T>))
    throw new Error(
      `${layer}: got a list of ${(x as T[]).length} inputs; combine them first (fanInSum/fanInConcat) or use parallel(...)`,
    );
  return x as T;
}

/** The list of a flow, or a clear error when a single value arrives. */
export function list<T>(layer: string, x: Flow<T>, length?: number): T[] {
  if (!isList<T>(x as Flow<T>)) throw new Error(`${layer}: expects a list of inputs (use fanOut(n) first)`);
  const xs = x as T[];
  if (length !== undefined && xs.length !== length)
    throw new Error(`${layer}: expects ${length} inputs, got ${xs.length}`);
  return xs;
}
