import { shivdikar2021 } from './shivdikar2021/experiment.js';

/** Every paper of this plugin, registered by its setup: a new paper folder is one import and one entry here. */
export const papers = [shivdikar2021] as const;
