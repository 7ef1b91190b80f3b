import type { Io } from '../context.js';

/** An in-memory `Io` that records what a command writes: text to stdout/stderr, JSON documents to docs. */
export function capture(): Io & { stdout: string; stderr: string; docs: unknown[] } {
  const io = {
    stdout: '',
    stderr: '',
    docs: [] as unknown[],
    out: (t: string) => {
      io.stdout += `${t}\n`;
    },
    err: (t: string) => {
      io.stderr += `${t}\n`;
    },
    json: (v: unknown) => {
      io.docs.push(v);
    },
  };
  return io;
}
