import type { ConfigIssue, PaperCard } from '@paperlab/core';
import type { JsonObject, ProgressEvent, RunHeader, RunResult } from '@paperlab/core/runs';

/** A JSON Schema node as produced by `z.toJSONSchema(config, { io: 'input' })` (the parts the form reads). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: Array<string | number | boolean | null>;
  const?: unknown;
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
}

/** One plugin as the UI lists it. */
export interface CatalogPlugin {
  name: string;
  packageName: string;
  version: string;
  description: string;
  warning?: string;
  /** Ids of its experiments, sorted. */
  experiments: string[];
}

/** Everything the UI needs to show and configure one experiment (plain JSON, sent by the worker). */
export interface CatalogExperiment {
  id: string;
  plugin: string;
  paper: PaperCard;
  summary: string;
  claims: Array<{ id: string; statement: string }>;
  /** Preset names, `smoke` and `paper` first. */
  presets: string[];
  /** Each preset's resolved, validated config (or why it does not validate). */
  resolved: Record<string, { config: JsonObject } | { error: string }>;
  /** The schema defaults alone (preset `null`), when the schema has defaults for everything. */
  defaults: JsonObject | null;
  /** Input JSON Schema of the config. */
  schema: JsonSchema;
}

/** The worker's answer to `init`. */
export interface Catalog {
  plugins: CatalogPlugin[];
  experiments: CatalogExperiment[];
  /** Backends in `auto` order on this platform. */
  backends: string[];
  /** Problems loading plugins (a broken plugin is skipped). */
  warnings: string[];
}

/** What the Run button asks for. */
export interface RunRequestMessage {
  experiment: string;
  preset: string | null;
  overrides: JsonObject;
  seed: number;
  backend: string;
}

/** Dataset settings sent with each run: files picked by the user, and the base URL to fetch others from. */
export interface DataSettings {
  /** Base URL of `<name>/<file>` dataset files (default `./data/` beside the app). */
  baseUrl: string;
  /** Files picked in the UI: dataset name → canonical file name → contents. */
  picked: Record<string, Record<string, Blob>>;
}

/** Messages from the page to the run worker. */
export type MainToWorker =
  | { type: 'init' }
  | { type: 'run'; request: RunRequestMessage; data: DataSettings }
  | { type: 'resume'; runId: string; data: DataSettings }
  | { type: 'stop' }
  | { type: 'validate'; id: number; experiment: string; preset: string | null; overrides: JsonObject }
  | { type: 'render'; id: number; runId: string };

/** Messages from the run worker to the page. */
export type WorkerToMain =
  | { type: 'catalog'; catalog: Catalog }
  | { type: 'header'; header: RunHeader }
  | { type: 'progress'; event: ProgressEvent }
  | { type: 'scalars'; values: Record<string, number>; step: number }
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  | { type: 'done'; header: RunHeader; result?: RunResult }
  | { type: 'error'; message: string; code?: string; issues?: ConfigIssue[] }
  | { type: 'validated'; id: number; issues: ConfigIssue[]; message?: string }
  | { type: 'rendered'; id: number; plots: string[]; error?: string };
