import { closest } from '@paperlab/core/runs';
import type { Io } from '../context.js';
import { commandHelp, commandUsage, programHelp } from '../help.js';
import { type CommandSpec, defineCommand, GLOBAL_FLAGS, UsageError } from '../spec.js';

/** The error for a command name that is not in the table, with "did you mean" when one is close. */
export function unknownCommand(name: string, commands: readonly CommandSpec[]): UsageError {
  const near = closest(
    name,
    commands.map((c) => c.name),
    2,
  );
  return new UsageError(
    `Unknown command '${name}'.${near.length ? ` Did you mean ${near.map((n) => `'${n}'`).join(' or ')}?` : ''}` +
      `\nCommands: ${commands.map((c) => c.name).join(', ')}. Run 'paperlab --help' for what each does.`,
  );
}

/** Prints the program's help, or `name`'s, as text or (with `json`) as the table itself; exit code 0. */
export function printHelp(
  io: Io,
  commands: readonly CommandSpec[],
  name: string | undefined,
  json: boolean,
): number {
  if (name === undefined) {
    if (json)
      io.json({
        commands: commands.map((c) => ({ name: c.name, summary: c.summary, usage: commandUsage(c) })),
        globalFlags: GLOBAL_FLAGS,
      });
    else io.out(programHelp(commands));
    return 0;
  }
  const spec = commands.find((c) => c.name === name);
  if (!spec) throw unknownCommand(name, commands);
  // JSON.stringify leaves out `run`: what remains is the declarative table.
  if (json) io.json({ ...spec, usage: commandUsage(spec), globalFlags: GLOBAL_FLAGS });
  else io.out(commandHelp(spec));
  return 0;
}

/** `paperlab help [command]`: the help generated from the command table; `all()` gives the table, itself included. */
export function helpSpec(all: () => readonly CommandSpec[]) {
  return defineCommand({
    name: 'help',
    summary: "this overview, or a command's arguments, options and examples",
    args: [{ name: 'command', required: false, description: 'a command, e.g. run' }],
    flags: [],
    examples: ['paperlab help', 'paperlab help run', 'paperlab help reproduce --json'],
    run({ args }, { io, global }) {
      return printHelp(io, all(), args.command, global.json);
    },
  });
}
