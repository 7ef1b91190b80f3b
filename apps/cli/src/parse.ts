import { type ParseArgsConfig, parseArgs } from 'node:util';
import { closest } from '@paperlab/core/runs';
import type { GlobalOptions } from './context.js';
import { flagLabel } from './help.js';
import {
  type ArgSpec,
  type CommandInput,
  type CommandSpec,
  type FlagSpec,
  GLOBAL_FLAGS,
  UsageError,
} from './spec.js';

/** A command line parsed against one command's table: a request for its help, or its input and global options. */
export type ParsedCommand<
  As extends readonly ArgSpec[] = readonly ArgSpec[],
  Fs extends readonly FlagSpec[] = readonly FlagSpec[],
> = { help: true } | { help: false; input: CommandInput<As, Fs>; global: GlobalOptions };

type Value = string | number | boolean;

/** Whether `raw` is a non-negative safe integer written in decimal digits. */
function decimalInteger(raw: string): number | undefined {
  if (!/^[0-9]+$/.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A "did you mean" for an unknown flag: core's closest name, kept only when it plausibly is the typo. */
function suggestFlag(name: string, known: readonly string[]): string | undefined {
  const [best] = closest(name, [...known], 1);
  if (!best) return undefined;
  const plausible = best[0] === name[0] || best.includes(name) || name.includes(best);
  return plausible ? best : undefined;
}

/**
 * Parses `argv` (the words after the command name) against `spec`'s flags plus the global ones, strictly: an
 * unknown flag, a missing or malformed value, a flag given twice, a missing required or an extra positional
 * argument is a `UsageError` naming what was wrong and what the command accepts. `--help` anywhere wins.
 * `commands` (all commands) lets the error for a flag of another command say which commands have it.
 */
export function parseCommand<As extends readonly ArgSpec[], Fs extends readonly FlagSpec[]>(
  spec: CommandSpec<As, Fs>,
  argv: readonly string[],
  commands: readonly CommandSpec[] = [],
): ParsedCommand<As, Fs> {
  const flags: readonly FlagSpec[] = [...spec.flags, ...GLOBAL_FLAGS];
  const byName = new Map(flags.map((f) => [f.name, f]));
  const usage = (message: string, showUsage = false) =>
    new UsageError(message, { command: spec.name, showUsage });
  // Node tokenises (long, short, grouped, `--x=v`, `--`); validation is ours, so messages can name the command.
  const { tokens } = parseArgs({
    args: [...argv],
    strict: false,
    allowPositionals: true,
    tokens: true,
    options: Object.fromEntries(
      flags.map((f) => [
        f.name,
        {
          // An optional-value flag is tokenised as a switch, so it never swallows the next word; the value (a
          // following positional word) is taken below.
          type: f.type === 'boolean' || f.optionalValue ? 'boolean' : 'string',
          ...(f.short ? { short: f.short } : {}),
        },
      ]),
    ) as NonNullable<ParseArgsConfig['options']>,
  });
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return { help: true };

  const values = new Map<string, Value | Value[]>();
  const positionals: string[] = [];
  const taken = new Set<number>();
  for (const [i, t] of tokens.entries()) {
    if (t.kind === 'positional' && !taken.has(i)) positionals.push(t.value);
    if (t.kind !== 'option') continue;
    const f = byName.get(t.name);
    if (!f) {
      const accepted = flags.map((x) => flagLabel(x, '/')).join(', ');
      const near = suggestFlag(
        t.name,
        flags.map((x) => x.name),
      );
      const owners = commands.filter((c) => c.flags.some((x) => x.name === t.name)).map((c) => c.name);
      throw usage(
        `Unknown option '${t.rawName}' for 'paperlab ${spec.name}'.` +
          (near ? ` Did you mean '--${near}'?` : '') +
          (owners.length ? ` ('--${t.name}' is an option of: ${owners.join(', ')}.)` : '') +
          `\n'paperlab ${spec.name}' accepts: ${accepted}.`,
      );
    }
    const label = `--${f.name}`;
    let value: Value;
    if (f.optionalValue) {
      const next = tokens[i + 1];
      if (t.value !== undefined) value = t.value;
      else if (next?.kind === 'positional' && next.index === t.index + 1) {
        value = next.value;
        taken.add(i + 1);
      } else value = true;
      if (value === '') throw usage(`'${label}' was given an empty value; leave it out or name a file.`);
    } else if (f.type === 'boolean') {
      if (t.value !== undefined)
        throw usage(`'${label}' is a switch and takes no value (got '${t.rawName}=${t.value}').`);
      value = true;
    } else {
      const raw = t.value;
      if (raw === undefined) throw usage(`'${label}' needs a value: ${flagLabel(f)}.`);
      if (f.type === 'string' && !t.inlineValue && raw.startsWith('-'))
        throw usage(
          `'${label}' needs a value, but the next word '${raw}' looks like an option. ` +
            `To pass a value starting with '-', write ${label}=${raw}.`,
        );
      if (f.type === 'number') {
        const n = decimalInteger(raw);
        if (n === undefined)
          throw usage(
            `'${label}' expects a non-negative whole number in decimal digits (e.g. ${label} 3), got '${raw}'.`,
          );
        value = n;
      } else {
        if (f.choices && !f.choices.includes(raw))
          throw usage(`'${label}' expects one of ${f.choices.join(' | ')}, got '${raw}'.`);
        value = raw;
      }
    }
    const before = values.get(f.name);
    if (f.repeatable) values.set(f.name, [...((before as Value[] | undefined) ?? []), value]);
    else if (before !== undefined && f.type !== 'boolean')
      throw usage(`'${label}' was given twice ('${before}' and '${value}'); it takes one value.`);
    else values.set(f.name, value);
  }

  const rest = spec.args.at(-1)?.variadic;
  const most = spec.args.length - (rest === undefined ? 0 : 1) + (rest ?? 0);
  if (positionals.length > most) {
    const extra = positionals.slice(most).map((p) => `'${p}'`);
    throw usage(
      `Unexpected argument${extra.length > 1 ? 's' : ''} ${extra.join(', ')} for 'paperlab ${spec.name}'` +
        (rest === undefined ? '.' : ` (it takes at most ${most}).`),
      true,
    );
  }
  const args: Record<string, string | string[] | undefined> = {};
  spec.args.forEach((a, i) => {
    if (a.variadic !== undefined) {
      args[a.name] = positionals.slice(i);
      return;
    }
    const v = positionals[i];
    if (v === undefined && a.required)
      throw usage(`'paperlab ${spec.name}' needs <${a.name}>: ${a.description}.`, true);
    if (v !== undefined && a.choices && !a.choices.includes(v))
      throw usage(
        `<${a.name}> of 'paperlab ${spec.name}' is one of ${a.choices.join(' | ')}, got '${v}'.`,
        true,
      );
    args[a.name] = v;
  });

  const out: Record<string, Value | Value[] | undefined> = {};
  for (const f of spec.flags)
    out[f.name] =
      values.get(f.name) ?? (f.repeatable ? [] : (f.default ?? (f.type === 'boolean' ? false : undefined)));
  const store = values.get('store');
  return {
    help: false,
    // Built flag by flag from the same table the types are inferred from.
    input: { args, flags: out } as unknown as CommandInput<As, Fs>,
    global: { json: values.get('json') === true, store: typeof store === 'string' ? store : undefined },
  };
}

/** Top-level flags that may come before the command (they are also accepted after it, except --version). */
export interface TopLevel {
  /** The command word, if any. */
  command: string | undefined;
  /** `argv` without the command word. */
  rest: string[];
  help: boolean;
  version: boolean;
  json: boolean;
}

/**
 * Finds the command: the first word that is not a global flag or its value. A command flag before the command
 * (`paperlab --seed 1 run …`) is a usage error, since its value could not be told from a command name.
 */
export function splitCommand(argv: readonly string[]): TopLevel {
  const top: TopLevel = { command: undefined, rest: [...argv], help: false, version: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--json') top.json = true;
    else if (word === '--help' || word === '-h') top.help = true;
    else if (word === '--version') top.version = true;
    else if (word === '--store') i++;
    else if (word.startsWith('-') && !word.startsWith('--store=') && word.length > 1)
      throw new UsageError(
        `'${word}' before the command: only --json, --store, --help and --version may come first. ` +
          `Put a command's options after it, e.g. 'paperlab run <experiment> ${word} …'.`,
      );
    else {
      top.command = word;
      top.rest = [...argv.slice(0, i), ...argv.slice(i + 1)];
      return top;
    }
  }
  return top;
}
