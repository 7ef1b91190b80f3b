import { definePlugin } from '@paperlab/core';
import pkg from '../package.json' with { type: 'json' };
import { papers } from './papers/index.js';

/** The gnn plugin (a shell: its papers are listed in README.md and added to src/papers/index.ts as they land). */
export default definePlugin({ name: 'gnn', package: pkg, papers });
