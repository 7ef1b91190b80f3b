import { kim2020 } from './kim2020/experiment.js';
import { li2018 } from './li2018/experiment.js';

/** Every paper of this plugin, registered by its setup: a new paper folder is one import and one entry here. */
export const papers = [kim2020, li2018] as const;
