// A small benchmark harness: warm-up, repeated samples, median and interquartile range, ratios against a
// baseline measured in the same process. Timed code must block until its result exists (read it back).

/** @typedef {{ median: number, q1: number, q3: number, samples: number[] }} Timing */

/** @param {number[]} xs @param {number} q */
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/**
 * Times `fn` (ms): `warmup` untimed calls, then at least `samples` timed calls and at least `minMs` in total.
 * @param {() => unknown | Promise<unknown>} fn
 * @param {{ warmup?: number, samples?: number, minMs?: number, maxSamples?: number }} [o]
 * @returns {Promise<Timing>}
 */
export async function measure(fn, o = {}) {
  const warmup = o.warmup ?? 1;
  const min = o.samples ?? 5;
  const minMs = o.minMs ?? 0;
  const max = o.maxSamples ?? 50;
  for (let i = 0; i < warmup; i++) await fn();
  const samples = [];
  const start = performance.now();
  while (samples.length < min || (performance.now() - start < minMs && samples.length < max)) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return timingOf(samples);
}

/** Median and interquartile range of samples (ms). @param {number[]} samples @returns {Timing} */
export function timingOf(samples) {
  return {
    median: quantile(samples, 0.5),
    q1: quantile(samples, 0.25),
    q3: quantile(samples, 0.75),
    samples,
  };
}

/** Human number with units. @param {number} v */
export function fmt(v) {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(2)} G`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(2)} M`;
  if (a >= 1e3) return `${(v / 1e3).toFixed(2)} k`;
  return v.toPrecision(3);
}

/**
 * One result row.
 * @typedef {{ suite: string, case: string, variant: string, timing?: Timing, work?: number, unit?: string, error?: string, baseline?: boolean, fallbackBaseline?: boolean }} Row
 */

/** Markdown table of a suite's rows with throughput and ratio to the suite's baseline row. @param {Row[]} rows */
export function table(rows) {
  const lines = [
    '| case | variant | median ms (IQR) | throughput | × baseline |',
    '| --- | --- | --- | --- | --- |',
  ];
  const byCase = new Map();
  for (const r of rows) byCase.set(r.case, [...(byCase.get(r.case) ?? []), r]);
  for (const [, group] of byCase) {
    // When the baseline fails (stock wasm cannot train CNNs), compare against the designated fallback.
    const base =
      group.find((r) => r.baseline && r.timing) ?? group.find((r) => r.fallbackBaseline && r.timing);
    for (const r of group) {
      if (!r.timing) {
        lines.push(`| ${r.case} | ${r.variant} | fails: ${r.error} | — | — |`);
        continue;
      }
      const t = r.timing;
      const thr = r.work ? `${fmt((r.work * 1000) / t.median)}${r.unit ?? ''}/s` : '—';
      const ratio = base ? (base.timing.median / t.median).toFixed(2) : '—';
      const tag = r.baseline || (r === base && r.fallbackBaseline) ? ' (baseline)' : '';
      lines.push(
        `| ${r.case} | ${r.variant}${tag} | ${t.median.toFixed(2)} (${t.q1.toFixed(2)}–${t.q3.toFixed(2)}) | ${thr} | ${ratio} |`,
      );
    }
  }
  return lines.join('\n');
}

/**
 * Times several variants sample by sample in alternation (A B A B …), so they share the same machine load.
 * `before()` switches state (e.g. kernel patches) ahead of each sample. A variant that throws is reported
 * with `{ error }` and dropped from later rounds.
 * @param {Array<{ name: string, before?: () => unknown, fn: () => unknown | Promise<unknown> }>} variants
 * @param {{ warmup?: number, samples?: number }} [o]
 * @returns {Promise<Record<string, Timing & { error?: string }>>}
 */
export async function measureInterleaved(variants, o = {}) {
  const samples = Object.fromEntries(variants.map((v) => [v.name, []]));
  const errors = {};
  const rounds = (o.warmup ?? 1) + (o.samples ?? 5);
  for (let r = 0; r < rounds; r++) {
    for (const v of variants) {
      if (errors[v.name]) continue;
      await v.before?.();
      const t = performance.now();
      try {
        await v.fn();
      } catch (err) {
        errors[v.name] = String(err?.message ?? err)
          .split('\n')[0]
          .slice(0, 90);
        continue;
      }
      if (r >= (o.warmup ?? 1)) samples[v.name].push(performance.now() - t);
    }
  }
  const out = {};
  for (const v of variants) {
    const xs = samples[v.name];
    out[v.name] = errors[v.name]
      ? { error: errors[v.name], median: Number.NaN, q1: Number.NaN, q3: Number.NaN, samples: xs }
      : { median: quantile(xs, 0.5), q1: quantile(xs, 0.25), q3: quantile(xs, 0.75), samples: xs };
  }
  return out;
}

/**
 * Wall and process CPU time (ms) of `fn`, with the fields of the object it returns. CPU time is what the code
 * costs when the shared machine's load steals the core; wall time is what a user waits.
 * @template {object | void} T
 * @param {() => T | Promise<T>} fn
 * @returns {Promise<T & { ms: number, cpuMs: number }>}
 */
export async function clocked(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ...value, ms, cpuMs: (c.user + c.system) / 1000 };
}

/**
 * {@link clocked} of `n` calls of `step`: wall and CPU ms per call.
 * @param {number} n
 * @param {(i: number) => unknown} step
 */
export async function clockedEach(n, step) {
  const r = await clocked(() => {
    for (let i = 0; i < n; i++) step(i);
  });
  return { ms: r.ms / n, cpuMs: r.cpuMs / n };
}
