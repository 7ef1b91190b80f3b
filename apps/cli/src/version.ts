import { readFileSync } from 'node:fs';
import { CORE_VERSION } from '@paperlab/core';

/** The versions `paperlab --version` prints: this CLI's (from its package.json), core's, and Node's. */
export function versions(): { cli: string; core: string; node: string } {
  // src/ and dist/ both sit one level under the package root.
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return { cli: pkg.version, core: CORE_VERSION, node: process.versions.node };
}
