import type { Checkpoint } from '../contracts/runContext.js';
import type { JsonValue, StateDict, TensorData } from '../contracts/state.js';
import { parseExact, stringifyExact } from './jsonCodec.js';

const MAGIC = [0x50, 0x4c, 0x43, 0x4b]; // "PLCK"

interface TensorEntry {
  state: string;
  name: string;
  shape: number[];
  dtype: TensorData['dtype'];
  offset: number;
  length: number;
}

/** Serialises a checkpoint: "PLCK", u32 header length, JSON header, then 8-byte-aligned tensor buffers. */
export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const entries: TensorEntry[] = [];
  const buffers: Uint8Array[] = [];
  let offset = 0;
  const states: Record<string, { json?: JsonValue }> = {};
  for (const [stateName, state] of Object.entries(checkpoint.states)) {
    states[stateName] = state.json === undefined ? {} : { json: state.json };
    for (const [name, t] of Object.entries(state.tensors)) {
      const bytes = new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength);
      entries.push({
        state: stateName,
        name,
        shape: t.shape,
        dtype: t.dtype,
        offset,
        length: t.values.length,
      });
      buffers.push(bytes);
      offset += Math.ceil(bytes.byteLength / 8) * 8;
    }
  }
  const header = new TextEncoder().encode(
    stringifyExact({
      step: checkpoint.step,
      rng: checkpoint.rng ?? null,
      json: checkpoint.json ?? null,
      states,
      entries,
    }),
  );
  const headerPadded = Math.ceil((8 + header.byteLength) / 8) * 8;
  const out = new Uint8Array(headerPadded + offset);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, header.byteLength, true);
  out.set(header, 8);
  let k = 0;
  for (const e of entries) out.set(buffers[k++]!, headerPadded + e.offset);
  return out;
}

/** Reads a checkpoint written by {@link encodeCheckpoint}. */
export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  if (bytes.length < 8 || MAGIC.some((m, i) => bytes[i] !== m))
    throw new Error('Not a paperlab checkpoint (bad magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = view.getUint32(4, true);
  if (8 + len > bytes.length)
    throw new Error(`Truncated paperlab checkpoint (header of ${len} bytes, file of ${bytes.length})`);
  const head = parseExact(new TextDecoder().decode(bytes.subarray(8, 8 + len))) as {
    step: number;
    rng: Checkpoint['rng'] | null;
    json: JsonValue | null;
    states: Record<string, { json?: JsonValue }>;
    entries: TensorEntry[];
  };
  const base = Math.ceil((8 + len) / 8) * 8;
  const states: Record<string, StateDict> = {};
  for (const [name, s] of Object.entries(head.states))
    states[name] = s.json === undefined ? { tensors: {} } : { tensors: {}, json: s.json };
  for (const e of head.entries) {
    const start = bytes.byteOffset + base + e.offset;
    const size = e.length * (e.dtype === 'bool' ? 1 : 4);
    if (base + e.offset + size > bytes.length || !states[e.state])
      throw new Error(`Truncated paperlab checkpoint (tensor ${e.state}/${e.name} lies past the end)`);
    const copy = bytes.buffer.slice(start, start + e.length * (e.dtype === 'bool' ? 1 : 4));
    const values =
      e.dtype === 'float32'
        ? new Float32Array(copy)
        : e.dtype === 'int32'
          ? new Int32Array(copy)
          : new Uint8Array(copy);
    states[e.state]!.tensors[e.name] = { shape: e.shape, dtype: e.dtype, values };
  }
  const out: Checkpoint = { step: head.step, states };
  if (head.rng) out.rng = head.rng;
  if (head.json !== null) out.json = head.json;
  return out;
}
