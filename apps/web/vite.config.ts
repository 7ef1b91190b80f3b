import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';

/** Cross-origin isolation: lets the wasm backend use threads (SharedArrayBuffer). */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Serves the datasets the CLI finds on this computer at /data/<name>/<file> (dev and preview only). */
function localDatasets(): Plugin {
  const middleware = async (
    req: import('node:http').IncomingMessage,
    res: import('node:http').ServerResponse,
    next: () => void,
  ) => {
    if (!req.url?.startsWith('/data/')) return next();
    try {
      const { serveLocalDatasets } = await import('./dev/localDatasets.js');
      await serveLocalDatasets(req, res, next);
    } catch (err) {
      res.statusCode = 404;
      res.end(`local datasets unavailable (run 'pnpm run compile' first): ${(err as Error).message}\n`);
    }
  };
  return {
    name: 'paperlab-local-datasets',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  };
}

export default defineConfig({
  // Relative asset URLs: the build can be served from any path by any static file server.
  base: './',
  resolve: {
    // Workspace packages are bundled from their TypeScript sources (no build of core/plugins needed).
    conditions: ['@paperlab/source', ...defaultClientConditions],
    alias: [
      {
        find: /^@tensorflow\/tfjs$/,
        replacement: fileURLToPath(new URL('./src/stubs/tfjsNodeOnly.ts', import.meta.url)),
      },
    ],
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  worker: {
    format: 'es',
    rolldownOptions: {
      // tfjs-backend-wasm starts its pthread workers from the *source text* of a function in this bundle
      // (`factory.toString()` in a Blob). The compressor rewrites `typeof _scriptDir !== 'undefined'`
      // into a plain reference, which throws in that Blob ("e is not defined"); mangling and whitespace
      // removal keep such a function self-contained, so only compression is off for the worker.
      output: { minify: { compress: false, mangle: true, codegen: { removeWhitespace: true } } },
    },
  },
  server: { headers: isolation },
  preview: { headers: isolation },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 3000 },
  plugins: [localDatasets()],
});
