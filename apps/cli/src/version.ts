import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** A package's version from its package.json. */
function versionOf(path: string): string {
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

/**
 * The versions `paperlab --version` prints: this CLI's, the @paperlab/core it resolves, and Node's. Read from the
 * package.json files, so printing them loads neither core nor tfjs.
 */
export function versions(): { cli: string; core: string; node: string } {
  // src/ and dist/ both sit one level under the package root.
  const cli = versionOf(fileURLToPath(new URL('../package.json', import.meta.url)));
  const core = versionOf(createRequire(import.meta.url).resolve('@paperlab/core/package.json'));
  return { cli, core, node: process.versions.node };
}

/**
 * Whether `argv` asks only for the version: `--version` before any command word (as `splitCommand` reads it),
 * with nothing but `--json`/`--store <dir>` beside it. Such a call is answered before the command table loads.
 */
export function wantsVersionOnly(argv: readonly string[]): boolean {
  let version = false;
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    if (w === '--version') version = true;
    else if (w === '--json' || w.startsWith('--store=')) continue;
    else if (w === '--store') i++;
    else return false;
  }
  return version;
}

/** The text (or, with `json`, the document) `paperlab --version` prints. */
export function versionText(json: boolean): string {
  const v = versions();
  return json
    ? JSON.stringify(v, null, 2)
    : `@paperlab/cli ${v.cli}\n@paperlab/core ${v.core}\nnode ${v.node}`;
}
