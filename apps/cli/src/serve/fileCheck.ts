import { lstat, realpath } from 'node:fs/promises';
import { sep } from 'node:path';

/**
 * The size of `full` if it is a regular file (not a symlink) whose real path lies inside `root`'s real
 * directory and is at most `maxBytes` long; else why not (`'not found'`, `'not a regular file'`, `outside …`,
 * `larger than …`). `where` names the root in that reason.
 */
export async function checkedFileSize(
  root: string,
  full: string,
  maxBytes: number,
  where: string,
): Promise<number | string> {
  let info: Awaited<ReturnType<typeof lstat>>;
  try {
    info = await lstat(full);
  } catch {
    return 'not found';
  }
  if (!info.isFile()) return 'not a regular file';
  if (!(await realpath(full)).startsWith((await realpath(root)) + sep)) return `outside ${where}`;
  if (info.size > maxBytes) return `larger than ${maxBytes} bytes`;
  return info.size;
}
