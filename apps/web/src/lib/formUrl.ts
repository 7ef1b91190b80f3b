import type { JsonObject } from '@paperlab/core/runs';

/** An experiment page's form as it travels in the URL: preset, overrides, seed and backend. */
export interface FormUrlState {
  preset: string | null;
  overrides: JsonObject;
  seed: number;
  backend: string;
}

/**
 * The hash of an experiment page holding a form: `#/e/<plugin>/<paper>?preset=smoke&seed=3&backend=wasm&config=
 * {"steps":40}` (`preset=` empty: schema defaults). Any setup is a link; `paperlab run` takes the same values.
 */
export function experimentHash(id: string, s: FormUrlState): string {
  const q = new URLSearchParams();
  q.set('preset', s.preset ?? '');
  q.set('seed', String(s.seed));
  q.set('backend', s.backend);
  if (Object.keys(s.overrides).length) q.set('config', JSON.stringify(s.overrides));
  return `#/e/${id}?${q.toString()}`;
}

/** The form values a hash's query gives (only those present and well-formed); `{}` without a query. */
export function formFromHash(hash: string): Partial<FormUrlState> {
  const i = hash.indexOf('?');
  if (i < 0) return {};
  const q = new URLSearchParams(hash.slice(i + 1));
  const out: Partial<FormUrlState> = {};
  const preset = q.get('preset');
  if (preset !== null) out.preset = preset === '' ? null : preset;
  const seed = q.get('seed');
  if (seed !== null && /^[0-9]+$/.test(seed) && Number.isSafeInteger(Number(seed))) out.seed = Number(seed);
  const backend = q.get('backend');
  if (backend) out.backend = backend;
  const config = q.get('config');
  if (config) {
    try {
      const parsed: unknown = JSON.parse(config);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        out.overrides = parsed as JsonObject;
    } catch {
      // a malformed config parameter is ignored; the form keeps its other values
    }
  }
  return out;
}
