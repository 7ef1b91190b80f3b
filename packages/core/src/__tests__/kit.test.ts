import { describe, expect, it } from 'vitest';
import type { Claim } from '../contracts/claim.js';
import { defineExperiment, scalarKeys } from '../contracts/experiment.js';
import type { RunContext } from '../contracts/runContext.js';
import { z } from '../index.js';
import {
  beats,
  claimsFor,
  custom,
  grid,
  groupMeans,
  inRange,
  logLogSlope,
  meanSem,
  pairedGap,
  pick,
  ranks,
  verdictOf as ruleVerdict,
  runCells,
  runSeeds,
  seeds,
  slopeWithin,
  spearman,
} from '../kit/index.js';
import { StoreCheckpointer } from '../runs/checkpointer.js';
import { claimOutput, evaluateClaims, formatCounts, summarise } from '../runs/claims.js';
import { diffVerdicts, parseExpectedVerdicts, verdictTable } from '../runs/expectedVerdicts.js';
import { createHeadlessContext } from '../runs/headlessContext.js';
import { MemoryRunStore } from '../runs/memoryStore.js';
import { revisedClaim } from '../testing/index.js';

type K = 'v' | 'v_sem' | 'gap' | 'gap_sem' | 'n';
const verdictOf = (c: Claim<unknown, K>, scalars: Partial<Record<K, number>>) =>
  c.check(claimOutput<K>({ scalars }), {}).verdict;

describe('kit: cells', () => {
  it('grid is the cartesian product, first axis outermost', () => {
    expect(grid({ a: [1, 2], b: ['x', 'y'] })).toEqual([
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 2, b: 'x' },
      { a: 2, b: 'y' },
    ]);
    expect(seeds(3)).toEqual([0, 1, 2]);
  });

  it('runCells checkpoints each cell: a resumed run replays finished cells without computing them', async () => {
    const store = new MemoryRunStore();
    const base = await createHeadlessContext();
    const ctx = (resuming: boolean): RunContext => ({
      ...base,
      checkpoint: new StoreCheckpointer(store, 'r', resuming),
    });
    const calls: string[] = [];
    const logged: Array<[Record<string, number>, number]> = [];
    const spec = (failAt?: number) => ({
      label: 'w × s',
      cells: grid({ w: [1, 2], s: seeds(2) }),
      key: (c: { w: number; s: number }) => `c-${c.w}-${c.s}`,
      run: (c: { w: number; s: number }, i: number) => {
        if (i === failAt) throw new Error('interrupted');
        calls.push(`${c.w}/${c.s}`);
        return { y: c.w * 10 + c.s };
      },
      log: (_c: { w: number; s: number }, r: { y: number }, i: number) => ({ scalars: { y: r.y }, step: i }),
    });
    await expect(runCells(ctx(false), spec(2))).rejects.toThrow('interrupted');
    expect(calls).toEqual(['1/0', '1/1']);
    const ctx2 = {
      ...ctx(true),
      log: { ...base.log, scalars: (v: Record<string, number>, s: number) => logged.push([v, s]) },
    };
    const done = await runCells(ctx2, spec());
    expect(calls).toEqual(['1/0', '1/1', '2/0', '2/1']);
    expect(done.map((d) => d.result.y)).toEqual([10, 11, 20, 21]);
    expect(pick(done, { w: 2 })).toEqual([{ y: 20 }, { y: 21 }]);
    expect(logged.map(([, s]) => s)).toEqual([0, 1, 2, 3]);
  });

  it('runSeeds: one checkpointed cell per seed, keys seed-<s> unless given, logged at step = seed', async () => {
    const store = new MemoryRunStore();
    const base = await createHeadlessContext();
    const logged: number[] = [];
    const ctx: RunContext = {
      ...base,
      checkpoint: new StoreCheckpointer(store, 'r', false),
      log: { ...base.log, scalars: (_v: Record<string, number>, step: number) => logged.push(step) },
    };
    const keys: string[] = [];
    const cached = ctx.checkpoint.cached.bind(ctx.checkpoint);
    ctx.checkpoint.cached = (key, compute) => {
      keys.push(key);
      return cached(key, compute);
    };
    const done = await runSeeds(ctx, 3, (seed) => ({ y: seed * 2 }), { log: (r) => ({ y: r.y }) });
    expect(done.map((d) => [d.cell.seed, d.result.y])).toEqual([
      [0, 0],
      [1, 2],
      [2, 4],
    ]);
    expect(keys).toEqual(['seed-0', 'seed-1', 'seed-2']);
    expect(logged).toEqual([0, 1, 2]);
    await runSeeds(ctx, 1, () => 1, { key: (s) => `cell-s${s}` });
    expect(keys.at(-1)).toBe('cell-s0');
  });

  it('runCells stops between cells when the run is aborted', async () => {
    const controller = new AbortController();
    const ctx = await createHeadlessContext({ signal: controller.signal });
    let n = 0;
    const p = runCells(ctx, {
      label: 'x',
      cells: seeds(5),
      key: (s) => `s${s}`,
      run: () => {
        if (++n === 2) controller.abort();
        return n;
      },
    });
    await expect(p).rejects.toThrow();
    expect(n).toBe(2);
  });
});

describe('kit: summaries', () => {
  it('meanSem and pairedGap', () => {
    const m = meanSem([1, 2, 3, 4]);
    expect(m.mean).toBe(2.5);
    expect(m.sem).toBeCloseTo(Math.sqrt(5 / 3) / 2, 12);
    expect(m.n).toBe(4);
    expect(meanSem([7]).sem).toBe(0);
    const g = pairedGap([3, 5, 7], [1, 2, 3]);
    expect(g.mean).toBe(3);
    expect(g.sem).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect(() => pairedGap([1], [1, 2])).toThrow(/paired/);
  });

  it('logLogSlope recovers a power law, with per-seed slopes', () => {
    const xs = [8, 16, 32, 64];
    const ys = xs.map((x) => [x ** -0.5, 1.1 * x ** -0.5, 0.9 * x ** -0.5]);
    const fit = logLogSlope(xs, ys);
    expect(fit.slope).toBeCloseTo(-0.5, 10);
    expect(fit.perSeed.every((s) => Math.abs(s + 0.5) < 1e-10)).toBe(true);
    expect(fit.sem).toBeLessThan(1e-10);
    const noisy = logLogSlope(
      xs,
      xs.map((x, i) => [x ** -0.5 * (1 + 0.1 * i), x ** -0.5]),
    );
    expect(noisy.sem).toBeGreaterThan(0.01);
  });

  it('groupMeans gives tidy rows per group and metric', () => {
    const rows = [
      { w: 1, a: 1, b: 10 },
      { w: 1, a: 3, b: 30 },
      { w: 2, a: 5, b: 50 },
    ];
    expect(groupMeans(rows, 'w', { a: 'A', b: 'B' })).toEqual([
      { w: 1, metric: 'A', mean: 2, sem: 1, n: 2 },
      { w: 1, metric: 'B', mean: 20, sem: 10, n: 2 },
      { w: 2, metric: 'A', mean: 5, sem: 0, n: 1 },
      { w: 2, metric: 'B', mean: 50, sem: 0, n: 1 },
    ]);
  });

  it('ranks average ties; spearman is 1 for a monotone map, −1 reversed, NaN for a constant sample', () => {
    expect(Array.from(ranks([30, 10, 20, 10]))).toEqual([4, 1.5, 3, 1.5]);
    expect(spearman([1, 2, 3, 4], [1, 8, 27, 64])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    // Pearson correlation of the ranks [1, 2, 3] and [1, 3, 2]: 1 − 6·2 / (3·8) = 0.5.
    expect(spearman([1, 2, 3], [5, 9, 7])).toBeCloseTo(0.5, 12);
    expect(spearman([1, 2, 3], [7, 7, 7])).toBeNaN();
    expect(() => spearman([1, 2], [1])).toThrow(/2 vs 1 values/);
  });
});

describe('kit: claim builders', () => {
  const base = { statement: 's', kind: 'control' as const };

  it('verdictOf: a rule that holds is reproduced, one that does not is not', () => {
    expect(ruleVerdict(true)).toBe('reproduced');
    expect(ruleVerdict(false)).toBe('not-reproduced');
  });

  it('inRange: inside, outside, straddling (with k·sem), point check without sem', () => {
    const c = inRange<unknown, K>({ ...base, id: 'r', value: 'v', sem: 'v_sem', range: [0, 1], label: 'v' });
    expect(verdictOf(c, { v: 0.5, v_sem: 0.1 })).toBe('reproduced');
    expect(verdictOf(c, { v: 1.5, v_sem: 0.1 })).toBe('not-reproduced');
    expect(verdictOf(c, { v: 0.9, v_sem: 0.1 })).toBe('inconclusive');
    const point = inRange<unknown, K>({ ...base, id: 'p', value: 'v', range: [0, 1], label: 'v' });
    expect(verdictOf(point, { v: 0.99 })).toBe('reproduced');
    expect(verdictOf(point, { v: 1.01 })).toBe('not-reproduced');
    expect(c.rule).toMatchObject({ type: 'range', params: { lo: 0, hi: 1, k: 2 } });
  });

  it('beats: the paired gap against k standard errors; straddle is inconclusive unless one-sided', () => {
    const gapOf = { ...base, gap: 'gap', sem: 'gap_sem', a: 'A', b: 'B', what: 'acc' } as const;
    const c = beats<unknown, K>({ ...gapOf, id: 'b' });
    expect(verdictOf(c, { gap: 0.1, gap_sem: 0.02 })).toBe('reproduced');
    expect(verdictOf(c, { gap: -0.1, gap_sem: 0.02 })).toBe('not-reproduced');
    expect(verdictOf(c, { gap: 0.03, gap_sem: 0.02 })).toBe('inconclusive');
    const oneSided = beats<unknown, K>({ ...gapOf, id: 'b1', straddle: 'not-reproduced' });
    expect(verdictOf(oneSided, { gap: 0.03, gap_sem: 0.02 })).toBe('not-reproduced');
    const margin = beats<unknown, K>({ ...gapOf, id: 'm', margin: 0.05, k: 0 });
    expect(verdictOf(margin, { gap: 0.06, gap_sem: 0 })).toBe('reproduced');
    expect(verdictOf(margin, { gap: 0.04, gap_sem: 0 })).toBe('not-reproduced');
  });

  it('slopeWithin is a range claim on a slope', () => {
    const c = slopeWithin<unknown, K>({
      ...base,
      id: 's',
      slope: 'v',
      sem: 'v_sem',
      what: 'dev',
      range: [-0.7, -0.3],
    });
    expect(c.rule?.type).toBe('slope');
    expect(verdictOf(c, { v: -0.5, v_sem: 0.05 })).toBe('reproduced');
    expect(verdictOf(c, { v: -0.1, v_sem: 0.05 })).toBe('not-reproduced');
  });

  it('preconditions make a claim inconclusive with the reason', () => {
    const claim = claimsFor<unknown, K>();
    const c = claim.inRange({
      ...base,
      id: 'r',
      value: 'v',
      range: [0, 1],
      label: 'v',
      requires: [claim.atLeast('n', 3, 'widths'), claim.trained('v', 0.2, 'the model')],
    });
    const small = c.check(claimOutput<K>({ scalars: { v: 0.5, n: 2 } }), {});
    expect(small.verdict).toBe('inconclusive');
    expect(small.measured).toContain('too small a run: 2 widths');
    const untrained = c.check(claimOutput<K>({ scalars: { v: 0.1, n: 3 } }), {});
    expect(untrained.measured).toContain('the model did not train');
    expect(verdictOf(c, { v: 0.5, n: 3 })).toBe('reproduced');
  });

  it('a paper claim without a source is refused', () => {
    expect(() =>
      inRange<unknown, K>({ id: 'x', statement: 's', kind: 'paper', value: 'v', range: [0, 1], label: 'v' }),
    ).toThrow(/source/);
  });
});

describe('claims evaluation', () => {
  const claim = claimsFor<object, K>();
  /** Claim p2 with a given window (it is revised below). */
  const p2 = (range: [number, number]) =>
    claim.inRange({
      id: 'p2',
      statement: 'p2',
      kind: 'paper',
      source: { quote: 'q', where: '§3' },
      value: 'v',
      range,
      label: 'v',
    });
  const experiment = defineExperiment({
    id: 'demo/kit2026',
    paper: { title: 'Kit', authors: 'A B', year: 2026, url: 'https://example.org' },
    summary: 'kit',
    config: z.strictObject({}),
    presets: { smoke: {}, paper: {} },
    scalars: scalarKeys<K>(),
    claims: [
      claim.inRange({
        id: 'p1',
        statement: 'p1',
        kind: 'paper',
        source: { quote: 'q', where: 'Table 1' },
        value: 'v',
        range: [0, 1],
        label: 'v',
      }),
      claim.revise(p2([0, 0.4]), {
        date: '2026-12-01',
        reason: 'window widened after the paper run',
        revised: p2([0, 1]),
      }),
      custom<object, K>({
        id: 'c1',
        statement: 'c1',
        kind: 'control',
        rule: { text: 'n > 0' },
        check: (s) => ({ verdict: s.n > 0 ? 'reproduced' : 'not-reproduced', measured: `n = ${s.n}` }),
      }),
    ],
    async run() {
      return { scalars: {} };
    },
  });

  it('a missing or non-finite scalar makes the claim inconclusive and names it; revised claims report both verdicts', () => {
    const verdicts = evaluateClaims(experiment, { scalars: { v: 0.5, n: Number.NaN } }, {});
    expect(verdicts.map((v) => v.verdict)).toEqual(['reproduced', 'reproduced', 'inconclusive']);
    expect(verdicts[2]!.measured).toContain("'n'");
    expect(verdicts[1]!.original).toMatchObject({
      verdict: 'not-reproduced',
      reason: 'window widened after the paper run',
    });
    const missing = evaluateClaims(experiment, { scalars: {} }, {});
    expect(missing[0]!.measured).toContain("scalar 'v' was not written");
    const summary = summarise(verdicts);
    expect(summary.paper).toMatchObject({ reproduced: 2, total: 2, revised: 1, revisedReproduced: 1 });
    expect(summary.control).toMatchObject({ reproduced: 0, inconclusive: 1, total: 1 });
    expect(formatCounts(summary)).toBe(
      'paper claims 2/2 reproduced (1 after revision) · controls 0/1 (1 inconclusive)',
    );
  });

  it('revisedClaim (testing) gives both rules of a revised claim as verdicts; a wrong date or id fails', () => {
    const rules = revisedClaim(experiment, 'p2', '2026-12-01');
    expect(rules.revised({ v: 0.5 })).toBe('reproduced');
    expect(rules.original({ v: 0.5 })).toBe('not-reproduced');
    expect(rules.revised({ v: 2 })).toBe('not-reproduced');
    expect(() => revisedClaim(experiment, 'p2', '2026-12-02')).toThrow(/revision date/);
    expect(() => revisedClaim(experiment, 'nope', '2026-12-01')).toThrow(/claim nope/);
  });

  it('expected-verdict tables catch a change in either direction', () => {
    const verdicts = evaluateClaims(experiment, { scalars: { v: 0.5, n: 1 } }, {});
    const table = verdictTable(
      { preset: 'smoke', seed: 1, backend: 'wasm', changes: [{ date: '2026-12-02', reason: 'first table' }] },
      { 'demo/kit2026': verdicts },
    );
    expect(parseExpectedVerdicts(JSON.parse(JSON.stringify(table)))).toEqual(table);
    expect(diffVerdicts(table, { 'demo/kit2026': verdicts })).toEqual([]);
    const worse = evaluateClaims(experiment, { scalars: { v: 2, n: 1 } }, {});
    expect(
      diffVerdicts(table, { 'demo/kit2026': worse }).map((c) => `${c.claim}:${c.expected}->${c.actual}`),
    ).toEqual(['p1:reproduced->not-reproduced', 'p2:reproduced->not-reproduced']);
    expect(diffVerdicts(table, { 'demo/kit2026': verdicts.slice(1) })[0]).toMatchObject({
      claim: 'p1',
      actual: '(absent)',
    });
    expect(() => parseExpectedVerdicts({ ...table, changes: [] })).toThrow(/changes/);
  });
});
