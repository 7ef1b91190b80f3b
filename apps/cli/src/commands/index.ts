import type { CommandSpec } from '../spec.js';
import { compareSpec } from './compare.js';
import { dataSpec } from './data.js';
import { doctorSpec } from './doctor.js';
import { exportSpec } from './export.js';
import { importSpec } from './import.js';
import { infoSpec } from './info.js';
import { listSpec } from './list.js';
import { newSpec } from './new.js';
import { reportSpec } from './report.js';
import { reproduceSpec } from './reproduce.js';
import { resumeSpec } from './resume.js';
import { runSpec } from './run.js';
import { runsSpec } from './runs.js';
import { showSpec } from './show.js';
import { sweepSpec } from './sweep.js';
import { uiSpec } from './ui.js';
import { workerSpec } from './worker.js';

/** Every `paperlab` command, in help order. A new command is one module plus one line here. */
export const commands: readonly CommandSpec[] = [
  listSpec,
  infoSpec,
  runSpec,
  resumeSpec,
  reproduceSpec,
  sweepSpec,
  runsSpec,
  showSpec,
  reportSpec,
  compareSpec,
  exportSpec,
  importSpec,
  uiSpec,
  dataSpec,
  newSpec,
  doctorSpec,
  workerSpec,
];
