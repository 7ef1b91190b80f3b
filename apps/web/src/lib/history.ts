import type { RunHeader } from '@paperlab/core/runs';

/** How the history can be ordered. */
export const SORTS = {
  newest: 'newest first',
  oldest: 'oldest first',
  experiment: 'experiment',
  duration: 'longest first',
} as const;
export type SortKey = keyof typeof SORTS;

/** The rows whose experiment, status, preset, backend or run id contain every word of `filter`, sorted. */
export function filterAndSort<R extends { header: RunHeader }>(
  rows: readonly R[],
  filter: string,
  sort: SortKey,
): R[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const text = (h: RunHeader) =>
    [h.id, h.experiment, h.status, h.preset ?? '', h.backend.name, String(h.seed)].join(' ').toLowerCase();
  const kept = rows.filter((r) => words.every((w) => text(r.header).includes(w)));
  const by: Record<SortKey, (a: RunHeader, b: RunHeader) => number> = {
    newest: (a, b) => b.createdAt.localeCompare(a.createdAt),
    oldest: (a, b) => a.createdAt.localeCompare(b.createdAt),
    experiment: (a, b) => a.experiment.localeCompare(b.experiment) || b.createdAt.localeCompare(a.createdAt),
    duration: (a, b) => (b.durationMs ?? -1) - (a.durationMs ?? -1),
  };
  return [...kept].sort((a, b) => by[sort](a.header, b.header));
}
