import { dwivedi2020 } from './dwivedi2020/experiment.js';
import { hedegaard2023 } from './hedegaard2023/experiment.js';
import { nabian2024 } from './nabian2024/experiment.js';
import { park2024 } from './park2024/experiment.js';
import { purificato2023 } from './purificato2023/experiment.js';
import { shivdikar2021 } from './shivdikar2021/experiment.js';
import { zhao2020 } from './zhao2020/experiment.js';
import { zheng2023 } from './zheng2023/experiment.js';

/** Every paper of this plugin, registered by its setup: a new paper folder is one import and one entry here. */
export const papers = [
  shivdikar2021,
  dwivedi2020,
  zheng2023,
  hedegaard2023,
  park2024,
  zhao2020,
  nabian2024,
  purificato2023,
] as const;
