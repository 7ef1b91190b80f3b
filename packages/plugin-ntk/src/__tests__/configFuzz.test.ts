import { describeConfigFuzz } from '@paperlab/core/testing';
import plugin from '../index.js';

// Bad configs for every experiment: refused with a config error naming the path (exit 2), never an internal
// error; one accepted small bad config per experiment is run to a clean end. Every numeric field has an upper
// bound; config-bounds.todo.json lists the only ones that accept 1e9: radhakrishnan2022's depths, bounded at
// 10¹² on purpose (the paper's L → ∞ limit; the depth recursion's cost grows with log L, not L).
describeConfigFuzz(plugin, {
  runs: 60,
  runAccepted: 1,
  knownUnbounded: new URL('./config-bounds.todo.json', import.meta.url),
});
