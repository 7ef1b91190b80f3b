import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PaperlabPlugin, publishedCoreRange } from '../contracts/plugin.js';
import { pathOf } from './paths.js';

/** The package.json fields the plugin checks read. */
export interface PluginManifest {
  name?: string;
  version?: string;
  keywords?: string[];
  peerDependencies?: Record<string, string>;
}

/** One folder under a plugin's `src/papers/`, with the names of the files directly inside it. */
export interface PaperFolder {
  slug: string;
  files: string[];
}

/** A plugin package as read from disk (Node only): its package.json and its paper folders. */
export interface PluginPackageLayout {
  /** Absolute path of the package directory. */
  dir: string;
  manifest: PluginManifest;
  /** Folders directly under `src/papers/` (names starting with `.` or `_` are not papers). */
  papers: PaperFolder[];
}

/** What {@link pluginPackageProblems} found, grouped by the conformance test that reports it. */
export interface PluginPackageProblems {
  /** package.json vs the plugin's name, packageName, version and core range; keyword; peer dependencies. */
  manifest: string[];
  /** Paper folders vs registered experiments: unregistered folders, missing folders, READMEs and tests. */
  papers: string[];
}

/** Peer dependencies every plugin declares: the packages that hold a global registry. */
const PLUGIN_PEERS = ['@paperlab/core', '@tensorflow/tfjs-core'] as const;

/** Reads a plugin package's package.json and lists its `src/papers/<slug>/` folders. */
export function readPluginPackage(packageDir: string | URL): PluginPackageLayout {
  const dir = pathOf(packageDir);
  const manifestPath = join(dir, 'package.json');
  if (!existsSync(manifestPath)) {
    throw new Error(
      `No package.json in ${dir}: pass the plugin's package directory, e.g. new URL('..', import.meta.url) from src/`,
    );
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as PluginManifest;
  const papersDir = join(dir, 'src', 'papers');
  const papers = existsSync(papersDir)
    ? readdirSync(papersDir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && !/^[._]/.test(e.name))
        .map((e) => ({
          slug: e.name,
          files: readdirSync(join(papersDir, e.name), { withFileTypes: true })
            .filter((f) => f.isFile())
            .map((f) => f.name)
            .sort(),
        }))
        .sort((a, b) => a.slug.localeCompare(b.slug))
    : [];
  return { dir, manifest, papers };
}

/** The namespace a package name implies: `@paperlab/plugin-ntk` and `paperlab-plugin-ntk` give `ntk`. */
function impliedName(packageName: string): string | undefined {
  return /^(?:@[^/]+\/)?(?:paperlab-)?plugin-([a-z0-9-]+)$/.exec(packageName)?.[1];
}

/**
 * Checks a plugin against its package on disk: identity agrees with package.json, the package is
 * discoverable and peer-depends on the registry holders, every `src/papers/<slug>/` folder is registered as
 * `<name>/<slug>`, and every registered paper has its folder, README.md and `<slug>.test.ts`.
 */
export function pluginPackageProblems(
  plugin: PaperlabPlugin,
  experimentIds: readonly string[],
  layout: PluginPackageLayout,
): PluginPackageProblems {
  const { manifest } = layout;
  const fix = 'pass the package.json to definePlugin({ package: pkg }) instead of a copy';
  const m: string[] = [];
  if (manifest.name !== plugin.packageName)
    m.push(`packageName '${plugin.packageName}' differs from package.json name '${manifest.name}': ${fix}`);
  if (manifest.version !== plugin.version)
    m.push(`version '${plugin.version}' differs from package.json version '${manifest.version}': ${fix}`);
  const implied = manifest.name ? impliedName(manifest.name) : undefined;
  if (implied && implied !== plugin.name)
    m.push(`name '${plugin.name}' does not match package '${manifest.name}': name the plugin '${implied}'`);
  if (!manifest.keywords?.includes('paperlab-plugin'))
    m.push(`package.json keywords lack 'paperlab-plugin': the CLI finds installed plugins by that keyword`);
  for (const peer of PLUGIN_PEERS) {
    if (!manifest.peerDependencies?.[peer])
      m.push(
        `package.json has no peerDependency on ${peer}: add it (a plugin shares core's registries, never bundles them)`,
      );
  }
  const peerCore = manifest.peerDependencies?.['@paperlab/core'];
  if (peerCore !== undefined && publishedCoreRange(peerCore) !== plugin.core)
    m.push(
      `core range '${plugin.core}' differs from package.json peerDependencies['@paperlab/core'] '${peerCore}' (${publishedCoreRange(peerCore)}): ${fix}`,
    );

  const p: string[] = [];
  const folders = new Map(layout.papers.map((f) => [f.slug, f]));
  const ns = `${plugin.name}/`;
  const registered = new Set(
    experimentIds.filter((id) => id.startsWith(ns)).map((id) => id.slice(ns.length)),
  );
  for (const slug of folders.keys()) {
    if (!registered.has(slug))
      p.push(
        `src/papers/${slug}/ is not registered (no experiment '${ns}${slug}'): add ${slug} to the papers array in src/papers/index.ts, or move the folder out of src/papers/`,
      );
  }
  for (const slug of registered) {
    const folder = folders.get(slug);
    if (!folder) {
      p.push(
        `experiment '${ns}${slug}' has no folder src/papers/${slug}/: one folder per paper, named after its slug`,
      );
      continue;
    }
    if (!folder.files.includes('README.md'))
      p.push(
        `src/papers/${slug}/README.md is missing: each paper documents what is reproduced and how to run it`,
      );
    if (!folder.files.includes(`${slug}.test.ts`))
      p.push(
        `src/papers/${slug}/${slug}.test.ts is missing: each paper tests its smoke preset and its claims`,
      );
  }
  return { manifest: m, papers: p };
}
