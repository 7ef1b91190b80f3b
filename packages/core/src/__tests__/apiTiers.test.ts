import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as root from '../index.js';

// Issue 8: the root entry holds what a paper author needs first (≤ ~70 symbols); the rest lives in subpaths.
const source = readFileSync(new URL('../index.ts', import.meta.url), 'utf8');

/** Every name the root entry exports (values and types), read from its `export { … } from` lists. */
function rootNames(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/export\s+(type\s+)?\{([^}]*)\}/g))
    for (const part of m[2]!.split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop();
      if (name) names.push(name);
    }
  return names;
}

describe('the root entry of @paperlab/core', () => {
  const names = rootNames(source);

  it('exports at most 70 symbols, each once, and only through export lists', () => {
    expect(names.length).toBeGreaterThan(20);
    expect(names.length).toBeLessThanOrEqual(70);
    expect(new Set(names).size).toBe(names.length);
    // `export *` or a declared export would escape the count above.
    expect(source).not.toMatch(/export\s+\*/);
    expect(source).not.toMatch(/^export\s+(const|let|function|class|interface|type\s+\w+\s*=|enum)\b/m);
  });

  it('every runtime value it exports is one of the counted names', () => {
    const values = Object.keys(root);
    expect(values.length).toBeGreaterThan(10);
    for (const v of values) expect(names).toContain(v);
  });

  it('counts what a reader counts', () => {
    expect(rootNames('export { a, type B, c as d } from "x";\nexport type { E } from "y";')).toEqual([
      'a',
      'B',
      'd',
      'E',
    ]);
  });
});
