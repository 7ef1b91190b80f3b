import { describe, expect, it } from 'vitest';
import { Rng } from '../rng/rng.js';
import { mean, std } from '../util/stats.js';

describe('Rng', () => {
  it('same seed → same stream; different seeds → different streams', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xa = Array.from({ length: 100 }, () => a.uniform());
    expect(Array.from({ length: 100 }, () => b.uniform())).toEqual(xa);
    expect(Array.from({ length: 100 }, () => c.uniform())).not.toEqual(xa);
  });

  it('split children depend on the label and path, not on how much the parent consumed', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    for (let i = 0; i < 1000; i++) b.uniform();
    expect(a.split('x').normals(10)).toEqual(b.split('x').normals(10));
    expect(a.split('x').normals(10)).not.toEqual(a.split('y').normals(10));
    expect(a.split('x').split('z').uniform()).not.toBe(a.split('x').uniform());
  });

  it('state round-trips mid-stream, including the cached Box–Muller spare', () => {
    const r = new Rng(3).split('s');
    r.normal(); // leaves a spare
    const snap = r.state();
    const next = [r.normal(), r.normal(), r.uniform(), r.int(17)];
    const restored = Rng.fromState(JSON.parse(JSON.stringify(snap)));
    expect([restored.normal(), restored.normal(), restored.uniform(), restored.int(17)]).toEqual(next);
  });

  it('distributions have the right moments', () => {
    const r = new Rng(11);
    const u = r.uniforms(50_000);
    expect(mean(u)).toBeCloseTo(0.5, 2);
    const n = r.normals(50_000, 2, 3);
    expect(mean(n)).toBeCloseTo(2, 1);
    expect(std(n)).toBeCloseTo(3, 1);
    const counts = new Array(5).fill(0);
    for (let i = 0; i < 50_000; i++) counts[r.int(5)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    const cat = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) cat[r.categorical([1, 2, 3])]!++;
    expect(cat[2]! / cat[0]!).toBeCloseTo(3, 0);
  });

  it('permutation is a permutation; shuffle keeps the elements', () => {
    const p = Array.from(new Rng(1).permutation(100)).sort((a, b) => a - b);
    expect(p).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(new Rng(1).shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('rejects bad seeds and bad int bounds', () => {
    expect(() => new Rng(-1)).toThrow(/non-negative/);
    expect(() => new Rng(1.5)).toThrow();
    expect(() => new Rng(1).int(0)).toThrow();
  });
});
