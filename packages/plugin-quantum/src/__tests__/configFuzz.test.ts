import { describeConfigFuzz } from '@paperlab/core/testing';
import plugin from '../index.js';

// Bad configs for every experiment: refused with a config error naming the path (exit 2), never an internal
// error. Numeric fields still without an upper bound are listed in config-bounds.todo.json (to be bounded).
describeConfigFuzz(plugin, {
  runs: 60,
  knownUnbounded: new URL('./config-bounds.todo.json', import.meta.url),
});
