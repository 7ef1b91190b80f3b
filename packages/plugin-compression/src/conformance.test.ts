import { describeConformance } from '@paperlab/core/testing';
import plugin from './index.js';

describeConformance(plugin, { packageDir: new URL('..', import.meta.url) });
