import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLab, type Lab } from '@paperlab/core';
import { FsRunStore, loadInstalledPlugins } from '@paperlab/core/node';
import type { RunStore } from '@paperlab/core/runs';

/** Parsed global options shared by every command. */
export interface GlobalOptions {
  json: boolean;
  /** Run store directory (default `.paperlab/runs`, or $PAPERLAB_RUNS). */
  store?: string | undefined;
}

/** Output channel: human text to stdout, or a single JSON document with --json. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  json(value: unknown): void;
}

/** The real process streams. */
export const processIo: Io = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
  json: (v) => process.stdout.write(`${JSON.stringify(v, null, 2)}\n`),
};

/** Loads every installed plugin into a Lab; broken plugins are reported, not fatal. */
export async function loadLab(io: Io): Promise<Lab> {
  const cliDir = dirname(dirname(fileURLToPath(import.meta.url)));
  const installed = await loadInstalledPlugins({ extraDirs: [cliDir] });
  for (const w of installed.warnings) io.err(`warning: ${w}`);
  const lab = await createLab({ plugins: installed.plugins });
  for (const p of lab.listPlugins()) if (p.warning) io.err(`warning: ${p.warning}`);
  return lab;
}

/** The run store the CLI uses. */
export function openStore(options: GlobalOptions): RunStore & {
  pathOf(runId: string, path?: string): string;
  markInterruptedSync(runId: string, reason: string): void;
  quarantine(runId: string): Promise<string>;
} {
  return new FsRunStore(options.store ?? process.env.PAPERLAB_RUNS ?? undefined);
}
