import { describeConfigFuzz } from '@paperlab/core/testing';
import plugin from '../index.js';

// Bad configs for every experiment: refused with a config error naming the path (exit 2), never an internal
// error; one accepted small bad config per experiment is run to a clean end. No todo list: every numeric
// field of every gnn paper has an upper bound, so a huge value is a config error.
describeConfigFuzz(plugin, {
  runs: 60,
  runAccepted: 1,
});
