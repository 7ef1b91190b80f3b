import * as tf from '@tensorflow/tfjs-core';
import type { StateDict, TensorData } from '../contracts/state.js';

/** Reads a tensor into backend-independent {@link TensorData}. */
export async function tensorData(t: tf.Tensor): Promise<TensorData> {
  const dtype = t.dtype === 'int32' ? 'int32' : t.dtype === 'bool' ? 'bool' : 'float32';
  const raw = await t.data();
  const values =
    dtype === 'float32'
      ? Float32Array.from(raw as Float32Array)
      : dtype === 'int32'
        ? Int32Array.from(raw as Int32Array)
        : Uint8Array.from(raw as Uint8Array);
  return { shape: [...t.shape], dtype, values };
}

/** State of named variables. */
export async function variablesState(vars: Record<string, tf.Variable>): Promise<StateDict> {
  const tensors: Record<string, TensorData> = {};
  for (const [name, v] of Object.entries(vars)) tensors[name] = await tensorData(v);
  return { tensors };
}

/** Assigns saved values to named variables, checking names and shapes. */
export function assignVariables(vars: Record<string, tf.Variable>, state: StateDict): void {
  for (const [name, v] of Object.entries(vars)) {
    const t = state.tensors[name];
    if (!t) throw new Error(`State has no tensor '${name}' (has: ${Object.keys(state.tensors).join(', ')})`);
    if (t.shape.join(',') !== v.shape.join(',')) {
      throw new Error(`State tensor '${name}' has shape [${t.shape}] but the variable has [${v.shape}]`);
    }
    tf.tidy(() => v.assign(tf.tensor(t.values, t.shape, t.dtype)));
  }
}

/** Saves an optimizer's slots (Adam moments, momentum...). */
export async function optimizerState(optimizer: tf.Optimizer): Promise<StateDict> {
  const weights = await optimizer.getWeights();
  const tensors: Record<string, TensorData> = {};
  const order: string[] = [];
  for (const w of weights) {
    tensors[w.name] = await tensorData(w.tensor);
    order.push(w.name);
    // getWeights() hands out a fresh scalar for the iteration count; slot variables stay owned by the optimizer.
    if (!(w.tensor instanceof tf.Variable)) w.tensor.dispose();
  }
  return { tensors, json: order };
}

/** Restores an optimizer's slots saved by {@link optimizerState}. */
export async function restoreOptimizer(optimizer: tf.Optimizer, state: StateDict): Promise<void> {
  const order = (state.json as string[] | undefined) ?? Object.keys(state.tensors);
  const named = order.map((name) => {
    const t = state.tensors[name]!;
    return { name, tensor: tf.tensor(t.values, t.shape, t.dtype) };
  });
  await optimizer.setWeights(named);
  for (const n of named) n.tensor.dispose();
}
