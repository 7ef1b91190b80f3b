// prepack: copies the built web app (apps/web/dist) into this package's web/ folder, so that `paperlab ui` works
// from an npm install of @paperlab/cli (it looks there after --app and $PAPERLAB_WEB_APP). Run
// `pnpm --filter @paperlab/web build` first; without a build the package is packed without the app and says so.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const target = fileURLToPath(new URL('../web/', import.meta.url));
rmSync(target, { recursive: true, force: true });
if (!existsSync(`${source}index.html`)) {
  console.warn(
    `[paperlab] no web app build in ${source}: packing @paperlab/cli without it ('paperlab ui' will say how to get one). ` +
      'Run `pnpm --filter @paperlab/web build` before publishing.',
  );
} else {
  try {
    cpSync(source, target, { recursive: true });
    console.log(`[paperlab] web app copied into ${target}`);
  } catch (err) {
    // A build being written at the same moment (e.g. a parallel `vite build`): pack without it, loudly.
    rmSync(target, { recursive: true, force: true });
    console.warn(`[paperlab] could not copy the web app (${err.message}): packing without it.`);
  }
}
