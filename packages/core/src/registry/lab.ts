import type { DependencyContainer, InjectionToken } from 'tsyringe';
import type { AnyExperiment } from '../contracts/experiment.js';
import type { PaperlabPlugin, PluginContext } from '../contracts/plugin.js';
import type { AnyKernelSpec } from '../kernels/kernelSpec.js';
import { DuplicateIdError, PaperlabError, UnknownIdError } from '../util/errors.js';
import { CORE_VERSION, checkCoreRange } from '../version.js';
import { createRootContainer } from './tsyringe.js';

/** A plugin as loaded into a Lab. */
export interface LoadedPlugin {
  name: string;
  packageName: string;
  version: string;
  description: string;
  /** Set when the plugin was built for another major version of core. */
  warning?: string;
}

interface Entry<T> {
  token: InjectionToken<T>;
  origin: string;
  container: DependencyContainer;
}

/** Typed registry tokens: one symbol per registered id. */
const tokenCache = new Map<string, symbol>();
function tokenFor<T>(kind: string, id: string): InjectionToken<T> {
  const key = `${kind}:${id}`;
  let token = tokenCache.get(key);
  if (!token) {
    token = Symbol.for(`paperlab.${key}`);
    tokenCache.set(key, token);
  }
  return token as InjectionToken<T>;
}

/** Options of {@link createLab}. */
export interface LabOptions {
  plugins: PaperlabPlugin[];
}

/**
 * One registry of experiments and kernels. Each Lab owns a tsyringe child container and one
 * child container per plugin, so two Labs never share registrations.
 */
export class Lab {
  private readonly plugins: LoadedPlugin[] = [];
  private readonly experimentIndex = new Map<string, Entry<AnyExperiment>>();
  private readonly kernelIndex = new Map<string, Entry<AnyKernelSpec>>();
  private readonly pluginContainers = new Map<string, DependencyContainer>();

  /** @internal use {@link createLab}. */
  constructor(private readonly root: DependencyContainer) {}

  /** Loads one plugin: runs its `setup` with a capability object bound to a child container. */
  async use(plugin: PaperlabPlugin): Promise<void> {
    if (!/^[a-z][a-z0-9-]*$/.test(plugin.name)) {
      throw new PaperlabError('E_PLUGIN', `Plugin name '${plugin.name}' must be lowercase kebab-case`);
    }
    if (this.pluginContainers.has(plugin.name)) {
      const other = this.plugins.find((p) => p.name === plugin.name)!;
      throw new DuplicateIdError('plugin namespace', plugin.name, other.packageName, plugin.packageName);
    }
    const container = this.root.createChildContainer();
    this.pluginContainers.set(plugin.name, container);
    const origin = plugin.packageName;
    const ns = `${plugin.name}/`;
    const checkNs = (kind: string, id: string) => {
      if (!id.startsWith(ns) || id.length <= ns.length) {
        throw new PaperlabError(
          'E_PLUGIN',
          `Plugin '${origin}' registered ${kind} '${id}' outside its namespace '${ns}'`,
        );
      }
    };
    const ctx: PluginContext = {
      namespace: plugin.name,
      experiment: (experiment) => {
        checkNs('experiment', experiment.id);
        this.add('experiment', this.experimentIndex, experiment.id, origin, container, experiment);
      },
      kernel: (spec) => {
        checkNs('kernel', spec.name);
        this.add('kernel', this.kernelIndex, spec.name, origin, container, spec);
      },
    };
    await plugin.setup(ctx);
    const loaded: LoadedPlugin = {
      name: plugin.name,
      packageName: plugin.packageName,
      version: plugin.version,
      description: plugin.description,
    };
    const warning = checkCoreRange(plugin.core);
    if (warning) loaded.warning = `${plugin.packageName}@${plugin.version}: ${warning}`;
    this.plugins.push(loaded);
  }

  private add<T>(
    kind: string,
    index: Map<string, Entry<T>>,
    id: string,
    origin: string,
    container: DependencyContainer,
    value: T,
  ): void {
    const existing = index.get(id);
    if (existing) throw new DuplicateIdError(kind, id.replace(/^\w+:/, ''), existing.origin, origin);
    const token = tokenFor<T>(kind, id);
    container.register<T>(token, { useValue: value });
    index.set(id, { token, origin, container });
  }

  private resolve<T>(index: Map<string, Entry<T>>, id: string): T {
    const entry = index.get(id)!;
    return entry.container.resolve(entry.token);
  }

  /** Plugins loaded, in load order. */
  listPlugins(): LoadedPlugin[] {
    return [...this.plugins];
  }

  /** Every experiment, sorted by id (optionally of one plugin). */
  listExperiments(plugin?: string): AnyExperiment[] {
    const ids = [...this.experimentIndex.keys()]
      .filter((id) => !plugin || id.startsWith(`${plugin}/`))
      .sort();
    return ids.map((id) => this.resolve(this.experimentIndex, id));
  }

  /** The experiment with this id, or an error listing the closest ids. */
  experiment(id: string): AnyExperiment {
    if (!this.experimentIndex.has(id))
      throw new UnknownIdError('experiment', id, [...this.experimentIndex.keys()]);
    return this.resolve(this.experimentIndex, id);
  }

  /** The package that registered an experiment. */
  originOf(id: string): LoadedPlugin | undefined {
    const origin = this.experimentIndex.get(id)?.origin;
    return this.plugins.find((p) => p.packageName === origin);
  }

  /** Registered kernels. */
  listKernels(): AnyKernelSpec[] {
    return [...this.kernelIndex.keys()].sort().map((k) => this.resolve(this.kernelIndex, k));
  }

  /** One kernel spec by name. */
  kernel(name: string): AnyKernelSpec {
    if (!this.kernelIndex.has(name)) throw new UnknownIdError('kernel', name, [...this.kernelIndex.keys()]);
    return this.resolve(this.kernelIndex, name);
  }
}

/** Creates a Lab and loads the given plugins into it, in order. */
export async function createLab(options: LabOptions): Promise<Lab> {
  const lab = new Lab(await createRootContainer());
  for (const plugin of options.plugins) await lab.use(plugin);
  return lab;
}

export { CORE_VERSION };
