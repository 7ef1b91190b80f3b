import { describe, expect, it } from 'vitest';
import * as wasm from '../backends/wasm/wasmAssembly.js';

const { compileOrNull, I32, name, section, sleb, uleb, vec, wasmModule } = wasm;

describe('wasmAssembly', () => {
  it('LEB128 encodings match the specification examples', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });

  it('a module of one exported function (i32, i32) → i32 adding its arguments compiles and runs', () => {
    const type = section(1, vec([[0x60, ...vec([[I32], [I32]]), ...vec([[I32]])]]));
    const funcs = section(3, vec([[0]]));
    const exports = section(7, vec([[...name('add'), 0x00, 0]]));
    const body = [0x00, 0x20, 0, 0x20, 1, 0x6a, 0x0b]; // no locals; get 0, get 1, i32.add, end
    const code = section(10, vec([[...uleb(body.length), ...body]]));
    const mod = compileOrNull(wasmModule(type, funcs, exports, code));
    expect(mod).not.toBeNull();
    const add = new WebAssembly.Instance(mod!, {}).exports.add as (a: number, b: number) => number;
    expect(add(2, 40)).toBe(42);
  });

  it('compileOrNull returns null for bytes the engine rejects', () => {
    expect(compileOrNull(wasmModule([0xff, 0x00]))).toBeNull();
  });
});
