import { z } from 'zod';
import { formatZodIssues } from '../config/zodIssues.js';
import { PaperlabError } from '../util/errors.js';
import type { MetricRow, RunBundle, RunHeader, RunResult } from './record.js';

/**
 * Schemas of the run record (run.json, result.json, metrics.jsonl rows, bundles). Objects are loose: fields
 * added by later versions pass through, missing or mistyped required fields are errors. Old files stay
 * readable: a `null` where a scalar or metric belongs was written for NaN/±Infinity by plain JSON and reads
 * as NaN.
 */

/** A run id that is safe as one directory name: letters, digits, `_`, `.`, `-`, not starting with `.` or `-`. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}$/;

/** Whether `id` can name a run (no `.`/`..`, no separators, no absolute paths, at most 200 characters). */
export function isSafeRunId(id: unknown): id is string {
  return typeof id === 'string' && RUN_ID_PATTERN.test(id);
}

/** Characters never allowed in one segment of a run file path. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused.
const BAD_SEGMENT = /[\\/:*?"<>|\u0000-\u001f]/;

/**
 * Why a run file path (relative, `/`-separated, e.g. `plots/loss.svg`) is unsafe, or `undefined` when it is
 * safe: no absolute paths, no `.`/`..`/empty segments, no backslashes, drive letters or control characters.
 * `roots` limits the first segment (bundles carry only `plots/` and `artifacts/`).
 */
export function unsafePathReason(path: unknown, roots?: readonly string[]): string | undefined {
  if (typeof path !== 'string' || path === '') return 'it is empty';
  if (path.length > 500) return 'it is longer than 500 characters';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'it is absolute';
  const segments = path.split('/');
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..') return `it has a '${s || '(empty)'}' segment`;
    if (BAD_SEGMENT.test(s)) return `segment '${s}' holds a separator or control character`;
  }
  if (segments.length < 2 && roots) return `it is not under ${roots.map((r) => `${r}/`).join(' or ')}`;
  if (roots && !roots.includes(segments[0]!))
    return `it is not under ${roots.map((r) => `${r}/`).join(' or ')}`;
  return undefined;
}

/** Any JS number, NaN and ±Infinity included (zod's `number` refuses those). */
const anyNumber = z.custom<number>((v) => typeof v === 'number', { message: 'expected number' });
/** A number, or `null` as plain JSON wrote NaN/±Infinity (read back as NaN). */
const numberish = z
  .custom<number | null>((v) => typeof v === 'number' || v === null, { message: 'expected number' })
  .transform((v) => v ?? Number.NaN);
const count = z.number().int().min(0);
const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.string(),
    anyNumber,
    z.boolean(),
    z.null(),
    z.array(jsonValue),
    z.record(z.string(), jsonValue),
  ]),
);

const verdict = z.enum(['reproduced', 'not-reproduced', 'inconclusive']);

/** run.json. */
export const runHeaderSchema = z.looseObject({
  schema: z.literal('paperlab.run/1'),
  id: z.string().regex(RUN_ID_PATTERN, 'a run id (letters, digits, _ . -; not . or ..)'),
  experiment: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'an experiment id <plugin>/<paper>'),
  paper: z.looseObject({ title: z.string(), authors: z.string(), year: z.number(), url: z.string() }),
  plugin: z.looseObject({ name: z.string(), packageName: z.string(), version: z.string() }),
  preset: z.string().nullable(),
  overrides: z.record(z.string(), jsonValue),
  config: z.record(z.string(), jsonValue),
  seed: z.number().int().min(0),
  backend: z.looseObject({
    name: z.string(),
    requested: z.string(),
    fallbacks: z.array(z.looseObject({ backend: z.string(), reason: z.string() })),
    patches: z.array(z.string()),
    platform: z.enum(['node', 'browser']),
  }),
  versions: z.record(z.string(), z.string()),
  host: z.looseObject({ platform: z.string() }),
  status: z.enum(['running', 'completed', 'failed', 'interrupted', 'crashed']),
  createdAt: z.string(),
  updatedAt: z.string(),
  endedAt: z.string().optional(),
  durationMs: z.number().optional(),
  attempts: z.number().int().min(1),
  error: z.looseObject({ name: z.string(), message: z.string() }).optional(),
  live: z
    .looseObject({
      pid: z.number().int().optional(),
      hostname: z.string().optional(),
      heartbeatAt: z.string(),
    })
    .optional(),
  job: z
    .string()
    .regex(/^job-[0-9a-f]{20}$/, 'a job id job-<20 hex digits>')
    .optional(),
});

const seriesValue = z.union([anyNumber, z.string(), z.boolean(), z.null()]);

/** result.json. */
export const runResultSchema = z.looseObject({
  scalars: z.record(z.string(), numberish),
  series: z.record(z.string(), z.array(z.record(z.string(), seriesValue))).optional(),
  plots: z
    .array(
      z.looseObject({
        id: z.string(),
        title: z.string(),
        series: z.string(),
        spec: z.record(z.string(), z.unknown()),
      }),
    )
    .optional(),
  tables: z
    .array(
      z.looseObject({
        id: z.string(),
        title: z.string(),
        columns: z.array(z.string()),
        rows: z.array(z.array(z.union([anyNumber, z.string(), z.null()]))),
      }),
    )
    .optional(),
  claims: z.array(
    z.looseObject({
      id: z.string(),
      statement: z.string(),
      verdict,
      measured: z.string(),
      expected: z.string(),
    }),
  ),
  summary: z.looseObject({ reproduced: count, notReproduced: count, inconclusive: count, total: count }),
  warnings: z.array(z.string()).optional(),
});

/** One line of metrics.jsonl. */
export const metricRowSchema = z
  .record(z.string(), numberish)
  .refine((r) => typeof r.step === 'number' && Number.isFinite(r.step), {
    message: 'expected a finite number at step',
  })
  .refine((r) => typeof r.t === 'number', { message: 'expected a number at t' });

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64 text');

/** A run bundle (`paperlab export`, the web app's export). */
export const runBundleSchema = z.strictObject({
  format: z.literal('paperlab.bundle/1'),
  header: runHeaderSchema,
  result: runResultSchema.optional(),
  metrics: z.array(metricRowSchema).default([]),
  files: z.record(z.string(), base64).default({}),
});

/** What is wrong with a value, in one line (the first few issues with their paths). */
export function describeIssues(error: z.ZodError): string {
  const issues = formatZodIssues(error);
  const shown = issues
    .slice(0, 4)
    .map((i) => `${i.path}: expected ${i.expected}${i.received !== undefined ? `, got ${i.received}` : ''}`);
  return shown.join('; ') + (issues.length > 4 ? `; and ${issues.length - 4} more` : '');
}

/** A run record that cannot be read: names the run, the file and what is wrong. */
export class CorruptRecordError extends PaperlabError {
  /** The run (directory name) whose record is corrupt. */
  readonly runId: string;
  /** The unreadable file (path as the store names it). */
  readonly file: string;
  /** What is wrong with it. */
  readonly problem: string;
  constructor(runId: string, file: string, problem: string, options?: { cause?: unknown }) {
    super(
      'E_CORRUPT_RECORD',
      `Run ${runId} has a corrupt record: ${file}: ${problem}. Other runs are unaffected; ` +
        `'paperlab doctor --fix' moves corrupt records aside (nothing is deleted).`,
      options,
    );
    this.runId = runId;
    this.file = file;
    this.problem = problem;
  }
}

function check<T>(schema: z.ZodType, value: unknown, runId: string, file: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CorruptRecordError(runId, file, describeIssues(parsed.error));
  return parsed.data as T;
}

/** Validates a parsed run.json; throws {@link CorruptRecordError} naming `file` and what is wrong. */
export function checkHeader(value: unknown, runId: string, file = 'run.json'): RunHeader {
  const header = check<RunHeader>(runHeaderSchema, value, runId, file);
  if (header.id !== runId)
    throw new CorruptRecordError(runId, file, `its id is '${header.id}', not the run's '${runId}'`);
  return header;
}

/** Validates a parsed result.json; throws {@link CorruptRecordError} naming `file` and what is wrong. */
export function checkResult(value: unknown, runId: string, file = 'result.json'): RunResult {
  return check<RunResult>(runResultSchema, value, runId, file);
}

/** Validates one parsed metrics row; throws {@link CorruptRecordError} naming `file` and what is wrong. */
export function checkMetricRow(value: unknown, runId: string, file = 'metrics.jsonl'): MetricRow {
  return check<MetricRow>(metricRowSchema, value, runId, file);
}

/** Validates a whole bundle (header, result, metrics, file names and contents) before anything is written. */
export function checkBundle(value: unknown): RunBundle {
  const b = value as { format?: unknown } | null;
  if (!b || typeof b !== 'object' || b.format !== 'paperlab.bundle/1') {
    throw new PaperlabError(
      'E_BUNDLE',
      `Not a paperlab run bundle (expected "format": "paperlab.bundle/1", got ${JSON.stringify(b?.format)})`,
    );
  }
  const parsed = runBundleSchema.safeParse(value);
  if (!parsed.success) {
    const raw = (value as { header?: { id?: unknown } }).header?.id;
    if (raw !== undefined && !isSafeRunId(raw))
      throw new PaperlabError(
        'E_BUNDLE',
        `Run bundle has an unsafe run id ${JSON.stringify(raw)}: a run id is letters, digits, '_', '.' and '-', ` +
          `not starting with '.' or '-' (so never '.', '..', a path or an absolute path); nothing was imported.`,
      );
    throw new PaperlabError(
      'E_BUNDLE',
      `Run bundle is not valid (${describeIssues(parsed.error)}); nothing was imported.`,
    );
  }
  const bundle = parsed.data as unknown as RunBundle;
  for (const path of Object.keys(bundle.files)) {
    const why = unsafePathReason(path, ['plots', 'artifacts']);
    if (why)
      throw new PaperlabError(
        'E_BUNDLE',
        `Unsafe file path in bundle: ${JSON.stringify(path)} (${why}); nothing was imported.`,
      );
  }
  return bundle;
}
