/**
 * Finding installed plugins without loading them (nor tfjs): the package scan and the core-version check, for
 * tools that answer from plugin manifests (`paperlab list`). Node only.
 */
export { CORE_VERSION, checkCoreRange } from '../version.js';
export { type FoundPlugin, findPluginPackages, PLUGIN_KEYWORD } from './plugins.js';
