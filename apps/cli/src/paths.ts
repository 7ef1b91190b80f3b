import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The CLI package's root directory (dist/ and src/ both sit one level under it). */
export const CLI_ROOT: string = dirname(dirname(fileURLToPath(import.meta.url)));
