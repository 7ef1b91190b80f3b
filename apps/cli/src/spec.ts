import type { Lab } from '@paperlab/core';
import { PaperlabError } from '@paperlab/core';
import type { GlobalOptions, Io } from './context.js';

/** What a flag's value is: text, an on/off switch, or a non-negative safe integer written in decimal. */
export type FlagType = 'string' | 'boolean' | 'number';

/** One command-line flag, declared once; parsing, validation and help are generated from it. */
export interface FlagSpec {
  /** Long name without dashes: `seed` for `--seed`. */
  readonly name: string;
  /** Value kind; `number` accepts only non-negative safe integers in decimal (`0`, `42`; not `-1`, `0x10`, `''`). */
  readonly type: FlagType;
  /** One-letter alias: `h` for `-h`. */
  readonly short?: string;
  /** May be given more than once; the values are collected in order (otherwise a second one is an error). */
  readonly repeatable?: boolean;
  /** Value when the flag is absent (a boolean's is `false`). */
  readonly default?: string | number | boolean;
  /** How the value is shown in help, e.g. `path=value` (default `value`, or `n` for numbers). */
  readonly value?: string;
  /** The only values accepted (string flags). */
  readonly choices?: readonly string[];
  /**
   * A string flag whose value may be left out (`--check-expected` or `--check-expected file.json`): it takes the
   * next word unless that word is an option; given bare, its value is `true`.
   */
  readonly optionalValue?: boolean;
  /** One line for help. */
  readonly description: string;
  /** Example values, shown in help after the description. */
  readonly examples?: readonly string[];
}

/** One positional argument of a command, in order. */
export interface ArgSpec {
  /** Name shown in usage (`<experiment>`) and the key in the parsed arguments. */
  readonly name: string;
  /** A missing required argument is a usage error (exit 2) showing the command's usage. */
  readonly required: boolean;
  /** One line for help. */
  readonly description: string;
  /** The only values accepted. */
  readonly choices?: readonly string[];
  /**
   * Last argument only, optional, without choices (the command-table test checks it): takes every remaining
   * positional, in order, at most this many; its value is a list.
   */
  readonly variadic?: number;
}

type FlagValueOf<F> = F extends { type: 'boolean' }
  ? boolean
  : F extends { optionalValue: true }
    ? string | true
    : F extends { type: 'number' }
      ? number
      : F extends { choices: readonly (infer C extends string)[] }
        ? C
        : string;

/** The parsed values of a command's flags, typed from its declarations. */
export type FlagValues<Fs extends readonly FlagSpec[]> = {
  [F in Fs[number] as F['name']]: F extends { repeatable: true }
    ? FlagValueOf<F>[]
    : F extends { type: 'boolean' } | { default: string | number | boolean }
      ? FlagValueOf<F>
      : FlagValueOf<F> | undefined;
};

/** The parsed positional arguments of a command, typed from its declarations. */
export type ArgValues<As extends readonly ArgSpec[]> = {
  [A in As[number] as A['name']]: A extends { variadic: number }
    ? string[]
    : A extends { required: true }
      ? string
      : string | undefined;
};

/** What a command's `run` gets besides its arguments: output, global options and the plugins (loaded on demand). */
export interface CommandContext {
  /** Where text and JSON go. */
  io: Io;
  /** `--json` and `--store`, shared by every command. */
  global: GlobalOptions;
  /** Loads the installed plugins into a Lab on first call; commands that only read the store never pay for it. */
  lab(): Promise<Lab>;
}

/** A command's parsed input: positional arguments and flags, by name. */
export interface CommandInput<As extends readonly ArgSpec[], Fs extends readonly FlagSpec[]> {
  /** Positional arguments by their declared names. */
  args: ArgValues<As>;
  /** Flags by their long names, defaults applied. */
  flags: FlagValues<Fs>;
}

/** One `paperlab` command: its table (arguments, flags, examples) and what it does. */
export interface CommandSpec<
  As extends readonly ArgSpec[] = readonly ArgSpec[],
  Fs extends readonly FlagSpec[] = readonly FlagSpec[],
> {
  /** The word after `paperlab`. */
  readonly name: string;
  /** One line, shown in `paperlab --help`. */
  readonly summary: string;
  /** Longer text for `paperlab <name> --help`, when the summary is not enough. */
  readonly description?: string;
  /** Positional arguments, in order. */
  readonly args: As;
  /** The command's own flags (`--json`, `--store` and `--help` are added to every command). */
  readonly flags: Fs;
  /** Full command lines, shown in help. */
  readonly examples: readonly string[];
  /** Does the work; resolves to the exit code (see `EXIT`). */
  run(input: CommandInput<As, Fs>, ctx: CommandContext): Promise<number> | number;
}

/** Declares a command with its argument and flag types inferred from the table. */
export function defineCommand<const As extends readonly ArgSpec[], const Fs extends readonly FlagSpec[]>(
  spec: CommandSpec<As, Fs>,
): CommandSpec<As, Fs> {
  return spec;
}

/** Flags every command accepts. */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: 'json', type: 'boolean', description: 'machine-readable output on stdout' },
  {
    name: 'store',
    type: 'string',
    value: 'dir',
    description: 'run store (default .paperlab/runs, or $PAPERLAB_RUNS)',
  },
  { name: 'help', type: 'boolean', short: 'h', description: 'show help' },
];

/** Bad command-line usage (exit 2); `showUsage` asks the dispatcher to print the command's help after it. */
export class UsageError extends PaperlabError {
  /** The command whose usage was wrong, if known. */
  readonly command: string | undefined;
  /** Whether the command's help should follow the message. */
  readonly showUsage: boolean;
  constructor(message: string, options: { command?: string | undefined; showUsage?: boolean } = {}) {
    super('E_USAGE', message);
    this.command = options.command;
    this.showUsage = options.showUsage ?? false;
  }
}
