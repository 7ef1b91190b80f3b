import { resolveConfig } from '../config/resolve.js';
import type { JsonValue } from '../contracts/state.js';
import type { Lab } from '../registry/lab.js';
import { sha256Hex } from '../util/sha256.js';
import type { RunHeader } from './record.js';
import type { RunRequest } from './runner.js';

/**
 * What makes two runs the same work: experiment, plugin version, resolved config, seed and requested backend.
 * Its hash is the job id, so the same request is the same job wherever and however often it is issued.
 */
export interface JobKey {
  experiment: string;
  pluginVersion: string;
  config: { [key: string]: JsonValue };
  seed: number;
  backend: string;
}

/** JSON with object keys sorted at every level, so equal values give equal text whatever their key order. */
export function canonicalJson(value: JsonValue | undefined): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(',')}}`;
  if (typeof value === 'number' && !Number.isFinite(value)) return JSON.stringify(String(value));
  return JSON.stringify(value ?? null);
}

/** The job a run request stands for (its config resolved and validated, so a bad request throws here). */
export function jobKeyOf(lab: Lab, request: RunRequest): JobKey {
  const experiment = lab.experiment(request.experiment);
  const resolved = resolveConfig(experiment, {
    preset: request.preset === undefined ? 'paper' : request.preset,
    overrides: request.overrides ?? {},
  });
  return {
    experiment: experiment.id,
    pluginVersion: lab.originOf(experiment.id)?.version ?? '',
    config: resolved.config as { [key: string]: JsonValue },
    seed: request.seed ?? 0,
    backend: request.backend ?? 'auto',
  };
}

/** The job a recorded run did (also for records written before runs carried their job id). */
export function jobKeyOfHeader(header: RunHeader): JobKey {
  return {
    experiment: header.experiment,
    pluginVersion: header.plugin.version,
    config: header.config,
    seed: header.seed,
    backend: header.backend.requested,
  };
}

/**
 * A job's id: `job-` and the first 20 hex digits of the SHA-256 of its canonical JSON (computed in JS, so it is the
 * same in Node and in every browser, WebCrypto or not).
 */
export async function jobId(key: JobKey): Promise<string> {
  const text = canonicalJson({
    experiment: key.experiment,
    pluginVersion: key.pluginVersion,
    config: key.config,
    seed: key.seed,
    backend: key.backend,
  });
  return `job-${sha256Hex(text).slice(0, 20)}`;
}

/** The job id of a recorded run: the one it carries, else computed from its header. */
export async function jobIdOfHeader(header: RunHeader): Promise<string> {
  return header.job ?? jobId(jobKeyOfHeader(header));
}

/**
 * The run of `runs` (a store's headers, newest first) that did job `id`: the newest completed one, else the
 * newest interrupted or crashed one (resumable); running and failed runs are not taken.
 */
export async function findJobRun(runs: readonly RunHeader[], id: string): Promise<RunHeader | undefined> {
  const same: RunHeader[] = [];
  for (const h of runs) if ((await jobIdOfHeader(h)) === id) same.push(h);
  return (
    same.find((h) => h.status === 'completed') ??
    same.find((h) => h.status === 'interrupted' || h.status === 'crashed')
  );
}
