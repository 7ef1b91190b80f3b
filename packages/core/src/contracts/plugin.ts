import type { AnyKernelSpec } from '../kernels/kernelSpec.js';
import { CORE_VERSION } from '../version.js';
import type { ComponentKind, ComponentSpec } from './component.js';
import type { AnyExperiment } from './experiment.js';

/** What a plugin's `setup` receives: the only way it adds things to a Lab. */
export interface PluginContext {
  /** The plugin's namespace (every id it registers starts with `<name>/`). */
  readonly namespace: string;
  /** Registers an experiment; a duplicate id is an error naming both plugins. */
  experiment(experiment: AnyExperiment): void;
  /** Registers a component (dataset, model, trainer, metric) that configs can name. */
  // biome-ignore lint/suspicious/noExplicitAny: components of any options type.
  component<K extends ComponentKind>(spec: ComponentSpec<K, any>): void;
  /** Registers a custom op with its per-backend implementations. */
  kernel(spec: AnyKernelSpec): void;
}

/** A paperlab plugin: a namespace of papers, components and kernels. */
export interface PaperlabPlugin {
  /** Namespace, e.g. `ntk`; experiment ids are `<name>/<slug>`. */
  name: string;
  /** The npm package it ships in, e.g. `@paperlab/plugin-ntk`. */
  packageName: string;
  /** The version of that package. */
  version: string;
  /** Semver range of `@paperlab/core` it was built against, e.g. `^0.1.0`. */
  core: string;
  /** One line saying what the plugin holds. */
  description: string;
  /** Registers everything; never runs at import time. */
  setup(ctx: PluginContext): void | Promise<void>;
}

/** The fields of a plugin's package.json that {@link definePlugin} reads. */
export interface PluginPackageJson {
  /** The npm package name, e.g. `@paperlab/plugin-ntk`. */
  readonly name: string;
  /** The package version. */
  readonly version: string;
  /** The package description (the plugin's, unless the definition gives one). */
  readonly description?: string;
  /** Must hold `@paperlab/core`: its range is the plugin's `core`. */
  readonly peerDependencies?: Readonly<Record<string, string>>;
}

/** A component of any kind and options type, as a plugin lists it. */
// biome-ignore lint/suspicious/noExplicitAny: components of any options type.
export type AnyComponentSpec = ComponentSpec<ComponentKind, any>;

/** Identity written out by hand (tests, one-file plugins). */
interface ExplicitIdentity {
  package?: undefined;
  packageName: string;
  version: string;
  core: string;
  description: string;
}

/** Identity read from the plugin's package.json, the one copy of name, version and core range. */
interface PackageIdentity {
  /** The plugin's package.json: `import pkg from '../package.json' with { type: 'json' }`. */
  package: PluginPackageJson;
  packageName?: never;
  version?: never;
  core?: never;
  /** Overrides the package.json description. */
  description?: string;
}

/** What {@link definePlugin} takes: a namespace, an identity, and what to register. */
export type PluginDefinition = (ExplicitIdentity | PackageIdentity) & {
  /** Namespace, e.g. `ntk`; experiment ids are `<name>/<slug>`. */
  name: string;
  /** The plugin's papers (one array, usually `src/papers/index.ts`), registered by `setup` in this order. */
  papers?: readonly AnyExperiment[];
  /** Custom ops, registered before the papers. */
  kernels?: readonly AnyKernelSpec[];
  /** Components configs can name, registered before the papers. */
  components?: readonly AnyComponentSpec[];
  /** Registers anything else, after kernels, components and papers. */
  setup?(ctx: PluginContext): void | Promise<void>;
};

/**
 * The range a `workspace:` protocol stands for once published (as pnpm rewrites it on pack): inside the
 * monorepo a plugin is built against the core beside it, so `workspace:^` is `^<this core's version>`.
 */
export function publishedCoreRange(spec: string): string {
  const m = /^workspace:(.*)$/.exec(spec.trim());
  if (!m) return spec;
  const rest = m[1]!;
  if (rest === '*') return CORE_VERSION;
  if (rest === '^' || rest === '~') return `${rest}${CORE_VERSION}`;
  return rest;
}

/**
 * Types a plugin and builds its `setup`: registers `kernels`, `components`, then `papers`, then runs the
 * definition's own `setup` for extras. With `package`, the package name, version, description and core range
 * (its peer dependency on `@paperlab/core`) come from package.json. Nothing is registered at import time.
 */
export function definePlugin(definition: PluginDefinition): PaperlabPlugin {
  const { name, papers = [], kernels = [], components = [], setup: extra } = definition;
  const pkg = definition.package;
  const identity = pkg
    ? {
        packageName: pkg.name,
        version: pkg.version,
        core: publishedCoreRange(pkg.peerDependencies?.['@paperlab/core'] ?? ''),
        description: definition.description ?? pkg.description ?? '',
      }
    : {
        packageName: definition.packageName,
        version: definition.version,
        core: definition.core,
        description: definition.description,
      };
  return {
    name,
    ...identity,
    setup(ctx) {
      for (const k of kernels) ctx.kernel(k);
      for (const c of components) ctx.component(c);
      for (const p of papers) ctx.experiment(p);
      return extra?.(ctx);
    },
  };
}
