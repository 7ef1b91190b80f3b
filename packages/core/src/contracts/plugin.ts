import type { AnyKernelSpec } from '../kernels/kernelSpec.js';
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
  version: string;
  /** Semver range of `@paperlab/core` it was built against, e.g. `^0.1.0`. */
  core: string;
  description: string;
  /** Registers everything; never runs at import time. */
  setup(ctx: PluginContext): void | Promise<void>;
}

/** Identity helper that types a plugin definition. */
export function definePlugin(plugin: PaperlabPlugin): PaperlabPlugin {
  return plugin;
}
