import { fileURLToPath } from 'node:url';

/** A file or folder given as a path or a `file:` URL (e.g. `new URL('..', import.meta.url)`), as a path. */
export function pathOf(where: string | URL): string;
export function pathOf(where: string | URL | undefined): string | undefined;
export function pathOf(where: string | URL | undefined): string | undefined {
  if (where === undefined) return undefined;
  return typeof where === 'string' ? where : fileURLToPath(where);
}
