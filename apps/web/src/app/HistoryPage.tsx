import {
  formatCounts,
  importRun,
  MAX_COMPARED_RUNS,
  type RunHeader,
  type RunResult,
  readBundle,
  summarise,
} from '@paperlab/core/runs';
import { useEffect, useState } from 'preact/hooks';
import { compareHash, filterAndSort, SORTS, type SortKey } from '../lib/history.js';
import { normaliseTags, type RunNotes } from '../lib/idbRunStore.js';
import type { RunSource } from '../lib/runSources.js';
import { go, useServices } from './context.js';
import { duration, when } from './format.js';
import { exportToFile, RunDetails } from './RunDetails.js';

/** Paper claims reproduced out of paper claims (controls are in the cell's tooltip). */
function paperCount(r: RunResult): string {
  const p = summarise(r.claims).paper;
  return p ? `${p.reproduced}/${p.total}` : '–';
}

interface Row {
  header: RunHeader;
  result?: RunResult | undefined;
  /** The browser's store, or the CLI's under `paperlab ui`. */
  source: RunSource;
  tags: string[];
  note: string;
}

/** Imports `paperlab export` bundles (from the CLI or this app) into the browser's store, atomically. */
function ImportButton() {
  const { store, historyChanged } = useServices();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const onFiles = async (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      try {
        // The whole bundle is validated (ids, file paths, header, result, metrics) before anything is written.
        const bundle = readBundle(await file.text());
        const existing = await store.readHeader(bundle.header.id).catch(() => undefined);
        if (existing && !confirm(`Run ${bundle.header.id} is already in this browser. Replace it?`)) continue;
        const id = await store.atomically(
          (s) => importRun(s, bundle),
          existing ? { replacing: existing.id } : {},
        );
        setMessage({ ok: true, text: `Imported ${id}` });
        historyChanged();
        go(`#/runs/${encodeURIComponent(id)}`);
      } catch (err) {
        setMessage({ ok: false, text: `${file.name}: ${(err as Error).message}` });
      }
    }
  };
  return (
    <span class="import">
      <label class="button">
        Import bundle…
        <input
          type="file"
          accept=".json,application/json"
          multiple
          data-testid="import-file"
          onChange={(e) => {
            const input = e.currentTarget as HTMLInputElement;
            void onFiles(input.files).then(() => {
              input.value = '';
            });
          }}
        />
      </label>
      {message && (
        <span class={message.ok ? 'ok-text small' : 'error-text'} data-testid="import-message">
          {message.text}
        </span>
      )}
    </span>
  );
}

/** The run history kept in IndexedDB. */
export function HistoryPage() {
  const { store, historyVersion, historyChanged, resume, live } = useServices();
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<string>();
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<SortKey>('newest');
  const [picked, setPicked] = useState<string[]>([]);
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  useEffect(() => {
    (async () => {
      const [listed, notes] = await Promise.all([store.listWithSource(), store.browser.allNotes()]);
      setRows(
        await Promise.all(
          listed.map(async ({ header, source }) => ({
            header,
            source,
            result: await store.readResult(header.id).catch(() => undefined),
            tags: notes.get(header.id)?.tags ?? [],
            note: notes.get(header.id)?.note ?? '',
          })),
        ),
      );
    })().catch((e) => setError((e as Error).message));
  }, [historyVersion, store]);
  const allTags = [...new Set((rows ?? []).flatMap((r) => r.tags))].sort();
  return (
    <div class="page">
      <section class="panel">
        <div class="run-head">
          <h2>Run history</h2>
          <span class="spacer" />
          <ImportButton />
        </div>
        <p class="muted small">
          Kept in this browser ({store.browser.location}), in the CLI's record format. Export a run as one
          JSON bundle for <code>paperlab import</code>; import bundles made by <code>paperlab export</code>.
          {store.cli && (
            <>
              {' '}
              Runs marked <span class="badge source-cli">CLI</span> are read from {store.cli.location}; their
              tags and notes are kept in this browser only.
            </>
          )}
        </p>
        {error && <div class="error-box">{error}</div>}
        {rows && rows.length === 0 && <p class="muted">No runs yet.</p>}
        {rows && rows.length > 0 && (
          <div class="history-tools">
            <input
              type="search"
              data-testid="history-filter"
              placeholder="filter: experiment, status, preset, backend, run id"
              value={filter}
              onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)}
            />
            {allTags.length > 0 && (
              <label class="small">
                tag{' '}
                <select
                  data-testid="history-tag"
                  value={filter.startsWith('#') && !filter.includes(' ') ? filter.slice(1) : ''}
                  onChange={(e) => {
                    const t = (e.currentTarget as HTMLSelectElement).value;
                    setFilter(t ? `#${t}` : '');
                  }}
                >
                  <option value="">any</option>
                  {allTags.map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <button
              type="button"
              data-testid="compare"
              disabled={picked.length < 2 || picked.length > MAX_COMPARED_RUNS}
              title={`tick 2 to ${MAX_COMPARED_RUNS} runs to compare them`}
              onClick={() => go(compareHash(picked))}
            >
              Compare{' '}
              {picked.length < 2
                ? `(${picked.length}/2 ticked)`
                : picked.length > MAX_COMPARED_RUNS
                  ? `(${picked.length} ticked, at most ${MAX_COMPARED_RUNS})`
                  : `${picked.length} runs`}
            </button>
            <label class="small">
              sort{' '}
              <select
                data-testid="history-sort"
                value={sort}
                onChange={(e) => setSort((e.currentTarget as HTMLSelectElement).value as SortKey)}
              >
                {Object.entries(SORTS).map(([k, label]) => (
                  <option key={k} value={k}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
          </div>
        )}
        {rows && rows.length > 0 && (
          <div class="scroll">
            <table class="data runs" data-testid="history">
              <thead>
                <tr>
                  <th />
                  <th>started</th>
                  <th>experiment</th>
                  <th>status</th>
                  <th>preset</th>
                  <th>seed</th>
                  <th>backend</th>
                  <th>where</th>
                  <th>time</th>
                  <th>paper claims</th>
                  <th>tags</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {filterAndSort(rows, filter, sort).map(({ header: h, result: r, source, tags, note }) => (
                  <tr key={h.id} data-testid="history-row" data-run={h.id} data-source={source}>
                    <td>
                      <input
                        type="checkbox"
                        data-testid="history-select"
                        aria-label={`select run ${h.id} for comparison`}
                        checked={picked.includes(h.id)}
                        onChange={() => toggle(h.id)}
                      />
                    </td>
                    <td>
                      <a href={`#/runs/${encodeURIComponent(h.id)}`}>{when(h.createdAt)}</a>
                    </td>
                    <td>
                      <a href={`#/e/${h.experiment}`}>{h.experiment}</a>
                    </td>
                    <td>
                      <span class={`badge status-${h.status}`}>{h.status}</span>
                    </td>
                    <td>{h.preset ?? '–'}</td>
                    <td>{h.seed}</td>
                    <td>{h.backend.name}</td>
                    <td class="muted">
                      {source === 'cli' ? (
                        <span class="badge source-cli" title={store.cli?.location}>
                          CLI
                        </span>
                      ) : (
                        h.backend.platform
                      )}
                    </td>
                    <td>{duration(h.durationMs)}</td>
                    <td title={r ? formatCounts(summarise(r.claims)) : undefined}>
                      {r ? paperCount(r) : '–'}
                    </td>
                    <td data-testid="history-tags" title={note || undefined}>
                      {tags.map((t) => (
                        <button type="button" class="tag" key={t} onClick={() => setFilter(`#${t}`)}>
                          {t}
                        </button>
                      ))}
                      {note && <span class="muted small"> ✎</span>}
                    </td>
                    <td class="actions">
                      {(h.status === 'interrupted' || h.status === 'failed') && (
                        <button
                          type="button"
                          class="link"
                          disabled={!!live?.running}
                          onClick={() => {
                            resume(h.id);
                            go(`#/e/${h.experiment}`);
                          }}
                        >
                          resume
                        </button>
                      )}
                      <button type="button" class="link" onClick={() => void exportToFile(store, h.id)}>
                        export
                      </button>
                      {source === 'browser' && (
                        <button
                          type="button"
                          class="link danger-text"
                          disabled={live?.running && live.header?.id === h.id}
                          onClick={async () => {
                            if (!confirm(`Delete run ${h.id}?`)) return;
                            await store.deleteRun(h.id);
                            historyChanged();
                          }}
                        >
                          delete
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

/** The run's tags and note, kept in this browser's IndexedDB (for CLI runs too). */
function NotesEditor({ runId }: { runId: string }) {
  const { store, historyChanged } = useServices();
  const [notes, setNotes] = useState<RunNotes>();
  const [tagText, setTagText] = useState('');
  const [note, setNote] = useState('');
  const [saved, setSaved] = useState<string>();
  useEffect(() => {
    void store.browser.readNotes(runId).then((n) => {
      setNotes(n);
      setTagText(n.tags.join(', '));
      setNote(n.note);
    });
  }, [runId, store]);
  if (!notes) return null;
  const save = async () => {
    const next = { tags: normaliseTags(tagText), note };
    await store.browser.writeNotes(runId, next);
    setNotes(next);
    setTagText(next.tags.join(', '));
    setSaved('saved');
    historyChanged();
  };
  // An edit updates its field and clears "saved".
  const edit = (set: (v: string) => void) => (e: Event) => {
    set((e.currentTarget as HTMLInputElement | HTMLTextAreaElement).value);
    setSaved(undefined);
  };
  return (
    <section class="panel notes-form" data-testid="run-notes">
      <h3>
        Tags and notes <span class="muted small">kept in this browser</span>
      </h3>
      <label class="small">
        tags (comma- or space-separated)
        <input
          type="text"
          class="note-tags"
          data-testid="run-tags"
          value={tagText}
          onInput={edit(setTagText)}
        />
      </label>
      <label class="small">
        note
        <textarea class="note-text" data-testid="run-note" value={note} onInput={edit(setNote)} />
      </label>
      <button type="button" data-testid="save-notes" onClick={() => void save()}>
        Save
      </button>{' '}
      {saved && (
        <span class="ok-text small" data-testid="notes-saved">
          {saved}
        </span>
      )}
    </section>
  );
}

/** One stored run. */
export function RunPage({ runId }: { runId: string }) {
  const { store, historyVersion } = useServices();
  const [row, setRow] = useState<{ header: RunHeader; result?: RunResult | undefined } | null>(null);
  const [error, setError] = useState<string>();
  useEffect(() => {
    (async () => {
      const header = await store.readHeader(runId);
      setRow({ header, result: await store.readResult(runId) });
    })().catch((e) => setError((e as Error).message));
  }, [runId, historyVersion, store]);
  return (
    <div class="page">
      <section class="panel">
        <div class="eyebrow">
          <a href="#/runs">← run history</a>
        </div>
        {error && <div class="error-box">{error}</div>}
        {row && (
          <>
            <h2>
              <a href={`#/e/${row.header.experiment}`}>{row.header.experiment}</a>{' '}
              <span class="muted small">{row.header.paper.title}</span>
            </h2>
            <div class="muted small">
              {when(row.header.createdAt)} · {row.header.host.platform}
              {row.header.host.userAgent ? '' : ' (CLI)'}
            </div>
            <RunDetails header={row.header} result={row.result} />
            <NotesEditor runId={row.header.id} />
          </>
        )}
      </section>
    </div>
  );
}
