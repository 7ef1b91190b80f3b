import { cobb2019 } from './cobb2019/experiment.js';

/** Every paper of this plugin, registered by its setup: a new paper folder is one import and one entry here. */
export const papers = [cobb2019] as const;
