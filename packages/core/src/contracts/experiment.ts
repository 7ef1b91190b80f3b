import type { z } from 'zod';
import type { Claim } from './claim.js';
import type { ExperimentOutput } from './output.js';
import type { RunContext } from './runContext.js';

/** `<plugin>/<first-author surname><year>`, e.g. `ntk/jacot2018`. */
export type ExperimentId = `${string}/${string}`;

/** Deeply optional version of a config type, used by presets and overrides. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** The paper an experiment reproduces. */
export interface PaperCard {
  title: string;
  authors: string;
  year: number;
  url: string;
  venue?: string;
}

/** The built-in presets every experiment offers; more may be added. */
export interface Presets<C> {
  /** Seconds, for CI and the conformance suite. */
  smoke: DeepPartial<C>;
  /** The CPU-scale reproduction (minutes). */
  paper: DeepPartial<C>;
  [name: string]: DeepPartial<C>;
}

/**
 * Declares an experiment's scalar keys: at the type level (template-literal keys such as
 * `` `acc_${Model}` `` included) and, for the literal keys passed, at run time.
 */
export interface ScalarKeys<K extends string = string> {
  /** The literal keys named at run time (pattern keys are known only to the compiler). */
  readonly keys: readonly string[];
  /** Phantom member carrying the key type; never set. */
  readonly __keys?: K;
}

/** Declares the scalar keys of an experiment: `scalarKeys<'slope' | \`acc_${Model}\`>()` or `scalarKeys('a', 'b')`. */
export function scalarKeys<K extends string>(...keys: K[]): ScalarKeys<K> {
  return { keys };
}

/**
 * An experiment's cost guard: the runner refuses a config whose estimate is above `limit` (or not a finite
 * number) unless the run is forced (`--force`), so a typo such as `samples=1e8` is an error, not a hang.
 */
export interface CostGuard<C> {
  /** Rough work a config asks for, e.g. parameters × steps × samples, in `unit`. */
  estimate(config: C): number;
  /** The most a run may cost without forcing: what finishes in reasonable time on a laptop CPU. */
  limit: number;
  /** What `estimate` counts, for messages (e.g. `multiply-adds`, `circuit evaluations`). */
  unit: string;
}

/** A paper's reproducible unit: config schema, presets, claims and `run`. */
export interface Experiment<C extends object = object, K extends string = string> {
  id: ExperimentId;
  paper: PaperCard;
  /** One paragraph: what is run and what it shows. */
  summary: string;
  /** Strict zod object schema with defaults; drives validation, CLI flags and the web form. */
  config: z.ZodType<C>;
  presets: Presets<C>;
  /** The scalar keys `run` writes and claims read (typed; a typo is a compile error). */
  scalars?: ScalarKeys<K>;
  claims: Claim<C, K>[];
  /** Optional cost guard checked by the runner before a run starts. */
  cost?: CostGuard<C>;
  /**
   * Real datasets (names in core's catalogue, e.g. `mnist`) a config reads. The runner opens each before the run
   * is recorded, so a missing one is refused with how to get it and leaves no failed run behind.
   */
  datasets?(config: C): readonly string[];
  /** Runs the experiment; all randomness comes from `ctx.rng`. */
  run(ctx: RunContext, config: C): Promise<ExperimentOutput<K>>;
}

/** Identity helper that keeps an experiment's config and scalar-key types inferred. */
export function defineExperiment<C extends object, K extends string = string>(
  experiment: Experiment<C, K>,
): Experiment<C, K> {
  return experiment;
}

/** Type-erased experiment, as stored in a registry. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds experiments of every config and key type.
export type AnyExperiment = Experiment<any, any>;
