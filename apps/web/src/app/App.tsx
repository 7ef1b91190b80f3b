import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { compareIds } from '../lib/history.js';
import { HttpRunStore } from '../lib/httpRunStore.js';
import { IdbRunStore } from '../lib/idbRunStore.js';
import { loadPicked, savePicked } from '../lib/pickedFiles.js';
import type { Catalog, DataSettings, RunRequestMessage, WorkerToMain } from '../lib/protocol.js';
import { RunSources } from '../lib/runSources.js';
import { ComparePage } from './ComparePage.js';
import { type AppServices, Services } from './context.js';
import { DataPage } from './DataPage.js';
import { ExperimentPage } from './ExperimentPage.js';
import { HistoryPage, RunPage } from './HistoryPage.js';
import { applyProgress, applyScalars, type LiveRun, newLiveRun } from './runState.js';
import { WorkerClient } from './workerClient.js';

/** How long Stop waits for the experiment to reach an abort check before the worker is terminated. */
const FORCE_STOP_MS = 8000;
const DATA_URL_KEY = 'paperlab.dataUrl';

type Route =
  | { page: 'home' }
  | { page: 'experiment'; id: string }
  | { page: 'runs' }
  | { page: 'run'; id: string }
  | { page: 'compare'; ids: string[] }
  | { page: 'data' };

function parseRoute(hash: string): Route {
  // A query after the path (`#/e/ntk/jacot2018?seed=3`) is the experiment form's state (lib/formUrl.ts).
  const parts = hash.replace(/^#\/?/, '').replace(/\?.*$/, '').split('/').map(decodeURIComponent);
  if (parts[0] === 'e' && parts.length >= 3) return { page: 'experiment', id: `${parts[1]}/${parts[2]}` };
  const ids = parts[0] === 'compare' ? compareIds(parts.slice(1)) : undefined;
  if (ids) return { page: 'compare', ids };
  if (parts[0] === 'runs' && parts[1]) return { page: 'run', id: parts[1] };
  if (parts[0] === 'runs') return { page: 'runs' };
  if (parts[0] === 'data') return { page: 'data' };
  return { page: 'home' };
}

function initialDataUrl(): string {
  const fromQuery = new URLSearchParams(location.search).get('data');
  const raw = fromQuery ?? localStorage.getItem(DATA_URL_KEY) ?? './data/';
  return new URL(raw, location.href).href;
}

/** Narrow screens (phones) collapse the paper list behind a toggle, so pages start with their content. */
const NARROW = '(max-width: 760px)';

function Sidebar({ catalog, route }: { catalog: Catalog; route: Route }) {
  const narrow = typeof matchMedia === 'function' && matchMedia(NARROW).matches;
  const papers = catalog.experiments.length;
  return (
    <nav class="sidebar">
      <a class="brand" href="#/">
        paperlab
      </a>
      <div class="nav-links">
        <a
          href="#/runs"
          class={route.page === 'runs' || route.page === 'run' || route.page === 'compare' ? 'active' : ''}
        >
          Run history
        </a>
        <a href="#/data" class={route.page === 'data' ? 'active' : ''}>
          Datasets
        </a>
      </div>
      {/* Open on wide screens (the summary is hidden there); on a phone closed, and closed again on each
          navigation (a new key per route). */}
      <details
        class="papers"
        data-testid="papers-nav"
        open={!narrow}
        key={narrow ? JSON.stringify(route) : 'wide'}
      >
        <summary class="papers-toggle">
          Papers <span class="muted small">({papers})</span>
        </summary>
        <div class="nav-title">Plugins</div>
        {catalog.plugins.map((p) => (
          <div class="plugin" key={p.name} data-testid="plugin" data-plugin={p.name}>
            <div class="plugin-name" title={`${p.packageName}@${p.version}\n${p.description}`}>
              {p.name} <span class="muted small">{p.version}</span>
            </div>
            {p.experiments.length === 0 && <div class="muted small indent">no experiments yet</div>}
            {p.experiments.map((id) => {
              const exp = catalog.experiments.find((e) => e.id === id);
              return (
                <a
                  key={id}
                  href={`#/e/${id}`}
                  class={`exp-link${route.page === 'experiment' && route.id === id ? ' active' : ''}`}
                  data-testid="experiment-link"
                  data-experiment={id}
                  title={exp?.paper.title}
                >
                  <span>{id.split('/')[1]}</span>
                  <span class="muted small ellipsis">{exp?.paper.title}</span>
                </a>
              );
            })}
          </div>
        ))}
      </details>
    </nav>
  );
}

function Home({ catalog }: { catalog: Catalog }) {
  const n = catalog.experiments.length;
  // Only plugins that contribute papers count (a shell plugin with none is not a "plugin" to the reader).
  const withPapers = catalog.plugins.filter((p) => p.experiments.length > 0).length;
  return (
    <div class="page">
      <section class="panel">
        <h2>Research papers as runnable, checkable experiments</h2>
        <p>
          {withPapers} plugin{withPapers === 1 ? '' : 's'}, {n} experiment{n === 1 ? '' : 's'}. Pick one on
          the left: read its paper card, adjust the config, and run it here — in a Web Worker on{' '}
          {catalog.backends.slice(1).join(' → ')} — with the same config, seed and result format as the{' '}
          <code>paperlab</code> CLI. Every run checks the paper's claims against baselines measured in the
          same run.
        </p>
        <div class="cards">
          {catalog.experiments.map((e) => (
            <a class="card" key={e.id} href={`#/e/${e.id}`}>
              <code>{e.id}</code>
              <b>{e.paper.title}</b>
              <span class="muted small">
                {e.paper.authors} · {e.paper.year}
              </span>
              <span class="small">{e.claims.length} claims</span>
            </a>
          ))}
        </div>
      </section>
    </div>
  );
}

/** The web app: worker, store, routes. */
export function App() {
  const client = useMemo(() => new WorkerClient(), []);
  const [store, setStore] = useState(() => new RunSources(new IdbRunStore()));
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [fatal, setFatal] = useState<string>();
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const [data, setDataState] = useState<DataSettings>(() => ({ baseUrl: initialDataUrl(), picked: {} }));
  const [historyVersion, setHistoryVersion] = useState(0);
  // Dataset files picked in an earlier visit come back from IndexedDB (lib/pickedFiles.ts).
  useEffect(() => {
    loadPicked()
      .then((kept) => {
        if (Object.keys(kept).length) setDataState((d) => ({ ...d, picked: { ...kept, ...d.picked } }));
      })
      .catch(() => {});
  }, []);
  // Served by `paperlab ui`: the CLI's run store joins the history (read-only), next to IndexedDB.
  useEffect(() => {
    void HttpRunStore.connect(new URL('./api/', location.href).href).then((cli) => {
      if (!cli) return;
      setStore((s) => new RunSources(s.browser, cli));
      setHistoryVersion((v) => v + 1);
    });
  }, []);
  const liveRef = useRef<LiveRun | null>(null);
  const [live, setLive] = useState<LiveRun | null>(null);
  const flushTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const forceStop = useRef<ReturnType<typeof setTimeout> | null>(null);

  // Live events arrive fast; the view is refreshed at most every 100 ms.
  const publish = (now = false) => {
    const flush = () => {
      flushTimer.current = null;
      setLive(liveRef.current ? { ...liveRef.current } : null);
    };
    if (now) {
      if (flushTimer.current) clearTimeout(flushTimer.current);
      flush();
    } else flushTimer.current ??= setTimeout(flush, 100);
  };

  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onHash);
    const off = client.on((msg: WorkerToMain) => {
      const run = liveRef.current;
      switch (msg.type) {
        case 'catalog':
          setCatalog(msg.catalog);
          return;
        case 'header':
          if (run) {
            run.header = msg.header;
            publish();
          }
          return;
        case 'progress':
          if (run) {
            applyProgress(run, msg.event);
            publish();
          }
          return;
        case 'scalars':
          if (run) {
            applyScalars(run, msg.values, msg.step);
            publish();
          }
          return;
        case 'log':
          if (run) {
            run.logs.push({ level: msg.level, message: msg.message });
            publish();
          }
          return;
        case 'done':
          if (run) {
            run.header = msg.header;
            if (msg.result) run.result = msg.result;
            run.running = false;
            run.stopping = false;
            if (forceStop.current) clearTimeout(forceStop.current);
            publish(true);
          }
          setHistoryVersion((v) => v + 1);
          return;
        case 'error':
          if (run?.running) {
            run.error = msg.message;
            run.running = false;
            run.stopping = false;
            publish(true);
          } else if (!catalog) setFatal(msg.message);
          return;
      }
    });
    client.send({ type: 'init' });
    return () => {
      off();
      removeEventListener('hashchange', onHash);
    };
  }, []);

  const services: AppServices | null = catalog
    ? {
        client,
        store,
        catalog,
        data,
        setData(next) {
          localStorage.setItem(DATA_URL_KEY, next.baseUrl);
          for (const [name, files] of Object.entries(next.picked ?? {}))
            if (files !== data.picked?.[name]) void savePicked(name, files).catch(() => {});
          setDataState(next);
        },
        live,
        startRun(request: RunRequestMessage) {
          if (liveRef.current?.running) return;
          liveRef.current = newLiveRun(request.experiment);
          publish(true);
          client.send({ type: 'run', request, data });
        },
        resume(runId: string) {
          if (liveRef.current?.running) return;
          void store.readHeader(runId).then((h) => {
            liveRef.current = newLiveRun(h.experiment);
            publish(true);
            client.send({ type: 'resume', runId, data });
          });
        },
        stop() {
          const run = liveRef.current;
          if (!run?.running) return;
          run.stopping = true;
          publish(true);
          client.send({ type: 'stop' });
          // An experiment stuck between abort checks: terminate the worker and record the run as interrupted.
          forceStop.current = setTimeout(async () => {
            if (!run.running) return;
            client.restart();
            client.send({ type: 'init' });
            const message = `Stopped: the worker was terminated after ${FORCE_STOP_MS / 1000} s without reaching an abort check`;
            if (run.header) {
              const end = new Date().toISOString();
              run.header = {
                ...run.header,
                status: 'interrupted',
                updatedAt: end,
                endedAt: end,
                error: { name: 'RunInterruptedError', message },
              };
              await store.writeHeader(run.header);
            } else run.error = message;
            run.running = false;
            run.stopping = false;
            publish(true);
            setHistoryVersion((v) => v + 1);
          }, FORCE_STOP_MS);
        },
        historyVersion,
        historyChanged: () => setHistoryVersion((v) => v + 1),
      }
    : null;

  if (!services) {
    return (
      <div class="loading">
        {fatal ? (
          <div class="error-box">
            <b>paperlab could not start:</b>
            <pre>{fatal}</pre>
          </div>
        ) : (
          <span class="muted">Loading plugins…</span>
        )}
      </div>
    );
  }
  const exp =
    route.page === 'experiment' ? services.catalog.experiments.find((e) => e.id === route.id) : undefined;
  return (
    <Services.Provider value={services}>
      <div class="layout" data-testid="app">
        <Sidebar catalog={services.catalog} route={route} />
        <main>
          {services.catalog.warnings.map((w) => (
            <div class="error-box" key={w}>
              Plugin skipped: {w}
            </div>
          ))}
          {route.page === 'home' && <Home catalog={services.catalog} />}
          {route.page === 'experiment' &&
            (exp ? (
              <ExperimentPage key={exp.id} exp={exp} />
            ) : (
              <div class="page">
                <div class="error-box">Unknown experiment '{route.id}'.</div>
              </div>
            ))}
          {route.page === 'runs' && <HistoryPage />}
          {route.page === 'run' && <RunPage runId={route.id} />}
          {route.page === 'compare' && <ComparePage ids={route.ids} />}
          {route.page === 'data' && <DataPage />}
        </main>
      </div>
    </Services.Provider>
  );
}
