import { cobb2019 } from './cobb2019/experiment.js';
import { dieleman2015 } from './dieleman2015/experiment.js';
import { rehemtulla2025 } from './rehemtulla2025/experiment.js';
import { walmsley2018 } from './walmsley2018/experiment.js';

/** Every paper of this plugin, registered by its setup: a new paper folder is one import and one entry here. */
export const papers = [cobb2019, dieleman2015, walmsley2018, rehemtulla2025] as const;
