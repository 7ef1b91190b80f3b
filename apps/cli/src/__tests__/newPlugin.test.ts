import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A contributor outside this repository, end to end: `paperlab new plugin` in an empty folder; the package is
// built with tsc, type-checks its tests, passes them (its starter paper's test and the conformance suite) with
// vitest, is packed with `npm pack`, and is installed into a project where `paperlab list` finds it and
// `paperlab run` runs its paper.
//
// Offline, and as close to `npm install` as that allows: the plugin is installed the way npm installs a package —
// its tarball (only the files its package.json publishes) unpacked into the project's node_modules — and the CLI
// finds it there by its `paperlab-plugin` keyword, as it finds any installed plugin. What `npm install` would
// download (@paperlab/core and @tensorflow/tfjs-core, the peers; typescript, vitest and @types/node, the dev
// tools) is linked from this workspace instead, as `npm link` would: the same copies the CLI itself loads, so
// plugin and CLI share one core and one tfjs registry, as a deduplicated install gives.
// Needs the built CLI and core (`pnpm run compile`), like cli.test.ts.

const cliDir = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(cliDir, 'dist', 'bin.js');
const requireHere = createRequire(join(cliDir, 'package.json'));
/** The workspace package a name resolves to from the CLI, as a real path. */
const installed = (name: string) => realpathSync(dirname(requireHere.resolve(`${name}/package.json`)));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(file: string, args: string[], cwd: string): Promise<Result> {
  // A child vitest must not think it runs inside this one.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS'),
  );
  return new Promise((resolve) =>
    execFile(
      file,
      args,
      { cwd, env: { ...env, NO_COLOR: '1', CI: '1' }, maxBuffer: 1 << 24 },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/** Links `target` at `<dir>/node_modules/<name>`. */
async function link(dir: string, name: string, target: string): Promise<void> {
  const at = join(dir, 'node_modules', name);
  await mkdir(dirname(at), { recursive: true });
  await symlink(target, at, 'dir');
}

describe('paperlab new plugin (standalone): build, test, pack, install, list, run', () => {
  let tmp: string;
  beforeAll(async () => {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run 'pnpm run compile' first`);
    tmp = await mkdtemp(join(tmpdir(), 'paperlab-new-plugin-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('a new plugin builds, passes its own tests, installs, and its paper runs from the CLI', async () => {
    const t0 = Date.now();
    const steps: Record<string, number> = {};
    const step = async (name: string, r: Promise<Result>) => {
      const s = Date.now();
      const out = await r;
      steps[name] = Date.now() - s;
      expect(out.code, `${name}:\n${out.stdout}\n${out.stderr}`).toBe(0);
      return out;
    };
    const cli = (args: string[], cwd: string) => exec(process.execPath, [bin, ...args], cwd);

    // 1. Scaffold, outside any paperlab checkout.
    const made = await step(
      'new plugin',
      cli(['new', 'plugin', 'mine', '--dir', 'paperlab-plugin-mine', '--paper', 'smith2020', '--json'], tmp),
    );
    const created = JSON.parse(made.stdout) as { dir: string; packageName: string; monorepo: boolean };
    expect(created).toMatchObject({ packageName: 'paperlab-plugin-mine', monorepo: false });
    const pkgDir = created.dir;
    const manifest = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8'));
    const coreVersion = JSON.parse(
      await readFile(join(installed('@paperlab/core'), 'package.json'), 'utf8'),
    ).version;
    expect(manifest.peerDependencies['@paperlab/core']).toBe(`^${coreVersion}`);
    expect(manifest.keywords).toContain('paperlab-plugin');

    // 2. Its dependencies, linked in place of `npm install`.
    const core = installed('@paperlab/core');
    const tfjs = realpathSync(
      dirname(createRequire(join(core, 'package.json')).resolve('@tensorflow/tfjs-core/package.json')),
    );
    await link(pkgDir, '@paperlab/core', core);
    await link(pkgDir, '@tensorflow/tfjs-core', tfjs);
    await link(pkgDir, 'vitest', installed('vitest'));
    await link(pkgDir, '@types/node', installed('@types/node'));
    const typescript = realpathSync(
      dirname(createRequire(join(cliDir, '..', '..', 'package.json')).resolve('typescript/package.json')),
    );
    const tsc = join(typescript, 'bin', 'tsc');

    // 3. Build, type-check the tests, run them (the starter paper's test and the conformance suite).
    await step('tsc build', exec(process.execPath, [tsc, '-p', 'tsconfig.json'], pkgDir));
    expect(existsSync(join(pkgDir, 'dist', 'papers', 'smith2020', 'experiment.js'))).toBe(true);
    await step('tsc tests', exec(process.execPath, [tsc, '-p', 'tsconfig.test.json'], pkgDir));
    const tests = await step(
      'vitest',
      exec(process.execPath, [join(installed('vitest'), 'vitest.mjs'), 'run'], pkgDir),
    );
    expect(tests.stdout).toMatch(/Test Files\s+2 passed/);
    expect(tests.stdout).toMatch(/1 todo/); // the reminder to quote the paper, not a failure

    // 4. Pack (the build is done; --ignore-scripts skips prepack's rebuild) and install into a project.
    const pack = await step(
      'npm pack',
      exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], pkgDir),
    );
    const filename = (JSON.parse(pack.stdout) as Array<{ filename: string }>)[0]!.filename;
    const project = join(tmp, 'project');
    const target = join(project, 'node_modules', 'paperlab-plugin-mine');
    await mkdir(target, { recursive: true });
    await step(
      'unpack',
      exec('tar', ['-xzf', join(tmp, filename), '-C', target, '--strip-components=1'], tmp),
    );
    expect((await readdir(target)).sort()).toEqual(['README.md', 'dist', 'package.json', 'src']);
    expect(existsSync(join(target, 'src', 'papers', 'smith2020', 'smith2020.test.ts'))).toBe(false);
    await link(project, '@paperlab/core', core);
    await link(project, '@tensorflow/tfjs-core', tfjs);

    // 5. The CLI finds it and runs its paper.
    const list = await step('paperlab list', cli(['list', '--json'], project));
    const listed = JSON.parse(list.stdout) as {
      plugins: Array<{ packageName: string; name: string }>;
      experiments: Array<{ id: string; paperClaims: number; controls: number }>;
    };
    expect(listed.plugins.map((p) => p.packageName)).toContain('paperlab-plugin-mine');
    expect(listed.experiments.find((e) => e.id === 'mine/smith2020')).toMatchObject({
      paperClaims: 1,
      controls: 1,
    });
    const run = await step(
      'paperlab run',
      cli(['run', 'mine/smith2020', '--preset', 'smoke', '--json', '--store', join(tmp, 'runs')], project),
    );
    const out = JSON.parse(run.stdout) as {
      header: { status: string };
      result: { claims: Array<{ id: string; kind: string; verdict: string; measured: string }> };
    };
    expect(out.header.status).toBe('completed');
    expect(out.result.claims.map((c) => [c.id, c.kind])).toEqual([
      ['method-beats-baseline', 'paper'],
      ['baseline-centred', 'control'],
    ]);
    // The stand-in science gives real verdicts from real numbers.
    for (const c of out.result.claims) {
      expect(c.verdict).toBe('reproduced');
      expect(c.measured).toMatch(/\d\.\d{3}/);
    }
    const total = Date.now() - t0;
    expect(total, `steps (ms): ${JSON.stringify(steps)}`).toBeLessThan(120_000);
  }, 180_000);
});
