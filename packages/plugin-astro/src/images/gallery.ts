import type { SeriesRow } from '@paperlab/core';

/**
 * Tidy rows of a few images for `imageGridPlot`: image `k` of `images` ([n × size × size × channels], host) is
 * labelled `labels[k]` (prefixed with its index so the grid keeps this order), one channel, subsampled to at most
 * `maxSide` pixels a side.
 */
export function galleryRows(
  images: Float32Array,
  size: number,
  labels: readonly string[],
  o: { channels?: number; channel?: number; maxSide?: number; prefix?: string } = {},
): SeriesRow[] {
  const ch = o.channels ?? 1;
  const c = o.channel ?? 0;
  const step = Math.max(1, Math.ceil(size / (o.maxSide ?? 32)));
  const rows: SeriesRow[] = [];
  labels.forEach((label, k) => {
    const image = `${o.prefix ?? ''}${String(k + 1).padStart(2, '0')} ${label}`;
    for (let i = 0; i < size; i += step)
      for (let j = 0; j < size; j += step)
        rows.push({
          image,
          row: i / step,
          col: j / step,
          value: images[((k * size + i) * size + j) * ch + c]!,
        });
  });
  return rows;
}
