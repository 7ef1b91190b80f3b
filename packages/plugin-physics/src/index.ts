import { definePlugin } from '@paperlab/core';
import pkg from '../package.json' with { type: 'json' };
import { papers } from './papers/index.js';

/** The physics plugin (a shell: its papers are listed in README.md and added to src/papers/index.ts as they land). */
export default definePlugin({ name: 'physics', package: pkg, papers });
