import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PaperlabError } from '@paperlab/core';
import { CLI_ROOT } from '../context.js';

/**
 * Where `paperlab ui` looks for the built web app, in order: `--app <dir>`, `$PAPERLAB_WEB_APP`, a copy shipped
 * inside this package (`web/`), and the monorepo's `apps/web/dist` (the CLI sits at `apps/cli`).
 */
export function webAppCandidates(explicit?: string): string[] {
  if (explicit) return [resolve(explicit)];
  const env = process.env.PAPERLAB_WEB_APP;
  if (env) return [resolve(env)];
  return [join(CLI_ROOT, 'web'), join(CLI_ROOT, '..', 'web', 'dist')];
}

/** The first candidate holding an `index.html`, or an error naming every place looked and how to build it. */
export function findWebApp(explicit?: string): string {
  const tried = webAppCandidates(explicit);
  const found = tried.find((dir) => existsSync(join(dir, 'index.html')));
  if (found) return found;
  throw new PaperlabError(
    'E_NO_WEB_APP',
    `The paperlab web app is not built: no index.html in ${tried.join(', ')}.\n` +
      'Build it in the paperlab repository with `pnpm --filter @paperlab/web build` (it writes apps/web/dist), ' +
      'or point to a build with --app <dir> or $PAPERLAB_WEB_APP.',
  );
}
