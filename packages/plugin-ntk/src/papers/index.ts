import { cagnetta2022 } from './cagnetta2022/experiment.js';
import { chen2021 } from './chen2021/experiment.js';
import { deb2023 } from './deb2023/experiment.js';
import { jacot2018 } from './jacot2018/experiment.js';
import { lee2021 } from './lee2021/experiment.js';
import { radhakrishnan2022 } from './radhakrishnan2022/experiment.js';
import { sagun2017 } from './sagun2017/experiment.js';
import { sclocchi2023 } from './sclocchi2023/experiment.js';
import { tarzanagh2023 } from './tarzanagh2023/experiment.js';
import { yang2019 } from './yang2019/experiment.js';
import { yang2020 } from './yang2020/experiment.js';

/** Every paper of this plugin, registered by its setup: a new paper folder is one import and one entry here. */
export const papers = [
  cagnetta2022,
  chen2021,
  deb2023,
  jacot2018,
  lee2021,
  radhakrishnan2022,
  sagun2017,
  sclocchi2023,
  tarzanagh2023,
  yang2019,
  yang2020,
] as const;
