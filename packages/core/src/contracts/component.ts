import type { z } from 'zod';
import type { Dataset } from './dataset.js';
import type { Metric } from './metric.js';
import type { Model } from './model.js';
import type { RunContext } from './runContext.js';
import type { Trainer } from './trainer.js';

/** What each component kind builds. */
export interface ComponentKinds {
  dataset: Dataset;
  model: Model;
  trainer: Trainer;
  metric: Metric;
}

/** A component kind name. */
export type ComponentKind = keyof ComponentKinds;

/** A registered component: a factory from validated options. */
export interface ComponentSpec<K extends ComponentKind = ComponentKind, O extends object = object> {
  kind: K;
  /** Namespaced id, `plugin/name`. */
  id: `${string}/${string}`;
  /** One line describing what it builds. */
  description: string;
  options: z.ZodType<O>;
  create(options: O, ctx: RunContext): ComponentKinds[K] | Promise<ComponentKinds[K]>;
}

/** A config reference to a component: `{ "type": "gnn/gcn", ...options }`. */
export interface ComponentRef {
  type: string;
  [option: string]: unknown;
}

/** Builds components named in configs. */
export interface ComponentResolver {
  create<K extends ComponentKind>(kind: K, ref: ComponentRef): Promise<ComponentKinds[K]>;
}
