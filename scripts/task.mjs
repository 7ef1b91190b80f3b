#!/usr/bin/env node
// One entry point for the README's commands, working on a fresh machine with only Node ≥ 20.10 and npm:
//   node scripts/task.mjs demo   → bootstrap, build, run the main experiment (ntk/jacot2018, paper preset)
//   node scripts/task.mjs test   → bootstrap, build, lint, publint + attw, type-check, the whole test suite
//   node scripts/task.mjs setup  → bootstrap only
// Bootstrapping is idempotent: pnpm (pinned), the workspace install, and the system packages the tests
// need (Debian chromium for browser tests, dataset-fashion-mnist) when apt-get is available.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = '12.21.0';
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };
const toolsBin = join(root, '.tools', 'node_modules', '.bin');

/** Puts the bootstrapped tools first on PATH, so turbo's child processes find the same pnpm. */
function useToolsOnPath() {
  const key = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  const parts = (env[key] ?? '').split(delimiter).filter((p) => p !== toolsBin);
  env[key] = [toolsBin, ...parts].join(delimiter);
}

function log(msg) {
  process.stderr.write(`\u001b[36m[paperlab]\u001b[0m ${msg}\n`);
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, ...options });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function must(cmd, args, options) {
  const code = run(cmd, args, options);
  if (code !== 0) {
    log(`'${cmd} ${args.join(' ')}' failed with exit code ${code}`);
    process.exit(code);
  }
}

function has(cmd, args = ['--version']) {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], env })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

/** pnpm at the pinned version: global if it matches, else a local copy under .tools/. */
function ensurePnpm() {
  const global = has('pnpm');
  if (global === PNPM_VERSION) return 'pnpm';
  const local = join(toolsBin, 'pnpm');
  if (has(local) === PNPM_VERSION) {
    useToolsOnPath();
    return local;
  }
  log(`installing pnpm ${PNPM_VERSION} into .tools/ (found: ${global ?? 'none'})`);
  must('npm', [
    'install',
    '--prefix',
    join(root, '.tools'),
    '--no-audit',
    '--no-fund',
    `pnpm@${PNPM_VERSION}`,
  ]);
  useToolsOnPath();
  return local;
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Debian packages the test suite uses; installed only where apt-get can (root or passwordless sudo). */
function ensureSystemPackages() {
  if (process.env.PAPERLAB_SKIP_SYSTEM === '1') return;
  const wanted = [
    ['chromium', '/usr/bin/chromium'],
    ['dataset-fashion-mnist', '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz'],
    ['redis-server', '/usr/bin/redis-server'],
  ];
  const missing = wanted.filter(([, path]) => !existsSync(path)).map(([pkg]) => pkg);
  if (missing.length === 0) return;
  if (!has('apt-get', ['--version'])) {
    log(
      `apt-get not available; missing system packages: ${missing.join(', ')} (browser tests, Fashion-MNIST runs and the Redis queue tests will be skipped or fail with instructions)`,
    );
    return;
  }
  const sudo = isRoot() ? [] : has('sudo', ['-n', 'true']) !== null ? ['sudo', '-n'] : null;
  if (sudo === null) {
    log(
      `cannot install ${missing.join(', ')} without root; run: sudo apt-get install -y ${missing.join(' ')}`,
    );
    return;
  }
  log(`installing Debian packages: ${missing.join(', ')}`);
  const apt = (args) =>
    run(sudo[0] ?? 'apt-get', sudo.length ? [...sudo.slice(1), 'apt-get', ...args] : args, {
      env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  if (apt(['install', '-y', '--no-install-recommends', ...missing]) !== 0) {
    apt(['update']);
    if (apt(['install', '-y', '--no-install-recommends', ...missing]) !== 0)
      log(`could not install ${missing.join(', ')}`);
  }
}

function bootstrap() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 10)) {
    log(`Node ${process.versions.node} is too old; paperlab needs Node ≥ 20.10`);
    process.exit(1);
  }
  const pnpm = ensurePnpm();
  const frozen = existsSync(join(root, 'pnpm-lock.yaml')) ? ['--frozen-lockfile'] : [];
  must(pnpm, ['install', ...frozen, '--reporter=append-only']);
  ensureSystemPackages();
  return pnpm;
}

/** Sums the vitest JSON reports of every package and prints one closing line. */
function summarise() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const dirs = ['packages', 'apps'].flatMap((d) =>
    existsSync(join(root, d)) ? readdirSync(join(root, d)).map((p) => join(root, d, p)) : [],
  );
  for (const dir of dirs) {
    const file = join(dir, '.vitest', 'results.json');
    if (!existsSync(file)) continue;
    const r = JSON.parse(readFileSync(file, 'utf8'));
    passed += r.numPassedTests ?? 0;
    failed += r.numFailedTests ?? 0;
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  }
  process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  return failed;
}

const task = process.argv[2] ?? 'test';
const pnpm = bootstrap();
if (task === 'setup') process.exit(0);
if (task === 'demo') {
  must(pnpm, ['run', 'compile']);
  const extra = process.argv.slice(3);
  process.exit(run(process.execPath, [join(root, 'apps/cli/dist/bin.js'), 'run', 'ntk/jacot2018', ...extra]));
}
if (task === 'test') {
  must(pnpm, ['run', 'compile']);
  must(pnpm, ['run', 'lint']);
  must(pnpm, ['run', 'check:publish']);
  must(pnpm, ['exec', 'changeset', 'status']); // every changeset parses and names real packages
  const code = run(pnpm, ['run', 'test:packages']);
  const failed = summarise();
  process.exit(code !== 0 ? code : failed > 0 ? 1 : 0);
}
if (task === 'bench') {
  must(pnpm, ['run', 'compile']);
  process.exit(run(pnpm, ['--filter', '@paperlab/bench', 'run', 'bench', ...process.argv.slice(3)]));
}
log(`unknown task '${task}' (demo | test | bench | setup)`);
process.exit(2);
