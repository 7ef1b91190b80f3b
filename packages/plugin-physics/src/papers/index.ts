import { ai2025 } from './ai2025/experiment.js';
import { bandyopadhyay2024 } from './bandyopadhyay2024/experiment.js';
import { goel2026 } from './goel2026/experiment.js';
import { he2023 } from './he2023/experiment.js';
import { pal2025 } from './pal2025/experiment.js';
import { stock2024 } from './stock2024/experiment.js';
import { xie2025 } from './xie2025/experiment.js';
import { yang2024 } from './yang2024/experiment.js';

/** Every paper of this plugin, registered by its setup: a new paper folder is one import and one entry here. */
export const papers = [
  pal2025,
  goel2026,
  he2023,
  stock2024,
  yang2024,
  bandyopadhyay2024,
  xie2025,
  ai2025,
] as const;
