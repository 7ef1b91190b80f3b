import { describe, expect, it } from 'vitest';
import { imageGridPlot, renderPlotSvg } from '../plots/index.js';

describe('imageGridPlot', () => {
  it('draws one facet per image and one rect per pixel', async () => {
    const rows = ['01 a', '02 b'].flatMap((image) =>
      [0, 1, 2].flatMap((row) => [0, 1, 2].map((col) => ({ image, row, col, value: row * 3 + col }))),
    );
    const plot = imageGridPlot({ id: 'g', title: 'gallery', series: 's', columns: 2, cell: 30 });
    expect(plot.spec.facet).toMatchObject({ field: 'image' });
    const svg = await renderPlotSvg(plot, rows);
    expect(svg).toContain('01 a');
    expect(svg).toContain('02 b');
    expect((svg.match(/<path/g) ?? []).length).toBeGreaterThanOrEqual(18);
  });
});
