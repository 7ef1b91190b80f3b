import { jsString } from './names.js';

/** What a new plugin package is made from. */
export interface PluginTemplateInput {
  /** Namespace of its experiment ids, e.g. `gnn`. */
  name: string;
  /** npm package name, e.g. `paperlab-plugin-gnn`. */
  packageName: string;
  /** One line: what the plugin holds. */
  description: string;
  /** Inside the paperlab monorepo (workspace protocol, catalog, shared tsconfig) or a standalone package. */
  monorepo: boolean;
  /** Version ranges for a standalone package (the monorepo uses `workspace:^` and `catalog:`). */
  ranges: {
    core: string;
    tfjsCore: string;
    typescript: string;
    vitest: string;
    typesNode: string;
  };
}

/** Runs JSON through a stable 2-space format with a trailing newline. */
function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** JSON as Biome writes config files: arrays and objects of plain values on one line when they fit. */
function compactJson(value: unknown, indent = ''): string {
  const inline = JSON.stringify(value, null, 1)
    .replace(/\n\s*/g, ' ')
    .replace(/\[ /g, '[')
    .replace(/ \]/g, ']');
  const nested =
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).some((v) => typeof v === 'object' && v !== null && !Array.isArray(v));
  if (typeof value !== 'object' || value === null || (!nested && indent.length + inline.length <= 100))
    return inline;
  const inner = `${indent}  `;
  if (Array.isArray(value))
    return `[\n${value.map((v) => inner + compactJson(v, inner)).join(',\n')}\n${indent}]`;
  const entries = Object.entries(value).map(
    ([k, v]) => `${inner}${JSON.stringify(k)}: ${compactJson(v, inner)}`,
  );
  return `{\n${entries.join(',\n')}\n${indent}}`;
}

/** `package.json`: ESM, types-first exports, `sideEffects: false`, the plugin keyword and the registry peers. */
export function pluginPackageJson(p: PluginTemplateInput): string {
  const dirName = `plugin-${p.name}`;
  const exportsMap = p.monorepo
    ? { '@paperlab/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' }
    : { types: './dist/index.d.ts', default: './dist/index.js' };
  const peers = p.monorepo
    ? { '@paperlab/core': 'workspace:^', '@tensorflow/tfjs-core': 'catalog:' }
    : { '@paperlab/core': p.ranges.core, '@tensorflow/tfjs-core': p.ranges.tfjsCore };
  const dev = p.monorepo
    ? { ...peers, '@types/node': 'catalog:', vitest: 'catalog:' }
    : {
        ...peers,
        '@types/node': p.ranges.typesNode,
        typescript: p.ranges.typescript,
        vitest: p.ranges.vitest,
      };
  return json({
    name: p.packageName,
    version: '0.1.0',
    description: p.description,
    license: 'MIT',
    type: 'module',
    sideEffects: false,
    keywords: ['paperlab-plugin', 'paperlab', 'machine-learning', 'reproducibility'],
    ...(p.monorepo
      ? {
          repository: {
            type: 'git',
            url: 'git+https://github.com/paperlab/paperlab.git',
            directory: `packages/${dirName}`,
          },
        }
      : {}),
    exports: { '.': exportsMap, './package.json': './package.json' },
    files: ['dist', 'src', '!src/**/*.test.ts', '!src/**/__tests__'],
    scripts: p.monorepo
      ? {
          test: 'tsc -p tsconfig.test.json && vitest run',
          'release-check': 'publint --strict && attw --pack . --profile esm-only --quiet',
        }
      : {
          build: 'tsc -p tsconfig.json',
          typecheck: 'tsc -p tsconfig.test.json',
          test: 'tsc -p tsconfig.test.json && vitest run',
          prepack: 'npm run build',
        },
    peerDependencies: peers,
    devDependencies: dev,
    ...(p.monorepo ? { publishConfig: { access: 'public' } } : { engines: { node: '>=20.10' } }),
  });
}

/** The compiler options a standalone plugin builds with (the monorepo's tsconfig.base.json, written out). */
const STANDALONE_OPTIONS = {
  target: 'ES2022',
  lib: ['ES2023', 'DOM', 'DOM.Iterable'],
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  strict: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  noFallthroughCasesInSwitch: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  esModuleInterop: true,
  skipLibCheck: true,
  resolveJsonModule: true,
  declaration: true,
  declarationMap: true,
  sourceMap: true,
  forceConsistentCasingInFileNames: true,
};

/** `tsconfig.json` (the build: src without tests, to dist). */
export function pluginTsconfig(p: PluginTemplateInput): string {
  if (p.monorepo)
    return `${compactJson({
      extends: '../../tsconfig.base.json',
      compilerOptions: { rootDir: 'src', outDir: 'dist' },
      include: ['src'],
      exclude: ['src/**/*.test.ts', 'src/**/__tests__'],
      references: [{ path: '../core' }],
    })}\n`;
  return `${compactJson({
    compilerOptions: { ...STANDALONE_OPTIONS, rootDir: 'src', outDir: 'dist', types: [] },
    include: ['src'],
    exclude: ['src/**/*.test.ts', 'src/**/__tests__'],
  })}\n`;
}

/** `tsconfig.test.json` (type-checks the tests too, emits nothing). */
export function pluginTestTsconfig(p: PluginTemplateInput): string {
  const noEmit = {
    noEmit: true,
    composite: false,
    declaration: false,
    declarationMap: false,
    types: ['node'],
    rootDir: 'src',
  };
  if (p.monorepo)
    return `${compactJson({ extends: '../../tsconfig.base.json', compilerOptions: noEmit, include: ['src'] })}\n`;
  return `${compactJson({ extends: './tsconfig.json', compilerOptions: noEmit, include: ['src'], exclude: [] })}\n`;
}

/** `vitest.config.ts`. */
export function pluginVitestConfig(p: PluginTemplateInput): string {
  if (p.monorepo) return "export { default } from '../../vitest.shared.js';\n";
  return `import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Smoke runs start a tfjs backend (wasm) and run each paper twice for determinism.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
`;
}

/** `src/index.ts`: the plugin, its identity read from package.json, its papers from one array. */
export function pluginIndex(p: PluginTemplateInput): string {
  return `import { definePlugin } from '@paperlab/core';
import pkg from '../package.json' with { type: 'json' };
import { papers } from './papers/index.js';

/** ${p.packageName}: ${p.description.replace(/\*\//g, '* /')} */
export default definePlugin({ name: ${jsString(p.name)}, package: pkg, papers });
`;
}

/** `src/papers/index.ts`: the one list of papers (empty; \`paperlab new paper\` adds to it). */
export function papersIndex(): string {
  return `/** Every paper of this plugin, registered by its setup: a new paper folder is one import and one entry here. */
export const papers = [] as const;
`;
}

/** `src/conformance.test.ts`: the suite every plugin runs on itself. */
export function conformanceTest(): string {
  return `import { describeConformance } from '@paperlab/core/testing';
import plugin from './index.js';

// Identity vs package.json, every src/papers/<slug>/ registered with its README and test, and for each paper:
// paper card, presets, config errors, the smoke preset completes, is deterministic, leaks no tensors, and every
// claim gives a verdict with numbers.
describeConformance(plugin, { packageDir: new URL('..', import.meta.url) });
`;
}

/** `README.md` of the package. */
export function pluginReadme(p: PluginTemplateInput): string {
  const build = p.monorepo
    ? 'pnpm --filter ' + p.packageName + ' test'
    : 'npm install && npm run build && npm test';
  return `# ${p.packageName}

${p.description}

A [paperlab](https://github.com/paperlab/paperlab) plugin: research papers as runnable, checkable experiments.
Each paper is a folder \`src/papers/<slug>/\` (the first author's surname and the year, e.g. \`jacot2018\`) with
its experiment, its README (what is reproduced, at what scale, the claims table) and its test, listed once in
\`src/papers/index.ts\`.

## Use

\`\`\`sh
npm install -g @paperlab/cli ${p.packageName}   # the CLI finds installed packages with the keyword paperlab-plugin
paperlab list
paperlab run ${p.name}/<slug> --preset smoke
paperlab reproduce ${p.name} --preset paper
\`\`\`

## Papers

| experiment | paper |
| --- | --- |

## Develop

\`\`\`sh
${build}
paperlab new paper ${p.name}/<surname><year>${p.monorepo ? '' : ' --dir .'}   # a new paper folder, registered
\`\`\`

The conformance test (\`src/conformance.test.ts\`) checks the package against its package.json and its paper
folders, and runs every paper's smoke preset.
`;
}

/** `.changeset/<name>.md` for a new plugin inside the monorepo. */
export function pluginChangeset(p: PluginTemplateInput): string {
  return `---
"${p.packageName}": minor
---

New plugin \`${p.name}\`: ${p.description}
`;
}
