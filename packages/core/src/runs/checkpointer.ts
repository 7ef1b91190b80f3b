import type { Checkpoint, Checkpointer } from '../contracts/runContext.js';
import type { JsonValue } from '../contracts/state.js';
import { decodeCheckpoint, encodeCheckpoint } from './checkpointCodec.js';
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
  ) {}

  async save(key: string, checkpoint: Checkpoint): Promise<void> {
    await this.store.putFile(this.runId, `checkpoints/${safeKey(key)}.ckpt`, encodeCheckpoint(checkpoint));
  }

  async load(key: string): Promise<Checkpoint | undefined> {
    const bytes = await this.store.getFile(this.runId, `checkpoints/${safeKey(key)}.ckpt`);
    return bytes ? decodeCheckpoint(bytes) : undefined;
  }

  async cached<T extends JsonValue>(key: string, compute: () => Promise<T>): Promise<T> {
    const path = `checkpoints/done/${safeKey(key)}.json`;
    const bytes = await this.store.getFile(this.runId, path);
    if (bytes) return JSON.parse(new TextDecoder().decode(bytes)) as T;
    const value = await compute();
    await this.store.putFile(this.runId, path, JSON.stringify(value));
    return value;
  }
}
