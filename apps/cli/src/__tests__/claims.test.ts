import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ClaimVerdict, createLab, type Lab } from '@paperlab/core';
import { parseExpectedVerdicts } from '@paperlab/core/runs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimJson, claimLines } from '../commands/info.js';
import { reproduce, reproduceSpec } from '../commands/reproduce.js';
import { EXIT } from '../exit.js';
import { defaultExpectedPath } from '../expected.js';
import { main } from '../main.js';
import { parseCommand } from '../parse.js';
import { type RunOptions, runAndReport } from '../session.js';
import { claimsText, shortCounts, strictExit } from '../ui/claims.js';
import { capture } from './capture.js';
import { doe2020, fakePlugin } from './fakePlugin.js';

// Claims by kind in the CLI's outputs, the strict exit codes and the committed expected-verdict tables, run
// in-process against a tiny plugin (fakePlugin.ts) whose verdicts follow its config.

const verdict = (
  id: string,
  v: ClaimVerdict['verdict'],
  extra: Partial<ClaimVerdict> = {},
): ClaimVerdict => ({
  id,
  statement: id,
  verdict: v,
  measured: 'm',
  expected: 'e',
  ...extra,
});

describe('claims by kind', () => {
  let lab: Lab;
  let dir: string;
  const base = (): RunOptions => ({
    json: false,
    store: join(dir, 'runs'),
    set: [],
    strict: false,
    backend: 'cpu',
  });

  beforeAll(async () => {
    lab = await createLab({ plugins: [fakePlugin] });
    dir = await mkdtemp(join(tmpdir(), 'paperlab-claims-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('run: paper claims (with their place) then controls, the revised verdict with the original, the counts line', async () => {
    const io = capture();
    const code = await runAndReport(lab, io, { ...base(), preset: 'smoke' }, { experiment: 'fake/doe2020' });
    expect(code, io.stderr).toBe(0);
    const out = io.stdout;
    expect(out.indexOf('Paper claims')).toBeGreaterThan(-1);
    expect(out.indexOf('Controls')).toBeGreaterThan(out.indexOf('Paper claims'));
    expect(out.indexOf('value-finite')).toBeGreaterThan(out.indexOf('Controls'));
    expect(out).toMatch(/value-positive\s+Table 2, 0\.9\s+✔ reproduced/);
    expect(out).toContain('✔ reproduced (revised; original rule: ✘ not reproduced)');
    expect(out).toContain('value-small: rule revised 2026-12-01 (the paper’s unit is tenths)');
    expect(out).toContain('paper claims 2/2 reproduced (1 after revision) · controls 1/1.');

    const json = capture();
    await runAndReport(lab, json, { ...base(), json: true, preset: 'smoke' }, { experiment: 'fake/doe2020' });
    const doc = json.docs[0] as {
      result: { claims: ClaimVerdict[]; summary: { paper: { total: number }; control: { total: number } } };
    };
    expect(doc.result.claims.map((c) => c.kind)).toEqual(['paper', 'paper', 'control']);
    expect(doc.result.claims[0]!.source?.where).toBe('Table 2');
    expect(doc.result.claims[0]!.rule?.text).toBe('value > 0 (0 is inconclusive)');
    expect(doc.result.claims[1]!.original?.verdict).toBe('not-reproduced');
    expect(doc.result.summary.paper.total).toBe(2);
    expect(doc.result.summary.control.total).toBe(1);
  });

  it('--strict fails only on not-reproduced (3); --strict-inconclusive also on inconclusive (5)', async () => {
    const run = async (value: number, flags: Partial<RunOptions>) =>
      runAndReport(
        lab,
        capture(),
        { ...base(), preset: 'smoke', set: [`value=${value}`], ...flags },
        { experiment: 'fake/doe2020' },
      );
    expect(await run(0, { strict: true })).toBe(EXIT.ok); // inconclusive does not fail --strict
    expect(await run(0, { 'strict-inconclusive': true })).toBe(EXIT.inconclusive);
    expect(await run(-1, { strict: true })).toBe(EXIT.notReproduced);
    expect(await run(-1, { 'strict-inconclusive': true })).toBe(EXIT.notReproduced);
    expect(await run(1, { 'strict-inconclusive': true })).toBe(EXIT.ok);
    expect(await run(-1, {})).toBe(EXIT.ok);
    // A failing control fails --strict as well.
    expect(strictExit([verdict('c', 'not-reproduced', { kind: 'control' })], { strict: true })).toBe(3);
  });

  it('records without kinds count as paper claims (closing line, runs column)', async () => {
    const old = [verdict('a', 'reproduced'), verdict('b', 'inconclusive'), verdict('c', 'not-reproduced')];
    expect(claimsText(old).at(-1)).toBe('paper claims 1/3 reproduced, 1 inconclusive.');
    expect(claimsText(old).join('\n')).not.toContain('Controls');
    expect(shortCounts(old)).toBe('1/3');
    expect(shortCounts([...old, verdict('d', 'reproduced', { kind: 'control' })])).toBe('1/3 · c 1/1');

    // An old result.json (no kinds, old summary) in the store: `runs` recomputes its counts from the claims.
    const store = join(dir, 'old-runs');
    const io = capture();
    await runAndReport(lab, io, { ...base(), store, preset: 'smoke' }, { experiment: 'fake/doe2020' });
    const listed = capture();
    expect(await main(['runs', '--store', store, '--json'], listed)).toBe(0);
    const [header] = listed.docs[0] as Array<{ id: string }>;
    const file = join(store, header!.id, 'result.json');
    const result = JSON.parse(await readFile(file, 'utf8'));
    for (const c of result.claims) delete c.kind;
    result.summary = { reproduced: 3, notReproduced: 0, inconclusive: 0, total: 3 };
    await writeFile(file, JSON.stringify(result));
    const runs = capture();
    expect(await main(['runs', '--store', store], runs)).toBe(0);
    expect(runs.stdout).toMatch(/completed .* 3\/3\n/);
    const fresh = capture();
    await runAndReport(lab, fresh, { ...base(), store, preset: 'smoke' }, { experiment: 'fake/doe2020' });
    const again = capture();
    await main(['runs', '--store', store], again);
    expect(again.stdout).toContain('2/2 · c 1/1');
    const shown = capture();
    expect(await main(['show', header!.id, '--store', store, '--json'], shown)).toBe(0);
    const doc = shown.docs[0] as {
      result: { summary: { paper: { total: number } }; claims: ClaimVerdict[] };
    };
    expect(doc.result.summary.paper.total).toBe(3);
    expect(doc.result.claims.every((c) => c.kind === 'paper')).toBe(true);
  });

  it('info: claims grouped by kind, with the paper’s words and place, the rule and the revision', () => {
    const text = claimLines(doe2020.claims).join('\n');
    expect(text).toContain('Paper claims (2):');
    expect(text).toContain('paper (Table 2): "the value is positive" — 0.9');
    expect(text).toContain('rule: value > 0 (0 is inconclusive)');
    expect(text).toContain('revised 2026-12-01 (the paper’s unit is tenths): value < 5');
    expect(text.indexOf('Controls (1;')).toBeGreaterThan(text.indexOf('value-small'));
    expect(claimJson(doe2020.claims[1]!)).toMatchObject({
      kind: 'paper',
      source: { where: '§3' },
      rule: { text: 'value < 0.5' },
      revision: { date: '2026-12-01', rule: { text: 'value < 5' } },
    });
  });

  it('reproduce counts paper claims apart from controls, per experiment and in total (text and Markdown)', async () => {
    const io = capture();
    const md = join(dir, 'fake.md');
    const code = await reproduce(lab, io, { ...base(), preset: 'smoke', out: md }, 'fake');
    expect(code, io.stderr).toBe(0);
    expect(io.stdout).toMatch(/fake\/doe2020\s+completed\s+2\/2 \(1 after revision\)\s+1\/1/);
    expect(io.stdout).toMatch(/fake\/roe2021\s+completed\s+1\/1\s+—/);
    expect(io.stdout).toContain(
      'paper claims 3/3 reproduced (1 after revision) · controls 1/1 — 2 experiments',
    );
    const text = await readFile(md, 'utf8');
    expect(text).toContain('**paper claims 3/3 reproduced (1 after revision) · controls 1/1**');
    expect(text).toContain('| fake/doe2020 | completed | 2/2 (1 after revision) | 1/1 |');
    const paperRows = text.split('## Paper claims')[1]!.split('## Controls')[0]!;
    expect(paperRows.split('\n').filter((l) => l.startsWith('| fake/'))).toHaveLength(3);
    expect(paperRows).toContain('| fake/doe2020 | value-positive | Table 2, 0.9 | reproduced |');
    expect(paperRows).toContain('reproduced (revised; original rule: not-reproduced)');
    expect(text.split('## Controls')[1]).toContain('| fake/doe2020 | value-finite | reproduced |');
    expect(text).toContain('## Revised rules');

    const json = capture();
    await reproduce(lab, json, { ...base(), json: true, preset: 'smoke' }, 'fake');
    const doc = json.docs[0] as {
      summary: { paper: { total: number; revised: number }; control: { total: number } };
      experiments: Array<{ summary: { control: { total: number } } }>;
    };
    expect(doc.summary.paper).toMatchObject({ total: 3, revised: 1 });
    expect(doc.summary.control.total).toBe(1);
    expect(doc.experiments.map((e) => e.summary.control.total)).toEqual([1, 0]);
  });
});

describe('reproduce --check-expected / --write-expected', () => {
  let lab: Lab;
  let dir: string;
  let table: string;
  const opts = (extra: Record<string, unknown> = {}) => ({
    json: false,
    store: join(dir, 'runs'),
    set: [] as string[],
    strict: false,
    backend: 'cpu',
    preset: 'smoke',
    now: new Date('2026-12-24T12:00:00Z'),
    ...extra,
  });
  const go = async (extra: Record<string, unknown>) => {
    const io = capture();
    const code = await reproduce(lab, io, opts(extra), 'fake');
    return { code, out: io.stdout, err: io.stderr };
  };

  beforeAll(async () => {
    lab = await createLab({ plugins: [fakePlugin] });
    dir = await mkdtemp(join(tmpdir(), 'paperlab-expected-'));
    table = join(dir, 'expected-verdicts.smoke.json');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the table with its reason, and it round-trips: parsed back, it matches the same run', async () => {
    const first = await go({ 'write-expected': table, reason: 'first table' });
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain(`Wrote ${table}`);
    const written = parseExpectedVerdicts(JSON.parse(await readFile(table, 'utf8')), table);
    expect(written).toMatchObject({
      preset: 'smoke',
      seed: 0,
      backend: 'cpu',
      changes: [{ date: '2026-12-24', reason: 'first table' }],
      experiments: {
        'fake/doe2020': {
          'value-positive': 'reproduced',
          'value-small': 'reproduced',
          'value-finite': 'reproduced',
        },
        'fake/roe2021': { 'value-positive': 'reproduced' },
      },
    });
    const same = await go({ 'check-expected': table });
    expect(same.code).toBe(0);
    expect(same.out).toContain(`Verdicts match ${table}.`);
    // Writing again with nothing changed leaves the file (and its change log) as it was.
    const before = await readFile(table, 'utf8');
    const noop = await go({ 'write-expected': table, reason: 'nothing to say' });
    expect(noop.code).toBe(0);
    expect(noop.out).toContain('left as it was: no verdict changed');
    expect(await readFile(table, 'utf8')).toBe(before);
  });

  it('a verdict that got worse, or better, is a change (exit 4) until the table is updated with a reason', async () => {
    const worse = await go({ 'check-expected': table, set: ['value=-1'] });
    expect(worse.code).toBe(EXIT.verdictsChanged);
    expect(worse.out).toContain('fake/doe2020 value-positive: reproduced → not-reproduced');
    expect(worse.out).toContain('fake/roe2021 value-positive: reproduced → not-reproduced');
    expect(worse.out).toContain('--write-expected --reason');

    const accepted = await go({ 'write-expected': table, set: ['value=-1'], reason: 'value now negative' });
    expect(accepted.code).toBe(0);
    const t = parseExpectedVerdicts(JSON.parse(await readFile(table, 'utf8')));
    expect(t.experiments['fake/doe2020']!['value-positive']).toBe('not-reproduced');
    expect(t.changes.map((c) => c.reason)).toEqual(['first table', 'value now negative']);
    expect((await go({ 'check-expected': table, set: ['value=-1'] })).code).toBe(0);

    // The other direction: a claim that starts to reproduce is a change too.
    const better = await go({ 'check-expected': table });
    expect(better.code).toBe(EXIT.verdictsChanged);
    expect(better.out).toContain('fake/doe2020 value-positive: not-reproduced → reproduced');
    // Inconclusive is a verdict like the others.
    const unsure = await go({ 'check-expected': table, set: ['value=0'] });
    expect(unsure.code).toBe(EXIT.verdictsChanged);
    expect(unsure.out).toContain('not-reproduced → inconclusive');
  });

  it('a claim in the table that no run gave, and an experiment the plugin dropped, are changes', async () => {
    const t = parseExpectedVerdicts(JSON.parse(await readFile(table, 'utf8')));
    t.experiments['fake/doe2020']!['gone-claim'] = 'reproduced';
    t.experiments['fake/gone2019'] = { x: 'inconclusive' };
    await writeFile(table, JSON.stringify(t));
    const r = await go({ 'check-expected': table, set: ['value=-1'], json: true });
    expect(r.code).toBe(EXIT.verdictsChanged);
    const io = capture();
    await reproduce(lab, io, opts({ 'check-expected': table, set: ['value=-1'], json: true }), 'fake');
    const doc = io.docs[0] as { expected: { changes: unknown[]; written: boolean } };
    expect(doc.expected.written).toBe(false);
    expect(doc.expected.changes).toEqual(
      expect.arrayContaining([
        { experiment: 'fake/doe2020', claim: 'gone-claim', expected: 'reproduced', actual: '(absent)' },
        { experiment: 'fake/gone2019', claim: 'x', expected: 'inconclusive', actual: '(absent)' },
      ]),
    );
    // Updating the table drops both.
    await go({ 'write-expected': table, set: ['value=-1'], reason: 'claims removed' });
    const updated = parseExpectedVerdicts(JSON.parse(await readFile(table, 'utf8')));
    expect(Object.keys(updated.experiments)).toEqual(['fake/doe2020', 'fake/roe2021']);
    expect(updated.experiments['fake/doe2020']).not.toHaveProperty('gone-claim');
  });

  it('a table of another seed or preset is refused before anything runs; a missing table says how to make one', async () => {
    await expect(go({ 'check-expected': table, seed: 3 })).rejects.toThrow(
      /recorded with seed 0 \(this run: 3\)/,
    );
    await expect(go({ 'check-expected': join(dir, 'none.json') })).rejects.toThrow(
      /No expected-verdicts table at .*--write-expected --reason "first table"/,
    );
  });

  it('--write-expected without --reason (or --reason alone) is a usage error, before plugins load', async () => {
    const io = capture();
    const code = await main(['reproduce', 'fake', '--preset', 'smoke', '--write-expected'], io);
    expect(code).toBe(EXIT.usage);
    expect(io.stderr).toContain("'--write-expected' needs --reason");
    const lone = capture();
    expect(await main(['reproduce', 'fake', '--reason', 'why not'], lone)).toBe(EXIT.usage);
    expect(lone.stderr).toContain("'--reason' goes with '--write-expected'");
  });

  it('--check-expected takes an optional file: bare, with a file, or before another option', () => {
    const flags = (argv: string[]) => {
      const p = parseCommand(reproduceSpec, ['ntk', ...argv]);
      if (p.help) throw new Error('help');
      return p.input.flags;
    };
    expect(flags(['--check-expected'])['check-expected']).toBe(true);
    expect(flags(['--check-expected', 'v.json'])['check-expected']).toBe('v.json');
    expect(flags(['--check-expected=v.json'])['check-expected']).toBe('v.json');
    const before = parseCommand(reproduceSpec, ['ntk', '--check-expected', '--json']);
    expect(!before.help && before.input.flags['check-expected']).toBe(true);
    expect(!before.help && before.global.json).toBe(true);
    expect(flags([])['check-expected']).toBeUndefined();
  });

  it('the default table is expected-verdicts.<preset>.json at the root of the plugin package', () => {
    const cliDir = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
    const path = defaultExpectedPath('@paperlab/plugin-ntk', 'smoke', [cliDir]);
    expect(path).toBe(join(cliDir, '..', '..', 'packages', 'plugin-ntk', 'expected-verdicts.smoke.json'));
    expect(() => defaultExpectedPath('paperlab-plugin-nowhere', 'smoke', [cliDir])).toThrow(
      /Cannot find the package directory of paperlab-plugin-nowhere.*--check-expected <file>/,
    );
  });
});
