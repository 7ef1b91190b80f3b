import type { ConfigIssue } from '@paperlab/core';
import type { JsonObject } from '@paperlab/core/runs';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { experimentHash, formFromHash } from '../lib/formUrl.js';
import type { CatalogExperiment } from '../lib/protocol.js';
import { fieldsOf, issueMatches, toSetFlags } from '../lib/schemaForm.js';
import { ConfigForm } from './ConfigForm.js';
import { useServices } from './context.js';
import { duration } from './format.js';
import { RunDetails } from './RunDetails.js';
import { LiveScalars, Progress, Status } from './RunView.js';

/** Title, authors, link, summary and claims of the experiment's paper. */
function PaperCard({ exp }: { exp: CatalogExperiment }) {
  const p = exp.paper;
  return (
    <section class="panel paper" data-testid="paper-card">
      <div class="eyebrow">
        <code>{exp.id}</code>
      </div>
      <h2>
        <a href={p.url} target="_blank" rel="noreferrer noopener">
          {p.title}
        </a>
      </h2>
      <div class="authors">
        {p.authors} · {p.venue ?? p.year}
      </div>
      <p class="summary">{exp.summary}</p>
      <h4>Claims checked by every run</h4>
      <ol class="claim-list">
        {exp.claims.map((c) => (
          <li key={c.id}>
            <span class="claim-id">{c.id}</span> — {c.statement}
          </li>
        ))}
      </ol>
    </section>
  );
}

interface FormState {
  preset: string | null;
  overrides: JsonObject;
  seed: number;
  backend: string;
}

const stateKey = (id: string) => `paperlab.form.${id}`;
const backendKey = 'paperlab.backend';

/** The backend last chosen on any experiment page (new pages start with it). */
function lastBackend(): string {
  try {
    return localStorage.getItem(backendKey) ?? 'auto';
  } catch {
    return 'auto';
  }
}

/** The form a page opens with: the URL's values (a shared link) over the last ones used here, over defaults. */
function initialFormState(exp: CatalogExperiment, backend: string): FormState {
  const saved = loadFormState(exp, backend);
  const fromUrl = formFromHash(location.hash);
  const preset =
    fromUrl.preset === undefined || fromUrl.preset === null || exp.presets.includes(fromUrl.preset)
      ? (fromUrl.preset ?? saved.preset)
      : saved.preset;
  return { ...saved, ...fromUrl, preset: fromUrl.preset === null ? null : preset };
}

function loadFormState(exp: CatalogExperiment, backend: string): FormState {
  const fallback: FormState = {
    preset: exp.presets.includes('smoke') ? 'smoke' : (exp.presets[0] ?? null),
    overrides: {},
    seed: 0,
    backend,
  };
  try {
    const saved = JSON.parse(localStorage.getItem(stateKey(exp.id)) ?? 'null') as Partial<FormState> | null;
    if (!saved) return fallback;
    const preset =
      saved.preset === null || exp.presets.includes(saved.preset ?? '')
        ? (saved.preset ?? null)
        : fallback.preset;
    return { ...fallback, ...saved, preset };
  } catch {
    return fallback;
  }
}

/** The experiment page: paper card, generated config form, Run/Stop, and the live run. */
export function ExperimentPage({ exp }: { exp: CatalogExperiment }) {
  const { client, catalog, live, startRun, stop } = useServices();
  // The page is keyed on the experiment id (App.tsx), so this initial state is the experiment's own form from
  // the first render on: a choice made right after navigating is never reset by a late effect.
  const [form, setForm] = useState<FormState>(() => initialFormState(exp, lastBackend()));
  const [issues, setIssues] = useState<ConfigIssue[]>([]);
  const [issueText, setIssueText] = useState<string>();
  const [localErrors, setLocalErrors] = useState<string[]>([]);
  const fields = useMemo(() => fieldsOf(exp.schema), [exp]);

  useEffect(() => {
    localStorage.setItem(stateKey(exp.id), JSON.stringify(form));
    localStorage.setItem(backendKey, form.backend);
    // The URL follows the form (replaceState: no history entry per keystroke, no hashchange), so any setup is a link.
    const hash = experimentHash(exp.id, form);
    if (location.hash !== hash) history.replaceState(history.state, '', hash);
  }, [form]);

  // A link to this page with other values ("Run again with this config", a pasted URL) fills the form in.
  useEffect(() => {
    const onHash = () => {
      if (!location.hash.includes('?')) return;
      const next = initialFormState(exp, form.backend);
      if (experimentHash(exp.id, next) !== experimentHash(exp.id, form)) setForm(next);
    };
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, [exp, form]);

  // Validate in the worker (the same resolveConfig as the run) whenever preset or overrides change.
  useEffect(() => {
    let current = true;
    const t = setTimeout(async () => {
      const reply = await client.request<{
        type: 'validated';
        id: number;
        issues: ConfigIssue[];
        message?: string;
      }>({
        type: 'validate',
        experiment: exp.id,
        preset: form.preset,
        overrides: form.overrides,
      });
      if (!current) return;
      setIssues(reply.issues);
      setIssueText(reply.message);
    }, 120);
    return () => {
      current = false;
      clearTimeout(t);
    };
  }, [exp.id, form.preset, JSON.stringify(form.overrides)]);

  const base =
    form.preset === null
      ? exp.defaults
      : (() => {
          const r = exp.resolved[form.preset];
          return r && 'config' in r ? r.config : null;
        })();
  const presetError =
    form.preset !== null ? (exp.resolved[form.preset] as { error?: string } | undefined)?.error : undefined;
  const mine = live && live.experiment === exp.id ? live : null;
  const busy = !!live?.running;
  const unmatched = issues.filter((i) => !fields.some((f) => issueMatches(i.path, f.key)));
  const invalid = issues.length > 0 || localErrors.length > 0 || !!issueText;
  const cli = [
    'paperlab run',
    exp.id,
    form.preset === null ? '' : `--preset ${form.preset}`,
    `--seed ${form.seed}`,
    form.backend === 'auto' ? '' : `--backend ${form.backend}`,
    ...toSetFlags(form.overrides),
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <div class="page">
      <PaperCard exp={exp} />
      <section class="panel">
        <h3>Configure</h3>
        <div class="run-controls">
          <label>
            preset
            <select
              data-testid="preset"
              value={form.preset ?? ''}
              disabled={busy}
              onChange={(e) => {
                const v = (e.currentTarget as HTMLSelectElement).value;
                setForm({ ...form, preset: v === '' ? null : v, overrides: {} });
              }}
            >
              {exp.presets.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
              {exp.defaults && <option value="">(schema defaults)</option>}
            </select>
          </label>
          <label>
            seed
            <input
              data-testid="seed"
              type="number"
              min={0}
              step={1}
              value={form.seed}
              disabled={busy}
              onInput={(e) => {
                const n = Number((e.currentTarget as HTMLInputElement).value);
                if (Number.isSafeInteger(n) && n >= 0) setForm({ ...form, seed: n });
              }}
            />
          </label>
          <label>
            backend
            <select
              data-testid="backend"
              value={form.backend}
              disabled={busy}
              onChange={(e) => setForm({ ...form, backend: (e.currentTarget as HTMLSelectElement).value })}
            >
              {catalog.backends.map((b) => (
                <option key={b} value={b}>
                  {b === 'auto' ? `auto (${catalog.backends.slice(1).join(' → ')})` : b}
                </option>
              ))}
            </select>
          </label>
          <span class="spacer" />
          {Object.keys(form.overrides).length > 0 && (
            <button
              type="button"
              class="link"
              disabled={busy}
              onClick={() => setForm({ ...form, overrides: {} })}
            >
              reset all
            </button>
          )}
          {busy && mine ? (
            <button type="button" class="danger" data-testid="stop" disabled={live?.stopping} onClick={stop}>
              {live?.stopping ? 'Stopping…' : 'Stop'}
            </button>
          ) : (
            <button
              type="button"
              class="primary"
              data-testid="run"
              disabled={busy || invalid || !!presetError}
              title={busy ? 'another run is in progress' : invalid ? 'fix the config first' : undefined}
              onClick={() =>
                startRun({
                  experiment: exp.id,
                  preset: form.preset,
                  overrides: form.overrides,
                  seed: form.seed,
                  backend: form.backend,
                })
              }
            >
              Run
            </button>
          )}
        </div>
        {presetError && (
          <div class="error-box">
            Preset '{form.preset}' does not validate: <pre>{presetError}</pre>
          </div>
        )}
        {(unmatched.length > 0 || (issueText && issues.length === 0)) && (
          <div class="error-box">
            {unmatched.length > 0 ? (
              unmatched.map((i) => (
                <div key={i.path}>
                  <code>{i.path}</code>: expected {i.expected}
                  {i.received !== undefined ? `, got ${i.received}` : ''}
                </div>
              ))
            ) : (
              <pre>{issueText}</pre>
            )}
          </div>
        )}
        <ConfigForm
          fields={fields}
          base={base}
          overrides={form.overrides}
          issues={issues}
          disabled={busy}
          onChange={(overrides) => setForm({ ...form, overrides })}
          onLocalErrors={setLocalErrors}
        />
        <div class="cli small" title="the same run from the command line">
          <span class="muted">CLI:</span> <code>{cli}</code>
        </div>
      </section>
      {mine && <LivePanel />}
    </div>
  );
}

/** The run in progress (or just finished) on this page. */
function LivePanel() {
  const { live } = useServices();
  const [, tick] = useState(0);
  useEffect(() => {
    if (!live?.running) return;
    const t = setInterval(() => tick((n) => n + 1), 500);
    return () => clearInterval(t);
  }, [live?.running]);
  if (!live) return null;
  const elapsed = performance.now() - live.startedAt;
  return (
    <section class="panel live" data-testid="live">
      <h3>
        Run{' '}
        {live.running && (
          <span class="muted small">
            <Status status={live.header?.status ?? 'starting'} /> {duration(elapsed)}
          </span>
        )}
      </h3>
      {live.error && (
        <div class="error-box" data-testid="run-error">
          <pre>{live.error}</pre>
        </div>
      )}
      <Progress tasks={live.tasks} />
      <LiveScalars scalars={live.scalars} />
      {live.logs.length > 0 && (
        <details class="logs" open={live.logs.some((l) => l.level !== 'info')}>
          <summary class="small muted">log ({live.logs.length})</summary>
          <pre>
            {live.logs.map((l) => `${l.level === 'info' ? '' : `${l.level}: `}${l.message}`).join('\n')}
          </pre>
        </details>
      )}
      {live.header && !live.running && <RunDetails header={live.header} result={live.result} />}
    </section>
  );
}
