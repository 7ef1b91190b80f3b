import { spawn } from 'node:child_process';
import { findPluginPackages } from '@paperlab/core/node';
import { CLI_ROOT, dataResolveDirs, openStore } from '../context.js';
import { findWebApp } from '../serve/webApp.js';
import { defineCommand, UsageError } from '../spec.js';
import { versions } from '../version.js';

/** Opens `url` in the default browser (best effort; the URL is printed anyway). */
function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser launcher: the printed URL is enough.
  }
}

/** Resolves on the first Ctrl-C or SIGTERM. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

/** `paperlab ui`: the web app over the local run store, on 127.0.0.1. */
export const uiSpec = defineCommand({
  name: 'ui',
  summary: 'open the web app over the local run store (127.0.0.1 only), so CLI runs show in the browser',
  description:
    "Serves the built web app, a read-only JSON API over the run store and, at /data/, the datasets the CLI finds on this computer (as 'paperlab data' lists them), on 127.0.0.1. The app lists the store's runs in its history next to the browser's own, with their run pages, curves and plots; experiments started in the page run in the browser as usual and read those datasets. Stop with Ctrl-C.",
  args: [],
  flags: [
    { name: 'port', type: 'number', default: 4173, description: 'port on 127.0.0.1 (0: any free port)' },
    { name: 'open', type: 'boolean', description: 'open the app in the default browser' },
    {
      name: 'app',
      type: 'string',
      value: 'dir',
      description: 'built web app to serve (default: $PAPERLAB_WEB_APP, else the one beside this CLI)',
    },
  ],
  examples: ['paperlab ui', 'paperlab ui --port 8080 --open', 'paperlab ui --store ./results/runs'],
  async run({ flags }, { io, global: opts }) {
    if (flags.port > 65535)
      throw new UsageError(`--port must be 0…65535, got ${flags.port}.`, { command: 'ui' });
    const appDir = findWebApp(flags.app);
    const store = openStore(opts);
    const { startUiServer } = await import('../serve/uiServer.js');
    // Datasets are looked up exactly as `paperlab run` and `paperlab data` do, npm packages beside plugins included.
    const plugins = await findPluginPackages([process.cwd(), CLI_ROOT]);
    const data = { resolveFrom: dataResolveDirs(plugins.map((p) => p.packageName)) };
    const server = await startUiServer({
      store,
      appDir,
      port: flags.port,
      info: { versions: versions() },
      data,
    });
    if (opts.json)
      io.json({ url: server.url, store: store.location, app: appDir, data: `${server.url}data/` });
    else {
      io.out(`paperlab ui: ${server.url}`);
      io.out(`  runs from ${store.location} (read-only), app from ${appDir}`);
      io.out(`  datasets the CLI finds ('paperlab data') at ${server.url}data/<name>/<file>`);
      io.out('  Ctrl-C stops it.');
    }
    if (flags.open) openBrowser(server.url);
    await untilSignal();
    await server.close();
    return 0;
  },
});
