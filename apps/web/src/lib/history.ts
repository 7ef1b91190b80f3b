import type { RunHeader } from '@paperlab/core/runs';

/** How the history can be ordered. */
export const SORTS = {
  newest: 'newest first',
  oldest: 'oldest first',
  experiment: 'experiment',
  duration: 'longest first',
} as const;
export type SortKey = keyof typeof SORTS;

/**
 * The rows whose experiment, status, preset, backend, seed, run id or tags contain every word of `filter`
 * (a word `#tag` asks for that exact tag), sorted.
 */
export function filterAndSort<R extends { header: RunHeader; tags?: readonly string[] | undefined }>(
  rows: readonly R[],
  filter: string,
  sort: SortKey,
): R[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const text = (r: R) => {
    const h = r.header;
    return [h.id, h.experiment, h.status, h.preset ?? '', h.backend.name, String(h.seed), ...(r.tags ?? [])]
      .join(' ')
      .toLowerCase();
  };
  const matches = (r: R, w: string) =>
    w.startsWith('#') && w.length > 1 ? (r.tags ?? []).includes(w.slice(1)) : text(r).includes(w);
  const kept = rows.filter((r) => words.every((w) => matches(r, w)));
  const by: Record<SortKey, (a: RunHeader, b: RunHeader) => number> = {
    newest: (a, b) => b.createdAt.localeCompare(a.createdAt),
    oldest: (a, b) => a.createdAt.localeCompare(b.createdAt),
    experiment: (a, b) => a.experiment.localeCompare(b.experiment) || b.createdAt.localeCompare(a.createdAt),
    duration: (a, b) => (b.durationMs ?? -1) - (a.durationMs ?? -1),
  };
  return [...kept].sort((a, b) => by[sort](a.header, b.header));
}

/** The compare page's address for these runs, in the order given (`#/compare/<a>/<b>/…`). */
export function compareHash(ids: readonly string[]): string {
  return `#/compare/${ids.map(encodeURIComponent).join('/')}`;
}

/** The run ids of a compare address's path parts (after `compare`), or undefined when fewer than two. */
export function compareIds(parts: readonly string[]): string[] | undefined {
  const ids = parts.filter((p) => p !== '');
  return ids.length >= 2 ? ids : undefined;
}
