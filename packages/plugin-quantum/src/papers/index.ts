import { azimi2026 } from './azimi2026/experiment.js';
import { bausch2020 } from './bausch2020/experiment.js';
import { notton2025 } from './notton2025/experiment.js';
import { sarkar2024 } from './sarkar2024/experiment.js';
import { senokosov2023 } from './senokosov2023/experiment.js';
import { shahzad2025 } from './shahzad2025/experiment.js';
import { wang2024 } from './wang2024/experiment.js';

/** Every paper of this plugin, registered by its setup: a new paper folder is one import and one entry here. */
export const papers = [
  azimi2026,
  bausch2020,
  notton2025,
  sarkar2024,
  senokosov2023,
  shahzad2025,
  wang2024,
] as const;
