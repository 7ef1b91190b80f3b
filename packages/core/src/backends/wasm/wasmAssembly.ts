// WebAssembly modules assembled from bytes in TypeScript (no toolchain, no binary blob): the encodings every
// hand-assembled module needs (LEB128, vectors, sections, names, the header) and a guarded compile that returns
// null where the engine lacks WebAssembly or a feature the module uses (SIMD, bulk memory). Used by core's wasm
// kernel patches and by plugins with their own SIMD kernels.

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** A vector: its length, then its items. */
export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];

/** A section: id, byte size, body. */
export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** A name (ASCII) as a byte vector. */
export const name = (s: string): number[] => vec([...s].map((ch) => [ch.charCodeAt(0)]));

/** Value type `i32`. */
export const I32 = 0x7f;

/** Value type `v128`. */
export const V128 = 0x7b;

/** A SIMD instruction: prefix 0xFD, its LEB128 index, then its immediates. */
export const simd = (index: number, ...imm: number[]): number[] => [0xfd, ...uleb(index), ...imm];

/** A whole module: the magic number and version 1, then the given sections in order. */
export function wasmModule(...sections: number[][]): Uint8Array<ArrayBuffer> {
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...sections.flat()]);
}

/** Compiles the bytes, or returns null where this engine has no WebAssembly or rejects the module (no SIMD…). */
export function compileOrNull(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Module | null {
  if (typeof WebAssembly === 'undefined') return null;
  try {
    return WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    return null;
  }
}
