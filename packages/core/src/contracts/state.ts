/** JSON value, as stored in run records and checkpoints. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A tensor's values detached from any backend, for checkpoints. */
export interface TensorData {
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  values: Float32Array | Int32Array | Uint8Array;
}

/** Saved state of something that can be checkpointed. */
export interface StateDict {
  tensors: Record<string, TensorData>;
  json?: JsonValue;
}

/** Anything whose state a checkpoint can save and restore (models, optimizers, data cursors). */
export interface Stateful {
  /** Captures the current state (reads tensors back from the backend). */
  getState(): Promise<StateDict>;
  /** Replaces the current state with a saved one. */
  setState(state: StateDict): void;
}
