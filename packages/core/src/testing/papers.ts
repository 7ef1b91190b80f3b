import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import type { ClaimKind, Verdict } from '../contracts/claim.js';
import type { RunHeader, RunResult } from '../runs/record.js';
import { type RunEnvironment, type RunRequest, runExperiment } from '../runs/runner.js';

/** Runs an experiment (on wasm unless the request names a backend), expecting completion and no tensor leak. */
export async function runChecked(
  env: RunEnvironment,
  request: RunRequest,
): Promise<{ header: RunHeader; result: RunResult }> {
  const before = tf.memory().numTensors;
  const { header, result } = await runExperiment(env, { ...request, backend: request.backend ?? 'wasm' });
  expect(header.status, header.error?.stack ?? header.error?.message).toBe('completed');
  expect(tf.memory().numTensors, 'tensors left after the run').toBe(before);
  expect(result, 'run result').toBeDefined();
  return { header, result: result! };
}

/** Runs a preset with a seed twice (same scalars) and with another seed (`differs` changes); returns the first result. */
export async function expectSeedDeterminism(
  env: RunEnvironment,
  experiment: string,
  options: { preset?: string; seed?: number; otherSeed?: number; differs: string },
): Promise<RunResult> {
  const { preset = 'smoke', seed = 3, otherSeed = 4, differs } = options;
  const first = (await runChecked(env, { experiment, preset, seed })).result;
  const again = (await runChecked(env, { experiment, preset, seed })).result;
  expect(again.scalars, `seed ${seed} twice`).toEqual(first.scalars);
  const other = (await runChecked(env, { experiment, preset, seed: otherSeed })).result;
  expect(other.scalars[differs], `${differs} with seed ${otherSeed} vs ${seed}`).not.toBe(
    first.scalars[differs],
  );
  return first;
}

/** Expects at least one claim and every claim's verdict to be `reproduced`, printing all verdicts otherwise. */
export function expectAllReproduced(result: RunResult): void {
  const message = verdictReport(result);
  expect(result.claims.length, 'number of claims').toBeGreaterThan(0);
  for (const c of result.claims) expect(c.verdict, message).toBe('reproduced');
}

/** What a paper's smoke test expects of its run, besides determinism (see {@link expectSmoke}). */
export interface SmokeExpectations {
  /** A scalar that another seed must change. */
  differs: string;
  preset?: string;
  seed?: number;
  otherSeed?: number;
  /** Scalars that must be finite numbers; `'all'` for every scalar the run wrote. */
  finite?: readonly string[] | 'all';
  /** The run's claims in order: ids, or `[id, kind]` pairs. */
  claims?: readonly string[] | ReadonlyArray<readonly [string, ClaimKind]>;
  /** Verdicts some claims must get (e.g. `inconclusive` for paper claims on a run too small for them). */
  verdicts?: Readonly<Record<string, Verdict>>;
}

/**
 * A paper's smoke test in one call: the preset runs twice with one seed to the same scalars and with another
 * seed to a different `differs`, leaks no tensor, and its scalars, claim list and verdicts are as expected.
 */
export async function expectSmoke(
  env: RunEnvironment,
  experiment: string,
  expectations: SmokeExpectations,
): Promise<RunResult> {
  const { finite, claims, verdicts, ...options } = expectations;
  const result = await expectSeedDeterminism(env, experiment, options);
  const keys = finite === 'all' ? Object.keys(result.scalars) : (finite ?? []);
  for (const k of keys) expect(Number.isFinite(result.scalars[k]), `scalar ${k}`).toBe(true);
  if (claims) {
    const pairs = claims.some((c) => typeof c !== 'string');
    const got = result.claims.map((c) => (pairs ? [c.id, c.kind] : c.id));
    expect(got, 'claims in order').toEqual(claims);
  }
  for (const [id, verdict] of Object.entries(verdicts ?? {})) {
    const c = result.claims.find((x) => x.id === id);
    expect(c, `claim ${id}`).toBeDefined();
    expect(c!.verdict, `${id}: ${c!.measured}`).toBe(verdict);
  }
  return result;
}

/** Every claim's `verdict: measured`, as the message of an expectation on a run's verdicts. */
export function verdictReport(result: RunResult): string {
  return JSON.stringify(
    Object.fromEntries(result.claims.map((c) => [c.id, `${c.verdict}: ${c.measured}`])),
    null,
    2,
  );
}

/** What a paper's smoke test expects: {@link SmokeExpectations} and the paper's own checks of the result. */
export interface SmokeTest extends SmokeExpectations {
  checks?(result: RunResult): void;
}

/** A paper's smoke test as a vitest `it`: {@link expectSmoke} on its smoke preset, then the paper's own `checks`. */
export function itSmokes(
  env: RunEnvironment,
  experiment: string,
  { checks, ...expectations }: SmokeTest,
): void {
  it(`smoke: ${experiment} is deterministic per seed, finite, leak-free, with the expected claims`, async () => {
    const result = await expectSmoke(env, experiment, expectations);
    checks?.(result);
  });
}
