import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { type ExpectedVerdicts, parseExpectedVerdicts } from '@paperlab/core/runs';
import { UsageError } from '../spec.js';
import { checkSlug, identifierOf, impliedPluginName } from './names.js';
import {
  experimentTemplate,
  type PaperTemplateInput,
  paperReadmeTemplate,
  paperTestTemplate,
  TODO,
} from './paperTemplates.js';

/** What `paperlab new paper` needs: the plugin package and the paper. */
export interface NewPaperOptions {
  /** The plugin package's directory (holds package.json and src/papers/index.ts). */
  pluginDir: string;
  /** The plugin's namespace. */
  plugin: string;
  slug: string;
  title?: string | undefined;
  authors?: string | undefined;
  url?: string | undefined;
}

/** What was created and changed. */
export interface NewPaperResult {
  /** Experiment id, e.g. `gnn/kipf2017`. */
  id: string;
  /** The paper's folder. */
  dir: string;
  /** Files written, absolute. */
  created: string[];
  /** Files edited (the papers array, the plugin README's table), absolute. */
  updated: string[];
}

const ARRAY = /export\s+const\s+papers\s*=\s*\[([\s\S]*?)\]/;

/**
 * Adds `slug` to a plugin's `src/papers/index.ts`: the import, and the entry in the `papers` array (in
 * alphabetical place when the array is sorted, else at the end). Throws when the file has no such array.
 */
export function registerPaper(source: string, slug: string, file = 'src/papers/index.ts'): string {
  const ident = identifierOf(slug);
  const m = ARRAY.exec(source);
  if (!m)
    throw new UsageError(
      `${file} has no 'export const papers = [ … ]': it is the plugin's one list of papers ` +
        '(definePlugin({ …, papers })). Add it, or register the experiment by hand.',
      { command: 'new' },
    );
  const entries = m[1]!
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.includes(ident)) throw new UsageError(`${file} already lists ${ident}.`, { command: 'new' });
  const simple = entries.every((e) => /^[A-Za-z_$][\w$]*$/.test(e));
  const sorted = simple && entries.every((e, i) => i === 0 || entries[i - 1]!.localeCompare(e) <= 0);
  const next = sorted ? [...entries, ident].sort((a, b) => a.localeCompare(b)) : [...entries, ident];
  // As Biome writes it: on one line when it fits in 110 columns (with ' as const;'), else one entry a line.
  const flat = `export const papers = [${next.join(', ')}]`;
  const array =
    flat.length + ' as const;'.length <= 110
      ? flat
      : `export const papers = [\n${next.map((e) => `  ${e},\n`).join('')}]`;
  let out = source.slice(0, m.index) + array + source.slice(m.index + m[0].length);
  const line = `import { ${ident} } from './${slug}/experiment.js';\n`;
  const imports = [...out.matchAll(/^import[\s\S]*?from\s+['"][^'"]+['"];?\n/gm)];
  const last = imports.at(-1);
  if (last) {
    // Keep the imports in order of their paths when they are (as a formatter would leave them).
    const lines = imports.map((i) => i[0]);
    const paths = lines.map((l) => /from\s+['"]([^'"]+)['"]/.exec(l)![1]!);
    const inOrder = paths.every((p, i) => i === 0 || paths[i - 1]!.localeCompare(p) <= 0);
    const mine = `./${slug}/experiment.js`;
    const at = inOrder ? imports.find((_, i) => paths[i]!.localeCompare(mine) > 0) : undefined;
    const pos = at ? at.index : last.index + last[0].length;
    out = out.slice(0, pos) + line + out.slice(pos);
  } else out = line + (out.startsWith('\n') ? '' : '\n') + out;
  return out;
}

/** Adds a row for the paper to the plugin README's `| experiment | paper |` table, if it has one. */
export function addReadmeRow(readme: string, p: PaperTemplateInput): string | undefined {
  const header = /^\| experiment \| paper \|[ \t]*\n\| --- \| --- \|[ \t]*\n((?:\|.*\|[ \t]*\n)*)/m.exec(
    readme,
  );
  if (!header) return undefined;
  const row = `| [${p.plugin}/${p.slug}](src/papers/${p.slug}/README.md) | ${p.title} (${p.year}) |\n`;
  const end = header.index + header[0].length;
  return readme.slice(0, end) + row + readme.slice(end);
}

/** The smoke verdicts the stub paper gives (its seeded effect is built to be detected), added to the plugin's table. */
const STUB_VERDICTS = { 'method-beats-baseline': 'reproduced', 'baseline-centred': 'reproduced' } as const;

/**
 * The plugin's committed smoke-verdict table with the new paper's stub verdicts added: the conformance suite
 * checks it, so the stub passes out of the box and the first real change of a verdict asks for a reason.
 */
async function withStubVerdicts(path: string, id: string): Promise<string> {
  const previous = existsSync(path)
    ? parseExpectedVerdicts(JSON.parse(await readFile(path, 'utf8')), path)
    : undefined;
  const today = new Date().toISOString().slice(0, 10);
  const table: ExpectedVerdicts = {
    $comment:
      previous?.$comment ??
      'The verdict each claim gives on this preset, seed and backend. The test suite fails on any change; update with PAPERLAB_UPDATE_VERDICTS=1 PAPERLAB_VERDICTS_REASON="…" and commit the table with the change.',
    preset: previous?.preset ?? 'smoke',
    seed: previous?.seed ?? 1,
    backend: previous?.backend ?? 'wasm',
    experiments: { ...(previous?.experiments ?? {}), [id]: { ...STUB_VERDICTS } },
    changes: [...(previous?.changes ?? []), { date: today, reason: `scaffolded ${id} (stub science)` }],
  };
  return `${JSON.stringify(table, null, 2)}\n`;
}

/**
 * Creates `src/papers/<slug>/{experiment.ts, README.md, <slug>.test.ts}` in a plugin package and registers the
 * paper in `src/papers/index.ts` (and its stub verdicts in `expected-verdicts.smoke.json`). Checks everything before writing anything: the slug, the package, that the
 * paper is new, and that the papers array can take it.
 */
export async function newPaper(o: NewPaperOptions): Promise<NewPaperResult> {
  const year = checkSlug(o.slug);
  const manifestPath = join(o.pluginDir, 'package.json');
  if (!existsSync(manifestPath))
    throw new UsageError(
      `${o.pluginDir} is not a plugin package (no package.json). Give the plugin's directory with --dir, or create ` +
        `the plugin first: paperlab new plugin ${o.plugin}.`,
      { command: 'new' },
    );
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { name?: string; keywords?: string[] };
  const implied = manifest.name ? impliedPluginName(manifest.name) : undefined;
  if (implied && implied !== o.plugin)
    throw new UsageError(
      `${o.pluginDir} holds ${manifest.name}, the plugin '${implied}', not '${o.plugin}': ` +
        `write 'paperlab new paper ${implied}/${o.slug}', or give the right --dir.`,
      { command: 'new' },
    );
  const indexPath = join(o.pluginDir, 'src', 'papers', 'index.ts');
  if (!existsSync(indexPath))
    throw new UsageError(
      `${indexPath} is missing: a plugin lists its papers there ('export const papers = [ … ] as const', ` +
        'passed to definePlugin({ …, papers })).',
      { command: 'new' },
    );
  const dir = join(o.pluginDir, 'src', 'papers', o.slug);
  if (existsSync(dir))
    throw new UsageError(
      `${dir} already exists: ${o.plugin}/${o.slug} is taken. Two papers with one slug get a suffix (${o.slug}b).`,
      { command: 'new' },
    );
  const index = await readFile(indexPath, 'utf8');
  const registered = registerPaper(index, o.slug, relative(o.pluginDir, indexPath));
  const input: PaperTemplateInput = {
    plugin: o.plugin,
    slug: o.slug,
    year,
    title: o.title ?? `${TODO}: the paper’s title`,
    authors: o.authors ?? `${TODO}: the authors`,
    url: o.url ?? `https://example.org/${TODO}-${o.slug}`,
  };
  if (o.url !== undefined && !/^https?:\/\//.test(o.url))
    throw new UsageError(`--url '${o.url}' is not a web address (http:// or https://).`, { command: 'new' });

  await mkdir(dir, { recursive: true });
  const files: Array<[string, string]> = [
    [join(dir, 'experiment.ts'), experimentTemplate(input)],
    [join(dir, 'README.md'), paperReadmeTemplate(input)],
    [join(dir, `${o.slug}.test.ts`), paperTestTemplate(input)],
  ];
  for (const [path, text] of files) await writeFile(path, text, { flag: 'wx' });
  await writeFile(indexPath, registered);
  const updated = [indexPath];
  const verdictsPath = join(o.pluginDir, 'expected-verdicts.smoke.json');
  await writeFile(verdictsPath, await withStubVerdicts(verdictsPath, `${o.plugin}/${o.slug}`));
  updated.push(verdictsPath);
  const readmePath = join(o.pluginDir, 'README.md');
  if (existsSync(readmePath)) {
    const withRow = addReadmeRow(await readFile(readmePath, 'utf8'), input);
    if (withRow !== undefined) {
      await writeFile(readmePath, withRow);
      updated.push(readmePath);
    }
  }
  return { id: `${o.plugin}/${o.slug}`, dir, created: files.map(([p]) => p), updated };
}
