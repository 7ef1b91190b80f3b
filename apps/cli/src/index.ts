/** @paperlab/cli as a library: run the command line programmatically. */
export { configFlags } from './commands/catalog.js';
export { EXIT } from './commands/run.js';
export { type GlobalOptions, type Io, loadLab } from './context.js';
export { main, USAGE } from './main.js';
