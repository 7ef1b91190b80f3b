import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLab } from '@paperlab/core';
import { suiteTempDir } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { bashScript, fishScript } from '../commands/completion.js';
import { commands } from '../commands/index.js';
import { main } from '../main.js';
import { runAndReport } from '../session.js';
import { capture } from './capture.js';
import { fakePlugin } from './fakePlugin.js';

// Issue 16 item 2: completion scripts, --config/--print-config, config-key "did you mean", run refs in resume.

async function cli(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr, docs: io.docs };
}

const words = {
  experiments: ['ntk/jacot2018', 'quantum/notton2025'],
  plugins: ['ntk', 'quantum'],
  presets: ['smoke', 'paper'],
};

/** What the bash script completes for a command line whose last word is being typed. */
function bashComplete(script: string, line: string[]): string[] {
  const quoted = line.map((w) => `'${w}'`).join(' ');
  const r = spawnSync(
    'bash',
    [
      '-c',
      `${script}\nCOMP_WORDS=(${quoted}); COMP_CWORD=${line.length - 1}; _paperlab; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    { encoding: 'utf8' },
  );
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

describe('shell completion', () => {
  const script = bashScript(commands, words);
  it('bash completes commands, flags, flag values, experiment ids and run refs', () => {
    expect(bashComplete(script, ['paperlab', 'rep'])).toEqual(['reproduce', 'report']);
    expect(bashComplete(script, ['paperlab', 'run', 'ntk/ja'])).toEqual(['ntk/jacot2018']);
    expect(bashComplete(script, ['paperlab', 'run', 'ntk/jacot2018', '--pre'])).toEqual(['--preset']);
    expect(bashComplete(script, ['paperlab', 'run', 'ntk/jacot2018', '--preset', 's'])).toEqual(['smoke']);
    expect(bashComplete(script, ['paperlab', 'run', '--backend', 'w'])).toEqual(['wasm', 'webgpu']);
    expect(bashComplete(script, ['paperlab', 'show', ''])).toEqual(['latest']);
    // compare's third to eighth runs complete like the first two; a ninth gets nothing.
    expect(bashComplete(script, ['paperlab', 'compare', 'a', 'b', 'c', ''])).toEqual(['latest']);
    expect(bashComplete(script, ['paperlab', 'compare', ...'abcdefgh', ''])).toEqual([]);
    expect(bashComplete(script, ['paperlab', '--store', 'x', 'reproduce', 'q'])).toEqual(['quantum']);
    // list takes no --preset: it is never offered there.
    expect(bashComplete(script, ['paperlab', 'list', '--p'])).toEqual([]);
  });

  it('fish declares every command with its summary and each command its own flags', () => {
    const fish = fishScript(commands, words);
    for (const c of commands) expect(fish).toContain(`-a ${c.name} -d '`);
    expect(fish).toContain("-n '__fish_seen_subcommand_from run' -l preset -r -a 'smoke paper'");
    expect(fish).not.toContain("-n '__fish_seen_subcommand_from list' -l preset");
  });

  it("'paperlab completion <shell>' prints the script; an unknown shell is exit 2", async () => {
    const r = await cli('completion', 'bash', '--store', join(tmpdir(), 'none'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('complete -o default -F _paperlab paperlab');
    expect(r.stdout).toContain('ntk/jacot2018');
    expect((await cli('completion', 'tcsh')).code).toBe(2);
  }, 60_000);
});

describe('--config, --print-config and config keys', () => {
  const tmp = suiteTempDir('paperlab-conv-');

  it('--print-config prints the resolved config: preset, then the file (JSON or YAML), then --set', async () => {
    const yaml = join(tmp.path, 'c.yaml');
    await writeFile(yaml, 'steps: 50\nwidths: [16, 32]\n');
    const r = await cli(
      'run',
      'ntk/jacot2018',
      '--preset',
      'smoke',
      '--config',
      yaml,
      '--set',
      'steps=60',
      '--print-config',
      '--json',
    );
    expect(r.code).toBe(0);
    const doc = r.docs[0] as { preset: string; config: { widths: number[]; steps: number } };
    expect(doc.preset).toBe('smoke');
    expect(doc.config.widths).toEqual([16, 32]);
    expect(doc.config.steps).toBe(60);
    // What --print-config writes reads back through --config to the same config.
    const text = await cli('run', 'ntk/jacot2018', '--preset', 'smoke', '--config', yaml, '--print-config');
    const json = join(tmp.path, 'c.json');
    await writeFile(json, text.stdout);
    const again = await cli('run', 'ntk/jacot2018', '--config', json, '--print-config', '--json');
    expect((again.docs[0] as { config: unknown }).config).toEqual(JSON.parse(text.stdout));
  }, 60_000);

  it('a bad --config file or a misspelt key is exit 2 naming the file or suggesting the key', async () => {
    const missing = await cli('run', 'ntk/jacot2018', '--config', join(tmp.path, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    const list = join(tmp.path, 'list.json');
    await writeFile(list, '[1, 2]');
    expect((await cli('run', 'ntk/jacot2018', '--config', list)).stderr).toContain('must hold one object');
    const typo = await cli('run', 'ntk/jacot2018', '--set', 'widht=[8]', '--print-config');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("did you mean 'widths'?");
  }, 60_000);

  it("resume takes 'latest' and id prefixes like every other command", async () => {
    const store = join(tmp.path, 'runs');
    const lab = await createLab({ plugins: [fakePlugin] });
    await runAndReport(
      lab,
      capture(),
      { json: false, store, set: [], strict: false, preset: 'smoke' },
      { experiment: 'fake/doe2020' },
    );
    const r = await cli('resume', 'latest', '--store', store);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Run \d{8}-\d{6}-fake-doe2020-[0-9a-f]{6} already completed; nothing to resume/);
  }, 60_000);

  it('compare shows only the setup values that differ, then scalars with Δ and verdicts', async () => {
    const store = join(tmp.path, 'cmp');
    const lab = await createLab({ plugins: [fakePlugin] });
    const run = (value: string, seed: number) =>
      runAndReport(
        lab,
        capture(),
        { json: false, store, set: [`value=${value}`], seed, strict: false, preset: 'smoke' },
        { experiment: 'fake/doe2020' },
      );
    await run('1', 0);
    await run('3', 0);
    const runs = (await cli('runs', '--store', store, '--json')).docs[0] as Array<{
      id: string;
      config: { value: number };
    }>;
    const one = runs.find((x) => x.config.value === 1)!.id;
    const three = runs.find((x) => x.config.value === 3)!.id;
    const r = await cli('compare', one, three, '--store', store);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/config\.value\s+1\s+3/);
    expect(r.stdout).not.toMatch(/^seed /m);
    expect(r.stdout).toMatch(/value\s+1\s+3\s+2/);
    const j = await cli('compare', one, three, '--store', store, '--json');
    expect((j.docs[0] as { setup: unknown }).setup).toEqual([
      { path: 'config.value', a: 1, b: 3, values: [1, 3] },
    ]);

    // A third run (another seed) is column C; the last column is max − min; --json has Δ against A per run.
    await run('2', 1);
    const two = ((await cli('runs', '--store', store, '--json')).docs[0] as typeof runs).find(
      (x) => x.config.value === 2,
    )!.id;
    const t = await cli('compare', one, three, two, '--store', store);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain(`C: ${two}`);
    expect(t.stdout).toMatch(/^seed\s+0\s+0\s+1$/m);
    expect(t.stdout).toMatch(/config\.value\s+1\s+3\s+2/);
    expect(t.stdout).toMatch(/max − min/);
    expect(t.stdout).toMatch(/^value\s+1\s+3\s+2\s+2$/m);
    const tj = (await cli('compare', one, three, two, '--store', store, '--json')).docs[0] as {
      runs: string[];
      scalars: Record<string, number[]>;
      deltas: Record<string, number[]>;
      claims: Array<{ verdicts: string[] }>;
    };
    expect(tj.runs).toEqual([one, three, two]);
    expect(tj.scalars.value).toEqual([1, 3, 2]);
    expect(tj.deltas.value).toEqual([0, 2, 1]);
    for (const c of tj.claims) expect(c.verdicts).toHaveLength(3);
    // Nine runs is more than a comparison takes: a usage error that says how many it does.
    const nine = await cli('compare', ...Array.from({ length: 9 }, () => one), '--store', store);
    expect(nine.code).toBe(2);
    expect(nine.stderr).toMatch(/Unexpected argument '.*' for 'paperlab compare' \(it takes at most 8\)/);
  }, 60_000);
});
