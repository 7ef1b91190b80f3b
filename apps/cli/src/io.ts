import { fitText, terminalWidth } from './ui/format.js';

/** Output channel: human text to stdout, or a single JSON document with --json. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  json(value: unknown): void;
}

/** The real process streams. */
export const processIo: Io = {
  // In a terminal, long lines wrap at its width (tables already fit it); piped text goes out whole.
  out: (t) => process.stdout.write(`${fitText(t, terminalWidth(process.stdout))}\n`),
  err: (t) => process.stderr.write(`${fitText(t, terminalWidth(process.stderr))}\n`),
  json: (v) => process.stdout.write(`${JSON.stringify(v, null, 2)}\n`),
};
