import { access, constants } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PaperlabError } from '../util/errors.js';

const CAUSES: Record<string, string> = {
  EROFS: 'the file system is read-only (EROFS)',
  ENOSPC: 'no space left on the device (ENOSPC)',
  EDQUOT: 'the disk quota is exceeded (EDQUOT)',
  EACCES: 'permission denied (EACCES)',
  EPERM: 'operation not permitted (EPERM)',
  ENOENT: 'a directory on the way does not exist (ENOENT)',
  ENOTDIR: 'a part of the path is a file, not a directory (ENOTDIR)',
  EISDIR: 'it is a directory (EISDIR)',
  EMFILE: 'too many open files (EMFILE)',
  EIO: 'input/output error, the disk may be failing (EIO)',
};

const HINTS: Record<string, string> = {
  EROFS: ' Point the run store (or output) at a writable directory.',
  EACCES: ' Point the run store (or output) at a directory you may write to.',
  EPERM: ' Point the run store (or output) at a directory you may write to.',
  ENOSPC: ' Free some space, or point the run store at another disk.',
  EDQUOT: ' Free some space, or point the run store at another disk.',
};

/** The `code` of a Node system error, if it is one. */
export function errnoCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The closest ancestor of `path` that exists (the root at worst). */
async function nearestExisting(path: string): Promise<string> {
  let p = path;
  for (;;) {
    try {
      await access(p);
      return p;
    } catch {
      const up = dirname(p);
      if (up === p) return p;
      p = up;
    }
  }
}

/**
 * Turns a file-system error into one that names the file, what was being done and the real cause. A
 * `mkdir -p` on a read-only disk reports ENOENT for the missing directory; the cause (EROFS, EACCES) is
 * found by checking whether the closest existing ancestor is writable.
 */
export async function describeFsError(err: unknown, path: string, action: string): Promise<Error> {
  const code = errnoCode(err);
  if (!code) return err instanceof Error ? err : new Error(String(err));
  let cause = code;
  let at = '';
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    const ancestor = await nearestExisting(dirname(path));
    try {
      await access(ancestor, constants.W_OK);
    } catch (e) {
      const c = errnoCode(e);
      if (c === 'EROFS' || c === 'EACCES' || c === 'EPERM') {
        cause = c;
        if (ancestor !== dirname(path)) at = ` at ${ancestor}`;
      }
    }
  }
  return new PaperlabError(
    'E_STORE_IO',
    `Cannot ${action} ${path}: ${CAUSES[cause] ?? cause}${at}.${HINTS[cause] ?? ''}`,
    { cause: err },
  );
}
