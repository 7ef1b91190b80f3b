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

/** A paper's reproducible unit: config schema, presets, claims and `run`. */
export interface Experiment<C extends object = object> {
  id: ExperimentId;
  paper: PaperCard;
  /** One paragraph: what is run and what it shows. */
  summary: string;
  /** Strict zod object schema with defaults; drives validation, CLI flags and the web form. */
  config: z.ZodType<C>;
  presets: Presets<C>;
  claims: Claim<C>[];
  /** Runs the experiment; all randomness comes from `ctx.rng`. */
  run(ctx: RunContext, config: C): Promise<ExperimentOutput>;
}

/** Identity helper that keeps an experiment's config type inferred. */
export function defineExperiment<C extends object>(experiment: Experiment<C>): Experiment<C> {
  return experiment;
}

/** Type-erased experiment, as stored in a registry. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds experiments of every config type.
export type AnyExperiment = Experiment<any>;
