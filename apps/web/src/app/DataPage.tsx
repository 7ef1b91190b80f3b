import { KNOWN_DATASETS } from '@paperlab/core/data';
import { useState } from 'preact/hooks';
import { browserDataSources } from '../lib/browserDataSources.js';
import { useServices } from './context.js';

/** Canonical name of a picked file: `train-images-idx3-ubyte.gz` → `train-images-idx3-ubyte`. */
function canonical(fileName: string): string {
  return fileName.replace(/\.gz$/, '');
}

/** Where datasets come from in the browser: a base URL, or files picked here (kept in IndexedDB across visits). */
export function DataPage() {
  const { data, setData } = useServices();
  const [url, setUrl] = useState(data.baseUrl);
  const [checks, setChecks] = useState<Record<string, { ok: boolean; text: string }>>({});

  const check = async (name: string) => {
    setChecks((c) => ({ ...c, [name]: { ok: true, text: 'checking…' } }));
    try {
      const files = await browserDataSources(data).open(name);
      setChecks((c) => ({ ...c, [name]: { ok: true, text: `found: ${files.origin}` } }));
    } catch (err) {
      setChecks((c) => ({ ...c, [name]: { ok: false, text: (err as Error).message } }));
    }
  };

  return (
    <div class="page">
      <section class="panel">
        <h2>Datasets</h2>
        <p class="muted">
          Experiments that read real data (MNIST, Fashion-MNIST…) look for it in files picked here, then at
          the data URL. A missing dataset stops the run with an error saying where it looked — never random
          data.
        </p>
        <form
          class="run-controls"
          onSubmit={(e) => {
            e.preventDefault();
            setData({ ...data, baseUrl: new URL(url, location.href).href });
          }}
        >
          <label class="grow">
            <span>
              data URL — serves <code>&lt;name&gt;/&lt;file&gt;</code> (or <code>&lt;file&gt;.gz</code>)
            </span>
            <input
              type="text"
              value={url}
              onInput={(e) => setUrl((e.currentTarget as HTMLInputElement).value)}
            />
          </label>
          <button type="submit">Save</button>
        </form>
        <p class="muted small">
          Now: <code>{data.baseUrl}</code>. <code>paperlab ui</code> and the dev server (
          <code>pnpm --filter @paperlab/web dev</code>) serve the datasets the CLI finds on this computer at{' '}
          <code>./data/</code>.
        </p>
      </section>
      {Object.values(KNOWN_DATASETS).map((ds) => {
        const picked = data.picked[ds.name] ?? {};
        const have = ds.files.filter((f) => picked[f.name]).length;
        const result = checks[ds.name];
        return (
          <section class="panel" key={ds.name} data-testid="dataset" data-dataset={ds.name}>
            <div class="run-head">
              <h3>{ds.name}</h3>
              <span class="muted small">{ds.license}</span>
              <span class="spacer" />
              <label class="button">
                Pick files…
                <input
                  type="file"
                  multiple
                  onChange={(e) => {
                    const files = Array.from((e.currentTarget as HTMLInputElement).files ?? []);
                    const known = new Set(ds.files.map((f) => f.name));
                    const next = { ...picked };
                    for (const f of files) if (known.has(canonical(f.name))) next[canonical(f.name)] = f;
                    setData({ ...data, picked: { ...data.picked, [ds.name]: next } });
                  }}
                />
              </label>
              <button type="button" onClick={() => void check(ds.name)}>
                Check
              </button>
            </div>
            <p class="small">{ds.description}</p>
            <ul class="files small">
              {ds.files.map((f) => (
                <li key={f.name}>
                  <code>{f.name}</code>{' '}
                  {picked[f.name] ? (
                    <span class="ok-text">picked</span>
                  ) : (
                    <span class="muted">not picked</span>
                  )}
                </li>
              ))}
            </ul>
            <div class="muted small">
              {have}/{ds.files.length} files picked (kept in this browser across visits)
            </div>
            {result && <pre class={result.ok ? 'ok-box' : 'error-box'}>{result.text}</pre>}
          </section>
        );
      })}
    </div>
  );
}
