import { DataFormatError } from './labelledArrays.js';

/** A parsed IDX array (the MNIST family's file format). */
export interface IdxArray {
  dtype: 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
  shape: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Record<number, { dtype: IdxArray['dtype']; size: number }> = {
  8: { dtype: 'uint8', size: 1 },
  9: { dtype: 'int8', size: 1 },
  11: { dtype: 'int16', size: 2 },
  12: { dtype: 'int32', size: 4 },
  13: { dtype: 'float32', size: 4 },
  14: { dtype: 'float64', size: 8 },
};

/** Whether bytes start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses gzip with the platform's DecompressionStream (Node ≥ 18 and browsers). */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Parses an IDX file (big-endian header: magic 0 0 type rank, then rank uint32 sizes). */
export function parseIdx(bytes: Uint8Array, origin = 'IDX data'): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataFormatError(
      `${origin}: not an IDX file (bad magic ${Array.from(bytes.slice(0, 4)).join(',')}); is it still gzipped?`,
    );
  }
  const type = TYPES[bytes[2]!];
  if (!type)
    throw new DataFormatError(
      `${origin}: unknown IDX element type 0x${bytes[2]!.toString(16)} (expected 0x08 uint8, 0x09 int8, 0x0b int16, 0x0c int32, 0x0d float32 or 0x0e float64)`,
    );
  const rank = bytes[3]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = 4 + 4 * rank;
  if (bytes.length < header)
    throw new DataFormatError(
      `${origin}: truncated IDX header (${bytes.length} bytes, rank ${rank} needs ${header}); the file is cut short`,
    );
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = header + count * type.size;
  if (bytes.length < expected) {
    throw new DataFormatError(
      `${origin}: truncated IDX body (${bytes.length} bytes, expected ${expected} for shape [${shape.join(', ')}]); the file is cut short`,
    );
  }
  if (bytes.length > expected) {
    throw new DataFormatError(
      `${origin}: ${bytes.length - expected} bytes after the data of shape [${shape.join(', ')}] (${type.dtype}); the header's rank or sizes are wrong`,
    );
  }
  let data: IdxArray['data'];
  switch (type.dtype) {
    case 'uint8':
      data = bytes.slice(header, header + count);
      break;
    case 'int8':
      data = new Int8Array(bytes.slice(header, header + count).buffer);
      break;
    default: {
      const ctor = { int16: Int16Array, int32: Int32Array, float32: Float32Array, float64: Float64Array }[
        type.dtype
      ];
      const out = new ctor(count);
      for (let i = 0; i < count; i++) {
        const o = header + i * type.size;
        out[i] =
          type.dtype === 'int16'
            ? view.getInt16(o, false)
            : type.dtype === 'int32'
              ? view.getInt32(o, false)
              : type.dtype === 'float32'
                ? view.getFloat32(o, false)
                : view.getFloat64(o, false);
      }
      data = out;
    }
  }
  return { dtype: type.dtype, shape, data };
}

/** Encodes an IDX file (used by tests and tools to write small fixtures). */
export function encodeIdx(array: {
  dtype: 'uint8' | 'float32' | 'int32';
  shape: number[];
  data: ArrayLike<number>;
}): Uint8Array {
  const code = { uint8: 0x08, int32: 0x0c, float32: 0x0d }[array.dtype];
  const size = { uint8: 1, int32: 4, float32: 4 }[array.dtype];
  const header = 4 + 4 * array.shape.length;
  const count = array.shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(header + count * size);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = array.shape.length;
  array.shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  for (let i = 0; i < count; i++) {
    const o = header + i * size;
    const v = array.data[i]!;
    if (array.dtype === 'uint8') out[o] = v;
    else if (array.dtype === 'int32') view.setInt32(o, v, false);
    else view.setFloat32(o, v, false);
  }
  return out;
}
