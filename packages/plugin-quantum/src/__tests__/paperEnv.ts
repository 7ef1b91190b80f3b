import type { RunEnvironment } from '@paperlab/core';
import { createTestEnvironment } from '@paperlab/core/testing';
import plugin from '../index.js';

/** A run environment with this plugin, Node data sources and the wasm backend ready. */
export function paperEnv(): Promise<RunEnvironment> {
  return createTestEnvironment([plugin]);
}
