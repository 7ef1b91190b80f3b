import { describe, expect, it } from 'vitest';
import { configHash, htmlReport, markdownReport } from '../report/markdown.js';
import { RUN_SCHEMA, type RunHeader, type RunResult } from '../runs/record.js';

const header: RunHeader = {
  schema: RUN_SCHEMA,
  id: '20261202-120000-toy-smith2024-a1b2c3',
  experiment: 'toy/smith2024',
  paper: { title: 'Toy <paper>', authors: 'A. Smith', year: 2024, url: 'https://example.org' },
  plugin: { name: 'toy', packageName: 'toy-plugin', version: '1.2.3' },
  preset: 'smoke',
  overrides: { steps: 40 },
  config: { steps: 40, widths: [8, 16] },
  seed: 7,
  backend: {
    requested: 'auto',
    name: 'wasm',
    fallbacks: [{ backend: 'tensorflow', reason: 'not installed' }],
    patches: [],
    platform: 'node',
  },
  versions: { '@paperlab/core': '0.1.0', '@tensorflow/tfjs-core': '4.22.0' },
  host: { platform: 'linux-x64', cpus: 2 },
  status: 'completed',
  createdAt: '2026-12-02T12:00:00.000Z',
  updatedAt: '2026-12-02T12:00:05.000Z',
  durationMs: 5000,
  attempts: 1,
};

const result = {
  claims: [
    {
      id: 'learns',
      kind: 'paper',
      statement: 'accuracy beats chance',
      verdict: 'reproduced',
      measured: 'accuracy 0.93',
      expected: '> 0.9',
      source: { quote: 'q', where: 'Table 2', value: '0.95' },
    },
    {
      id: 'finite',
      kind: 'control',
      statement: 'loss is finite',
      verdict: 'not-reproduced',
      measured: 'loss NaN',
      expected: 'finite',
    },
    { id: 'small', kind: 'paper', statement: 's', verdict: 'inconclusive', measured: 'm', expected: 'e' },
  ],
  summary: { total: 3, reproduced: 1, notReproduced: 1, inconclusive: 1 },
  scalars: { accuracy: 0.9312345, loss: 0.25 },
  series: {},
  tables: [
    {
      title: 'Accuracy by width',
      columns: ['width', 'accuracy'],
      rows: [
        [8, 0.81],
        [16, 0.9312],
      ],
    },
  ],
  warnings: ['one seed only'],
} as unknown as RunResult;

describe('htmlReport', () => {
  const html = htmlReport(header, result, {});
  it('holds everything the Markdown report has: provenance, claims by kind, scalars, tables, config, versions', () => {
    const md = markdownReport(header, result);
    for (const text of [
      header.id,
      'smoke',
      'wasm',
      'tensorflow',
      '5.0 s',
      '0.9312',
      'Accuracy by width',
      '0.81',
    ]) {
      expect(md).toContain(text);
      expect(html).toContain(text);
    }
    expect(html).toContain('@paperlab/core 0.1.0, @tensorflow/tfjs-core 4.22.0');
    expect(html).toContain('<h3>Paper claims</h3>');
    expect(html).toContain('<h3>Controls');
    expect(html).toContain('toy-plugin 1.2.3');
    expect(html).toContain(configHash(header.config));
    expect(html).toContain('&quot;widths&quot;: [');
    expect(html).toContain('warning: one seed only');
    expect(html).toContain('Toy &lt;paper&gt;');
    expect(html).toContain('<td>seed</td><td>7</td>');
  });

  it('draws verdicts as inline SVG, not font-dependent characters', () => {
    expect(html).toContain('aria-label="reproduced"');
    expect(html).toContain('aria-label="not reproduced"');
    expect(html).toContain('aria-label="inconclusive"');
    expect(html).not.toMatch(/[✔✘✅❌⚠]/u);
  });

  it('config hash: equal configs (any key order) give equal hashes, different ones differ', () => {
    expect(configHash({ a: 1, b: [1, 2] })).toBe(configHash({ b: [1, 2], a: 1 }));
    expect(configHash({ a: 1 })).not.toBe(configHash({ a: 2 }));
    expect(configHash({ a: 1 })).toMatch(/^[0-9a-f]{16}$/);
  });
});
