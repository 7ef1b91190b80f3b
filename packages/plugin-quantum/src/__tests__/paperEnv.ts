import { type RunEnvironment, type RunOutcome, runExperiment } from '@paperlab/core';
import { createTestEnvironment } from '@paperlab/core/testing';
import plugin from '../index.js';

/** A run environment with this plugin, Node data sources and the wasm backend ready. */
export function paperEnv(): Promise<RunEnvironment> {
  return createTestEnvironment([plugin]);
}

/** Runs a preset of an experiment on wasm. */
export function runPreset(
  env: RunEnvironment,
  experiment: string,
  preset: string,
  seed: number,
): Promise<RunOutcome> {
  return runExperiment(env, { experiment, preset, seed, backend: 'wasm' });
}
