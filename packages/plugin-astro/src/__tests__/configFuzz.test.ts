import { describeConfigFuzz } from '@paperlab/core/testing';
import plugin from '../index.js';

// Bad configs for every experiment: refused with a config error naming the path (exit 2), never an internal
// error; one accepted small bad config per experiment is run to a clean end. Every numeric field is bounded.
describeConfigFuzz(plugin, { runs: 60, runAccepted: 1 });
