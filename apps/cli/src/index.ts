/** @paperlab/cli as a library: run the command line programmatically, or read its command table. */
export { commands } from './commands/index.js';
export { configFlags } from './commands/info.js';
export { type GlobalOptions, type Io, loadLab } from './context.js';
export { EXIT } from './exit.js';
export { commandHelp, programHelp } from './help.js';
export { main, USAGE } from './main.js';
export { type ApiResponse, MAX_API_FILE_BYTES, runApi } from './serve/runApi.js';
export { startUiServer, UI_HOST, type UiServer, type UiServerOptions } from './serve/uiServer.js';
export { findWebApp } from './serve/webApp.js';
export {
  type ArgSpec,
  type CommandContext,
  type CommandInput,
  type CommandSpec,
  defineCommand,
  type FlagSpec,
  type FlagType,
  GLOBAL_FLAGS,
  UsageError,
} from './spec.js';
