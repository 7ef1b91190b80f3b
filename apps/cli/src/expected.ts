import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClaimVerdict } from '@paperlab/core';
import { PaperlabError } from '@paperlab/core';
import { writeFileAtomic } from '@paperlab/core/node';
import {
  type ExpectedVerdicts,
  parseExpectedVerdicts,
  type VerdictChange,
  verdictTable,
} from '@paperlab/core/runs';
import { UsageError } from './spec.js';

/** The file name of a plugin's committed verdict table for a preset. */
export function expectedFileName(preset: string): string {
  return `expected-verdicts.${preset}.json`;
}

/**
 * The directory of an installed package, found by resolving `<packageName>/package.json` from each directory in
 * turn (the working directory first, then the CLI's own, where plugins installed beside it live).
 */
export function packageDirOf(packageName: string, fromDirs: readonly string[]): string | undefined {
  for (const from of fromDirs) {
    try {
      return dirname(createRequire(join(resolve(from), 'noop.js')).resolve(`${packageName}/package.json`));
    } catch {
      // not resolvable from here (or its exports map hides package.json): try the next directory
    }
  }
  return undefined;
}

/** Where `reproduce` looks for packages by default: the working directory, then the CLI's package. */
export function defaultSearchDirs(): string[] {
  return [process.cwd(), dirname(dirname(fileURLToPath(import.meta.url)))];
}

/** `expected-verdicts.<preset>.json` at the root of the plugin's package; an error says how to name the file. */
export function defaultExpectedPath(
  packageName: string,
  preset: string,
  fromDirs: readonly string[] = defaultSearchDirs(),
): string {
  const dir = packageDirOf(packageName, fromDirs);
  if (!dir)
    throw new UsageError(
      `Cannot find the package directory of ${packageName} (resolving '${packageName}/package.json' from ` +
        `${fromDirs.join(', ')}), where ${expectedFileName(preset)} would be. ` +
        'Name the table instead: --check-expected <file> (or --write-expected <file>).',
      { command: 'reproduce' },
    );
  return join(dir, expectedFileName(preset));
}

/** Reads and validates a verdict table; `undefined` when the file does not exist. */
export async function readExpected(file: string): Promise<ExpectedVerdicts | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new PaperlabError(
      'E_CONFIG',
      `${file} is not valid JSON (${(err as Error).message}); fix it or regenerate it with --write-expected --reason "<why>".`,
    );
  }
  return parseExpectedVerdicts(json, file);
}

/** A table recorded with another preset or seed cannot judge this run: say which and what to do. */
export function checkTableMatches(
  table: ExpectedVerdicts,
  file: string,
  run: { preset: string; seed: number },
): void {
  const wrong: string[] = [];
  if (table.preset !== run.preset) wrong.push(`preset ${table.preset} (this run: ${run.preset})`);
  if (table.seed !== run.seed) wrong.push(`seed ${table.seed} (this run: ${run.seed})`);
  if (wrong.length)
    throw new UsageError(
      `${file} was recorded with ${wrong.join(' and ')}: its verdicts do not judge this run. ` +
        `Run with --preset ${table.preset} --seed ${table.seed}, or name a table for this preset and seed.`,
      { command: 'reproduce' },
    );
}

/** The verdicts the runs gave, plus an empty entry for each tabled experiment the plugin no longer has. */
export function actualVerdicts(
  completed: Readonly<Record<string, readonly ClaimVerdict[]>>,
  table: ExpectedVerdicts | undefined,
  pluginExperiments: readonly string[],
): Record<string, readonly ClaimVerdict[]> {
  const actual: Record<string, readonly ClaimVerdict[]> = { ...completed };
  for (const id of Object.keys(table?.experiments ?? {}))
    if (!pluginExperiments.includes(id) && !(id in actual)) actual[id] = [];
  return actual;
}

/**
 * The table to commit after `--write-expected`: the runs' verdicts (experiments the plugin dropped are removed),
 * the header of this run, and the change log with `reason` appended under today's date.
 */
export function nextTable(o: {
  previous: ExpectedVerdicts | undefined;
  actual: Readonly<Record<string, readonly ClaimVerdict[]>>;
  plugin: string;
  preset: string;
  seed: number;
  backend: string;
  reason: string;
  date: Date;
}): ExpectedVerdicts {
  const kept = o.previous
    ? {
        ...o.previous,
        experiments: Object.fromEntries(
          Object.entries(o.previous.experiments).filter(([id]) => (o.actual[id]?.length ?? 1) > 0),
        ),
      }
    : undefined;
  const present = Object.fromEntries(Object.entries(o.actual).filter(([, claims]) => claims.length > 0));
  return verdictTable(
    {
      $comment:
        o.previous?.$comment ??
        `Verdict of every claim of ${o.plugin} on preset ${o.preset}. 'paperlab reproduce ${o.plugin} --preset ${o.preset} --check-expected' fails (exit 4) on any change; update with --write-expected --reason "<why>".`,
      preset: o.preset,
      seed: o.seed,
      backend: o.backend,
      changes: [
        ...(o.previous?.changes ?? []),
        { date: o.date.toISOString().slice(0, 10), reason: o.reason },
      ],
    },
    present,
    kept,
  );
}

/** Writes a table as stable, reviewable JSON (two-space indent, trailing newline). */
export async function writeExpected(file: string, table: ExpectedVerdicts): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(table, null, 2)}\n`);
}

/** Human lines for changes, saying which direction each went. */
export function changeLines(changes: readonly VerdictChange[]): string[] {
  return changes.map((c) => `  ${c.experiment} ${c.claim}: ${c.expected} → ${c.actual}`);
}
