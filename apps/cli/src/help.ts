import { type ArgSpec, type CommandSpec, type FlagSpec, GLOBAL_FLAGS } from './spec.js';

/** The CLI's tagline, first line of `paperlab --help`. */
const TAGLINE = 'paperlab — research papers as runnable, checkable experiments';

/** Exit codes line shared by the program's and the commands' help. */
const EXIT_CODES =
  'Exit codes: 0 ok · 1 run failed · 2 bad usage or config · 3 a claim not reproduced (--strict) · ' +
  '4 a verdict differs from the committed table (reproduce --check-expected) · ' +
  '5 a claim inconclusive (--strict-inconclusive) · 130 interrupted';

/** How a flag reads in help (`--seed <n>`, `-h, --help`) and, with `join` = '/', in error messages (`-h/--help`). */
export function flagLabel(f: FlagSpec, join = ', '): string {
  const shown = f.value ?? (f.type === 'number' ? 'n' : 'value');
  const long = `--${f.name}${f.type === 'boolean' ? '' : f.optionalValue ? ` [${shown}]` : ` <${shown}>`}`;
  return f.short ? `-${f.short}${join}${long}` : long;
}

/** Word-wraps a paragraph to `width` columns. */
function wrap(text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** A summary as a sentence: capitalised, with a full stop. */
function sentence(text: string): string {
  const s = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

/** A flag's help text: description, accepted values, default, repeatability and example values. */
function flagText(f: FlagSpec): string {
  const notes: string[] = [];
  if (f.choices) notes.push(`one of ${f.choices.join(' | ')}`);
  if (f.default !== undefined && f.type !== 'boolean') notes.push(`default: ${String(f.default)}`);
  if (f.repeatable) notes.push('repeatable');
  if (f.examples?.length) notes.push(`e.g. ${f.examples.join(', ')}`);
  return withNotes(f.description, notes);
}

/** `text [note; note]`, leaving out empty notes. */
function withNotes(text: string, notes: readonly string[]): string {
  const kept = notes.filter(Boolean);
  return kept.length ? `${text} [${kept.join('; ')}]` : text;
}

/** Two aligned columns, indented by two spaces. */
function columns(rows: ReadonlyArray<readonly [string, string]>): string[] {
  const width = Math.max(0, ...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`.trimEnd());
}

/** `<name>`, `[name]`, or `[name...]` for a variadic argument. */
function argLabel(a: ArgSpec): string {
  return a.required ? `<${a.name}>` : `[${a.name}${a.variadic === undefined ? '' : '...'}]`;
}

/** `paperlab run <experiment> [options]`. */
export function commandUsage(spec: CommandSpec): string {
  const args = spec.args.map((a) => {
    const shown = a.choices ? a.choices.join('|') : a.name;
    return a.required ? `<${shown}>` : `[${shown}${a.variadic === undefined ? '' : '...'}]`;
  });
  return ['paperlab', spec.name, ...args, '[options]'].join(' ');
}

/** `paperlab <command> --help`: usage, arguments, the command's flags, global flags and examples. */
export function commandHelp(spec: CommandSpec): string {
  const lines = [
    `Usage: ${commandUsage(spec)}`,
    '',
    ...wrap(`${sentence(spec.summary)}${spec.description ? ` ${spec.description}` : ''}`),
  ];
  if (spec.args.length) {
    lines.push('', 'Arguments:');
    lines.push(
      ...columns(
        spec.args.map((a) => [
          argLabel(a),
          withNotes(a.description, [
            a.choices ? `one of ${a.choices.join(' | ')}` : '',
            a.variadic === undefined ? '' : `up to ${a.variadic}`,
            a.required ? '' : 'optional',
          ]),
        ]),
      ),
    );
  }
  const rows = (fs: readonly FlagSpec[]) => fs.map((f) => [flagLabel(f), flagText(f)] as const);
  const own = rows(spec.flags);
  const global = rows(GLOBAL_FLAGS);
  const all = columns([...own, ...global]);
  if (own.length) lines.push('', 'Options:', ...all.slice(0, own.length));
  lines.push('', 'Global options:', ...all.slice(own.length));
  if (spec.examples.length) lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  lines.push('', ...wrap(EXIT_CODES));
  return lines.join('\n');
}

/** `paperlab --help`: the command list (from each command's table), global options, environment, exit codes. */
export function programHelp(commands: readonly CommandSpec[]): string {
  const usage = (c: CommandSpec) => [c.name, ...c.args.map(argLabel)].join(' ');
  return [
    TAGLINE,
    '',
    'Usage: paperlab <command> [arguments] [options]',
    '',
    'Commands:',
    ...columns(commands.map((c) => [usage(c), c.summary])),
    '',
    'Global options (every command):',
    ...columns([
      ...GLOBAL_FLAGS.map((f) => [flagLabel(f), f.description] as const),
      ['--version', 'the versions of @paperlab/cli and @paperlab/core'] as const,
    ]),
    '',
    'Environment:',
    ...columns([
      [
        'PAPERLAB_WASM_THREADS=<n>',
        "wasm backend threads: a count or 'cores' (default 1; more pay off for big matmuls)",
      ],
      ['PAPERLAB_RUNS=<dir>', 'run store when --store is not given'],
    ]),
    '',
    ...wrap(EXIT_CODES),
    '',
    "Run 'paperlab <command> --help' (or 'paperlab help <command>') for its arguments, options and examples.",
  ].join('\n');
}
