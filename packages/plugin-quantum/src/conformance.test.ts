import { fileURLToPath } from 'node:url';
import { describeConformance } from '@paperlab/core/testing';
import plugin from './index.js';

describeConformance(plugin, { sourceDir: fileURLToPath(new URL('.', import.meta.url)) });
