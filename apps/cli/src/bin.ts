#!/usr/bin/env node
import { processIo } from './io.js';
import { lightStart } from './lightStart.js';
import { versionText, wantsVersionOnly } from './version.js';

const argv = process.argv.slice(2);
// `paperlab runs | head`: the reader closing the pipe ends the command quietly, as with other Unix tools.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
if (wantsVersionOnly(argv)) {
  // Answered before the command table (and with it @paperlab/core and tfjs) is loaded.
  process.stdout.write(`${versionText(argv.includes('--json'))}\n`);
} else if (!(await lightStart(argv, processIo))) {
  // Help texts and `list` (from plugin manifests) are answered above without loading core's runner or tfjs.
  const { main } = await import('./main.js');
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
