import type { Checkpoint, Checkpointer } from '../contracts/runContext.js';
import type { JsonValue } from '../contracts/state.js';
import { decodeCheckpoint, encodeCheckpoint } from './checkpointCodec.js';
import { parseExact, stringifyExact } from './jsonCodec.js';
import type { RunStore } from './store.js';

/** Makes a checkpoint key file-safe (keeps letters, digits, `.`, `_`, `-`; escapes the rest). */
export function safeKey(key: string): string {
  return key.replace(/[^A-Za-z0-9._-]/g, (c) => `~${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Checkpoints stored under `checkpoints/` of a run in a RunStore. */
export class StoreCheckpointer implements Checkpointer {
  constructor(
    private readonly store: RunStore,
    private readonly runId: string,
    readonly resuming: boolean,
    /** Where "this checkpoint was unreadable, recomputing" goes (the run's log). */
    private readonly warn: (message: string) => void = () => {},
  ) {}

  async save(key: string, checkpoint: Checkpoint): Promise<void> {
    await this.store.putFile(this.runId, `checkpoints/${safeKey(key)}.ckpt`, encodeCheckpoint(checkpoint));
  }

  /** The checkpoint under `key`; an unreadable one is logged and treated as absent (the work is redone). */
  async load(key: string): Promise<Checkpoint | undefined> {
    const path = `checkpoints/${safeKey(key)}.ckpt`;
    const bytes = await this.store.getFile(this.runId, path);
    if (!bytes) return undefined;
    try {
      return decodeCheckpoint(bytes);
    } catch (err) {
      this.warn(
        `Checkpoint ${path} of run ${this.runId} is unreadable (${(err as Error).message}); starting '${key}' over.`,
      );
      return undefined;
    }
  }

  /**
   * A finished unit of work, computed once. The value is stored with NaN/±Infinity/−0 intact, so a resumed run
   * reads exactly what the interrupted one computed; an unreadable cached value is logged and recomputed.
   */
  async cached<T extends JsonValue>(key: string, compute: () => Promise<T>): Promise<T> {
    const path = `checkpoints/done/${safeKey(key)}.json`;
    const bytes = await this.store.getFile(this.runId, path);
    if (bytes) {
      const text = new TextDecoder().decode(bytes);
      try {
        if (text.trim() === '') throw new Error('the file is empty');
        return parseExact(text) as T;
      } catch (err) {
        this.warn(
          `Cached result ${path} of run ${this.runId} is unreadable (${(err as Error).message}); recomputing '${key}'.`,
        );
      }
    }
    const value = await compute();
    await this.store.putFile(this.runId, path, stringifyExact(value));
    return value;
  }
}
