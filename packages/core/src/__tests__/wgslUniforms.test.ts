import { describe, expect, it } from 'vitest';
import { wgslUniforms } from '../kernels/kernelSpec.js';

describe('wgslUniforms', () => {
  it('declares the uniforms in order and gives their values with matching types', () => {
    expect(wgslUniforms({ depth: ['i32', 3], sw2: ['f32', 1.5], cells: ['i32', 12] })).toEqual({
      uniforms: 'depth : i32, sw2 : f32, cells : i32,',
      uniformData: [
        { type: 'int32', data: [3] },
        { type: 'float32', data: [1.5] },
        { type: 'int32', data: [12] },
      ],
    });
    expect(wgslUniforms({})).toEqual({ uniforms: '', uniformData: [] });
  });
});
