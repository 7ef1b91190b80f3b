import { readFileSync } from 'node:fs';
import { CORE_VERSION } from '@paperlab/core';
import { describe, expect, it } from 'vitest';
import { compareSpec } from '../commands/compare.js';
import { commands } from '../commands/index.js';
import { runSpec } from '../commands/run.js';
import { commandHelp, flagLabel } from '../help.js';
import { main } from '../main.js';
import { parseCommand } from '../parse.js';
import { type CommandInput, defineCommand, GLOBAL_FLAGS, UsageError } from '../spec.js';
import { capture } from './capture.js';

// The dispatcher and the help generated from the command table, called in-process (no plugins are loaded:
// every case here stops before a command's run() needs them).

async function cli(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr, docs: io.docs };
}

describe('paperlab dispatcher', () => {
  it("an option another command has is a usage error naming it and the flags 'list' accepts", async () => {
    const r = await cli('list', '--seed', '3');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown option '--seed' for 'paperlab list'");
    expect(r.stderr).toContain("'paperlab list' accepts: --json, --store <dir>, -h/--help.");
    expect(r.stderr).toContain('is an option of: run, reproduce');
    expect(r.stderr).not.toMatch(/accepts:.*--preset/);
    expect(r.stdout).toBe('');
  });

  it('suggests the flag a typo was close to, and keeps quiet when none is', async () => {
    const typo = await cli('run', 'ntk/jacot2018', '--presetz', 'smoke');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("Did you mean '--preset'?");
    expect(typo.stderr).toMatch(
      /accepts: --preset <name>, --set <path=value>, --seed <n>, --backend <name>, --strict/,
    );
    expect((await cli('list', '--seed', '3')).stderr).not.toContain('Did you mean');
  });

  it('--json turns a usage error into an { error } document as well', async () => {
    const r = await cli('list', '--seed', '3', '--json');
    expect(r.code).toBe(2);
    expect(r.docs).toEqual([{ error: { code: 'E_USAGE', message: expect.stringContaining("'--seed'") } }]);
  });

  it.each([['-1'], ['0x10'], [''], ['1.5'], ['1e3'], [' 3'], ['9007199254740993']])(
    '--seed %j is a usage error (exit 2) saying what a seed must be',
    async (raw) => {
      const r = await cli('run', 'ntk/jacot2018', '--seed', raw);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`'--seed' expects a non-negative whole number in decimal digits`);
      expect(r.stderr).toContain(`got '${raw}'`);
      expect((await cli('run', 'ntk/jacot2018', `--seed=${raw}`)).code).toBe(2);
    },
  );

  it('a variadic last argument collects the rest, in order, up to its bound', () => {
    const args = (argv: string[]) => {
      const p = parseCommand(compareSpec, argv);
      if (p.help) throw new Error('unexpected help');
      return p.input.args;
    };
    expect(args(['a', 'b'])).toEqual({ runA: 'a', runB: 'b', more: [] });
    expect(args(['a', 'b', 'c', 'd', '--json'])).toEqual({ runA: 'a', runB: 'b', more: ['c', 'd'] });
    expect(args(['1', '2', '3', '4', '5', '6', '7', '8']).more).toHaveLength(6);
    expect(() => args(['1', '2', '3', '4', '5', '6', '7', '8', '9'])).toThrow(
      /Unexpected argument '9' for 'paperlab compare' \(it takes at most 8\)/,
    );
  });

  it('parses flags by their declared types, with defaults', () => {
    const parsed = parseCommand(runSpec, [
      'ntk/jacot2018',
      '--seed',
      '42',
      '--set',
      'a=1',
      '--set=b=2',
      '--strict',
    ]);
    expect(parsed.help).toBe(false);
    if (parsed.help) return;
    expect(parsed.input.args).toEqual({ experiment: 'ntk/jacot2018' });
    expect(parsed.input.flags).toEqual({
      preset: 'paper',
      set: ['a=1', 'b=2'],
      seed: 42,
      backend: 'auto',
      strict: true,
      'strict-inconclusive': false,
      force: false,
      config: undefined,
      'print-config': false,
    });
    expect(parsed.global).toEqual({ json: false, store: undefined });
    const zero = parseCommand(runSpec, ['x', '--seed', '0', '--store', 'runs', '--json']);
    expect(zero.help === false && zero.input.flags).toMatchObject({ seed: 0, strict: false, set: [] });
    expect(zero.help === false && zero.global).toEqual({ json: true, store: 'runs' });
  });

  it('rejects values that are not what the flag declares', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['run', 'x', '--seed', '1', '--seed', '2'], /'--seed' was given twice/],
      [['run', 'x', '--strict=yes'], /'--strict' is a switch and takes no value/],
      [['run', 'x', '--store'], /'--store' needs a value: --store <dir>/],
      [['run', 'x', '--preset', '--json'], /'--preset' needs a value, but the next word '--json'/],
      [['report', 'latest', '--format', 'pdf'], /'--format' expects one of md \| html, got 'pdf'/],
      [['data', 'frobnicate'], /<action> of 'paperlab data' is one of list \| fetch/],
      [['show', 'a', 'b'], /Unexpected argument 'b' for 'paperlab show'/],
      [['--seed', '1', 'run', 'x'], /'--seed' before the command/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).toMatch(message);
    }
  });

  it("a missing required argument is exit 2 with the command's usage", async () => {
    const r = await cli('info');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'paperlab info' needs <experiment>");
    expect(r.stderr).toContain('Usage: paperlab info <experiment> [options]');
    const c = await cli('compare', 'a');
    expect(c.code).toBe(2);
    expect(c.stderr).toContain("'paperlab compare' needs <runB>");
    expect((await cli('data', 'fetch')).stderr).toContain("'paperlab data fetch' needs a dataset name");
  });

  it("an unknown command is exit 2 with 'did you mean'", async () => {
    const r = await cli('lsit');
    expect(r.code).toBe(2);
    // 'list' first: the closest; ('ui' is as many edits away from 'lsit').
    expect(r.stderr).toContain("Unknown command 'lsit'. Did you mean 'list'");
    const far = await cli('frobnicate');
    expect(far.code).toBe(2);
    expect(far.stderr).toContain("Unknown command 'frobnicate'.");
    expect(far.stderr).toContain('Commands: list, info, run');
    expect((await cli('help', 'reproduse')).stderr).toContain("Did you mean 'reproduce'");
  });

  it('paperlab with no command prints the command list on stderr and exits 2; --help prints it on stdout', async () => {
    const none = await cli();
    expect(none.code).toBe(2);
    for (const c of commands) expect(none.stderr).toContain(c.summary);
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(none.stderr);
    expect((await cli('-h')).stdout).toBe(help.stdout);
    expect((await cli('help')).stdout).toBe(help.stdout);
    const json = await cli('--json');
    expect(json.code).toBe(2);
    expect(json.docs).toEqual([
      { error: { code: 'E_USAGE', message: expect.stringContaining('No command') } },
    ]);
  });

  it("run --help, run -h and help run print run's own help; --help wins over other problems", async () => {
    const a = await cli('run', '--help');
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('Usage: paperlab run <experiment> [options]');
    for (const f of runSpec.flags) expect(a.stdout).toContain(flagLabel(f));
    expect(a.stdout).not.toContain('--format');
    expect((await cli('run', '-h')).stdout).toBe(a.stdout);
    expect((await cli('help', 'run')).stdout).toBe(a.stdout);
    expect((await cli('run', '--bogus', '--help')).stdout).toBe(a.stdout);
  });

  it('--version prints the CLI version (from its package.json) and core’s', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const r = await cli('--version');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`@paperlab/cli ${pkg.version}\n`);
    expect(r.stdout).toContain(`@paperlab/core ${CORE_VERSION}\n`);
    const json = await cli('--version', '--json');
    expect(json.docs).toEqual([{ cli: pkg.version, core: CORE_VERSION, node: process.versions.node }]);
  });
});

describe('the command table', () => {
  it('keeps every command, each once', () => {
    expect(commands.map((c) => c.name)).toEqual([
      'list',
      'info',
      'run',
      'resume',
      'reproduce',
      'sweep',
      'runs',
      'show',
      'report',
      'compare',
      'export',
      'import',
      'ui',
      'data',
      'new',
      'doctor',
      'worker',
    ]);
  });

  it.each(commands.map((c) => [c.name, c] as const))('%s: declarations are consistent', (_, c) => {
    const names = [...c.flags, ...GLOBAL_FLAGS].map((f) => f.name);
    expect(new Set(names).size, 'a flag is declared twice or shadows a global one').toBe(names.length);
    const shorts = [...c.flags, ...GLOBAL_FLAGS].flatMap((f) => (f.short ? [f.short] : []));
    expect(new Set(shorts).size).toBe(shorts.length);
    const firstOptional = c.args.findIndex((a) => !a.required);
    if (firstOptional >= 0) expect(c.args.slice(firstOptional).every((a) => !a.required)).toBe(true);
    // A variadic argument takes the rest: it is the last one, optional, without choices, with a positive bound.
    c.args.forEach((a, i) => {
      if (a.variadic === undefined) return;
      expect(i, `<${a.name}> is variadic but not last`).toBe(c.args.length - 1);
      expect(a.required).toBe(false);
      expect(a.choices).toBeUndefined();
      expect(Number.isInteger(a.variadic) && a.variadic > 0).toBe(true);
    });
    for (const f of c.flags) {
      expect(f.name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(f.description.length).toBeGreaterThan(0);
      if (f.choices) expect(f.type).toBe('string');
      if (f.default !== undefined && !f.repeatable)
        expect(typeof f.default).toBe(f.type === 'number' ? 'number' : f.type);
      if (f.choices && f.default !== undefined) expect(f.choices).toContain(f.default);
    }
    expect(c.examples.length).toBeGreaterThan(0);
    for (const e of c.examples) expect(e.startsWith(`paperlab ${c.name}`)).toBe(true);
  });

  it.each(commands.map((c) => [c.name, c] as const))(
    '%s: help is generated from the spec (every arg, flag, default and example appears)',
    async (name, c) => {
      const r = await cli(name, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${commandHelp(c)}\n`);
      expect(r.stdout).toContain(`paperlab ${name}`);
      for (const a of c.args) {
        expect(r.stdout).toContain(
          a.required ? `<${a.name}>` : `[${a.name}${a.variadic === undefined ? '' : '...'}]`,
        );
        if (a.variadic !== undefined) expect(r.stdout).toContain(`up to ${a.variadic}`);
        expect(r.stdout).toContain(a.description);
      }
      for (const f of [...c.flags, ...GLOBAL_FLAGS]) {
        const line = r.stdout.split('\n').find((l) => l.trimStart().startsWith(flagLabel(f)));
        expect(line, `--${f.name} in '${name} --help'`).toBeDefined();
        expect(line).toContain(f.description);
        if (f.default !== undefined && f.type !== 'boolean') expect(line).toContain(`default: ${f.default}`);
        if (f.repeatable) expect(line).toContain('repeatable');
        for (const ex of f.examples ?? []) expect(line).toContain(ex);
      }
      for (const e of c.examples) expect(r.stdout).toContain(`  ${e}\n`);
      // The JSON form is the table itself.
      const json = await cli('help', name, '--json');
      expect(json.docs[0]).toMatchObject({ name, summary: c.summary, flags: c.flags, args: c.args });
    },
  );

  it('a new command is one defineCommand module: parsed, validated and documented like the others', async () => {
    const seen: unknown[] = [];
    const scaffold = defineCommand({
      name: 'new',
      summary: 'scaffold a paper or a plugin',
      args: [
        { name: 'kind', required: true, choices: ['paper', 'plugin'], description: 'what to create' },
        { name: 'name', required: true, description: 'its slug' },
      ],
      flags: [
        { name: 'dir', type: 'string', value: 'path', default: '.', description: 'where to create it' },
        { name: 'force', type: 'boolean', short: 'f', description: 'overwrite existing files' },
        { name: 'authors', type: 'number', description: 'author count' },
      ],
      examples: ['paperlab new paper jacot2018'],
      run(input) {
        seen.push(input);
        // Types follow the table: these assignments are checked by tsc.
        const dir: string = input.flags.dir;
        const force: boolean = input.flags.force;
        const authors: number | undefined = input.flags.authors;
        const kind: string = input.args.kind;
        // @ts-expect-error — an undeclared flag is a compile error too.
        void input.flags.seed;
        return dir && kind && (force || authors === undefined) ? 0 : 1;
      },
    });
    const parsed = parseCommand(scaffold, ['plugin', 'gnn', '-f', '--authors', '2'], [scaffold]);
    expect(parsed.help === false && parsed.input).toEqual({
      args: { kind: 'plugin', name: 'gnn' },
      flags: { dir: '.', force: true, authors: 2 },
    } satisfies CommandInput<typeof scaffold.args, typeof scaffold.flags>);
    expect(() => parseCommand(scaffold, ['paper', 'x', '--seed', '1'], [scaffold])).toThrow(UsageError);
    expect(() => parseCommand(scaffold, ['poster', 'x'], [scaffold])).toThrow(/one of paper \| plugin/);
    const help = commandHelp(scaffold);
    expect(help).toContain('Usage: paperlab new <paper|plugin> <name> [options]');
    expect(help).toMatch(/-f, --force\s+overwrite existing files/);
    expect(help).toMatch(/--dir <path>\s+where to create it \[default: \.\]/);
  });
});
