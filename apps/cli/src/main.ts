import type { Lab } from '@paperlab/core';
import { PaperlabError } from '@paperlab/core';
import { completionSpec } from './commands/completion.js';
import { helpSpec, printHelp, unknownCommand } from './commands/help.js';
import { commands } from './commands/index.js';
import { type Io, loadLab, processIo } from './context.js';
import { EXIT } from './exit.js';
import { commandHelp, commandUsage, programHelp } from './help.js';
import { parseCommand, splitCommand } from './parse.js';
import { type CommandContext, type CommandSpec, UsageError } from './spec.js';
import { versions } from './version.js';

/** The command table plus `help`, which reads it. */
function allCommands(): readonly CommandSpec[] {
  const all: readonly CommandSpec[] = [...commands, completionSpec(() => all), helpSpec(() => all)];
  return all;
}

/** Every help text: the program's and each command's (src/helpText.generated.ts holds a copy for bin.js). */
export function helpTexts(): { program: string; commands: Record<string, string> } {
  const table = allCommands();
  return {
    program: programHelp(table),
    commands: Object.fromEntries(table.map((c) => [c.name, commandHelp(c)])),
  };
}

/** The CLI's usage text (`paperlab --help`), generated from the command table. */
export const USAGE: string = programHelp(allCommands());

/** Reports an error on stderr (and as `{ error }` on stdout with --json); resolves to its exit code. */
function fail(err: unknown, io: Io, json: boolean, table: readonly CommandSpec[]): number {
  const message = err instanceof Error ? err.message : String(err);
  if (json) io.json({ error: { code: err instanceof PaperlabError ? err.code : 'E_INTERNAL', message } });
  if (err instanceof UsageError) {
    const spec = table.find((c) => c.name === err.command);
    const tail = !spec
      ? ''
      : err.showUsage
        ? `\n\n${commandHelp(spec)}`
        : `\n\nUsage: ${commandUsage(spec)}\nRun 'paperlab ${spec.name} --help' for its options and examples.`;
    io.err(message + tail);
    return EXIT.usage;
  }
  io.err(message);
  if (err instanceof PaperlabError && err.code === 'E_DATASET_MISSING')
    io.err("Nothing was run or recorded. 'paperlab data' shows where datasets are looked for.");
  if (err instanceof PaperlabError) return err.code === 'E_RUN' ? EXIT.failed : EXIT.usage;
  if (process.env.PAPERLAB_DEBUG && err instanceof Error) io.err(err.stack ?? '');
  return EXIT.failed;
}

/** Runs the CLI with arguments (without `node paperlab`); resolves to the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const table = allCommands();
  const json = argv.includes('--json');
  try {
    const top = splitCommand(argv);
    if (top.version) {
      const v = versions();
      if (json) io.json(v);
      else io.out(`@paperlab/cli ${v.cli}\n@paperlab/core ${v.core}\nnode ${v.node}`);
      return EXIT.ok;
    }
    if (top.command === undefined) {
      if (top.help) return printHelp(io, table, undefined, json);
      if (json)
        io.json({ error: { code: 'E_USAGE', message: "No command given ('paperlab --help' lists them)." } });
      io.err(programHelp(table));
      return EXIT.usage;
    }
    const spec = table.find((c) => c.name === top.command);
    if (!spec) throw unknownCommand(top.command, table);
    const parsed = parseCommand(spec, top.rest, table);
    if (parsed.help) return printHelp(io, table, spec.name, json);
    let lab: Promise<Lab> | undefined;
    const ctx: CommandContext = {
      io,
      global: parsed.global,
      lab: () => {
        lab ??= loadLab(io);
        return lab;
      },
    };
    return await spec.run(parsed.input, ctx);
  } catch (err) {
    return fail(err, io, json, table);
  }
}
