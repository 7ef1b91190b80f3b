import { readFileSync } from 'node:fs';
import { createLab } from '@paperlab/core';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
  keywords: string[];
};

describe('@paperlab/plugin-quantum', () => {
  it('declares the package it ships in, with the paperlab-plugin keyword', () => {
    expect(plugin.packageName).toBe(pkg.name);
    expect(plugin.version).toBe(pkg.version);
    expect(plugin.name).toBe('quantum');
    expect(pkg.keywords).toContain('paperlab-plugin');
  });

  it('loads into a Lab; every registered experiment lives in its namespace', async () => {
    const lab = await createLab({ plugins: [plugin] });
    expect(lab.listPlugins().map((p) => p.packageName)).toEqual([pkg.name]);
    for (const e of lab.listExperiments()) expect(e.id.startsWith('quantum/')).toBe(true);
  });
});
