import { parseArgs } from 'node:util';
import { ConfigError, PaperlabError } from '@paperlab/core';
import { infoCommand, listCommand } from './commands/catalog.js';
import { dataFetchCommand, dataListCommand } from './commands/data.js';
import { reproduceCommand } from './commands/reproduce.js';
import { EXIT, type RunOptions, runCommand } from './commands/run.js';
import {
  compareCommand,
  exportCommand,
  importCommand,
  reportCommand,
  runsCommand,
  showCommand,
} from './commands/runs.js';
import { type Io, loadLab, processIo } from './context.js';

/** The CLI's usage text. */
export const USAGE = `paperlab — research papers as runnable, checkable experiments

Usage: paperlab <command> [options]

Commands:
  list                         installed plugins and their experiments
  info <experiment>            paper card, claims, presets and config flags
  run <experiment>             run an experiment and check its claims
  resume <run>                 continue an interrupted run from its checkpoints
  reproduce <plugin>           run every experiment of a plugin; print the claims table
                               (--out file.md also writes it as Markdown; --resume reuses this store's
                               finished runs of the same config, seed and backend and resumes interrupted ones)
  runs                         run history (--experiment <id> to filter)
  show <run>                   a run's claims and figures ('latest' works)
  report <run>                 write a Markdown (--format html) report with plots
  compare <runA> <runB>        scalars and verdicts side by side
  export <run> [--out file]    one JSON bundle (imports into the web app)
  import <file>                a bundle exported by the CLI or the web app
  data [list]                  datasets found locally and how to get the others
  data fetch <name>            download a dataset (sha256-checked) into the cache

Run options:
  --preset <name>              smoke | paper | … (default: paper)
  --set <path=value>           override a config value (repeatable), e.g. --set widths=[64,256]
  --seed <n>                   RNG seed (default 0); same seed + backend → same numbers
  --backend <name>             auto | wasm | cpu | tensorflow | webgpu (default: auto)
  --strict                     exit 3 when a claim is not reproduced

Global options:
  --json                       machine-readable output on stdout
  --store <dir>                run store (default .paperlab/runs or $PAPERLAB_RUNS)
  -h, --help                   this help

Environment:
  PAPERLAB_WASM_THREADS=<n>    wasm backend threads: a count or 'cores' (default 1; more pay off for big matmuls)

Exit codes: 0 ok · 1 run failed · 2 bad usage or config · 3 claim not reproduced (--strict) · 130 interrupted`;

function parseSeed(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new ConfigError('--seed', [
      { path: '--seed', expected: 'a non-negative integer', received: `'${raw}'` },
    ]);
  return n;
}

/** Runs the CLI with arguments (without `node paperlab`); resolves to the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        preset: { type: 'string' },
        set: { type: 'string', multiple: true },
        seed: { type: 'string' },
        backend: { type: 'string' },
        strict: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        store: { type: 'string' },
        format: { type: 'string', default: 'md' },
        out: { type: 'string' },
        experiment: { type: 'string' },
        resume: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    io.err(`${(err as Error).message}\n\nRun 'paperlab --help' for usage.`);
    return EXIT.usage;
  }
  const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const [command, ...rest] = parsed.positionals;
  if (v.help || !command) {
    (command || v.help ? io.out : io.err)(USAGE);
    return command || v.help ? EXIT.ok : EXIT.usage;
  }
  const global = { json: v.json === true, store: v.store as string | undefined };
  const need = (n: number, what: string): string[] => {
    if (rest.length < n)
      throw new PaperlabError('E_USAGE', `'paperlab ${command}' needs ${what}. Run 'paperlab --help'.`);
    return rest;
  };
  try {
    const runOpts = (): RunOptions => ({
      ...global,
      preset: v.preset as string | undefined,
      set: (v.set as string[] | undefined) ?? [],
      seed: parseSeed(v.seed as string | undefined),
      backend: v.backend as string | undefined,
      strict: v.strict === true,
    });
    switch (command) {
      case 'list':
        return listCommand(await loadLab(io), io, global);
      case 'info':
        return infoCommand(await loadLab(io), io, global, need(1, 'an experiment id')[0]!);
      case 'run':
        return await runCommand(await loadLab(io), io, runOpts(), {
          experiment: need(1, 'an experiment id')[0]!,
        });
      case 'resume':
        return await runCommand(await loadLab(io), io, runOpts(), { resume: need(1, 'a run id')[0]! });
      case 'reproduce':
        return await reproduceCommand(
          await loadLab(io),
          io,
          { ...runOpts(), out: v.out as string | undefined, resume: v.resume === true },
          need(1, 'a plugin name (e.g. ntk)')[0]!,
        );
      case 'runs':
        return await runsCommand(io, { ...global, experiment: v.experiment as string | undefined });
      case 'show':
        return await showCommand(io, global, need(1, 'a run id')[0]!);
      case 'report':
        return await reportCommand(
          io,
          { ...global, format: v.format as string, out: v.out as string | undefined },
          need(1, 'a run id')[0]!,
        );
      case 'compare': {
        const [a, b] = need(2, 'two run ids');
        return await compareCommand(io, global, a!, b!);
      }
      case 'export':
        return await exportCommand(
          io,
          { ...global, out: v.out as string | undefined },
          need(1, 'a run id')[0]!,
        );
      case 'import':
        return await importCommand(io, global, need(1, 'a bundle file')[0]!);
      case 'data':
        if (rest[0] === 'fetch')
          return await dataFetchCommand(io, global, need(2, "a dataset name ('data fetch <name>')")[1]!);
        if (rest.length === 0 || rest[0] === 'list') return await dataListCommand(io, global);
        throw new PaperlabError(
          'E_USAGE',
          `Unknown 'data' subcommand '${rest[0]}' (use 'list' or 'fetch <name>')`,
        );
      default:
        io.err(`Unknown command '${command}'.\n\n${USAGE}`);
        return EXIT.usage;
    }
  } catch (err) {
    if (global.json)
      io.json({
        error: { code: (err as PaperlabError).code ?? 'E_INTERNAL', message: (err as Error).message },
      });
    io.err((err as Error).message);
    if (err instanceof PaperlabError) return err.code === 'E_RUN' ? EXIT.failed : EXIT.usage;
    if (process.env.PAPERLAB_DEBUG) io.err((err as Error).stack ?? '');
    return EXIT.failed;
  }
}
