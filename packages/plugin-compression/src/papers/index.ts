import { dong2019 } from './dong2019/experiment.js';
import { elkerdawy2021 } from './elkerdawy2021/experiment.js';
import { homayounfar2023 } from './homayounfar2023/experiment.js';
import { jie2023 } from './jie2023/experiment.js';
import { kim2020 } from './kim2020/experiment.js';
import { li2018 } from './li2018/experiment.js';
import { makenali2025 } from './makenali2025/experiment.js';
import { medina2025 } from './medina2025/experiment.js';
import { sengupta2025 } from './sengupta2025/experiment.js';
import { zhou2023 } from './zhou2023/experiment.js';

/** Every paper of this plugin, registered by its setup: a new paper folder is one import and one entry here. */
export const papers = [
  dong2019,
  elkerdawy2021,
  homayounfar2023,
  jie2023,
  kim2020,
  li2018,
  makenali2025,
  medina2025,
  sengupta2025,
  zhou2023,
] as const;
