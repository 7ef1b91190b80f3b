import { describe, expect, it } from 'vitest';
import { renderPlotSvg } from '../plots/render.js';
import { linePlot } from '../plots/specs.js';

// Issue 16 item 6: readable plots — series differ by dash as well as colour, error bars stay inside the plot,
// legend labels are never truncated.
describe('linePlot readability', () => {
  const rows = [1, 2, 4, 8].flatMap((x) => [
    { x, y: 1 / x, err: 5, parametrisation: 'a rather long series name that vega would truncate' },
    { x, y: 2 / x, err: 0.1, parametrisation: 'ntk' },
  ]);
  const plot = linePlot({
    id: 'p',
    title: 'P',
    series: 's',
    x: 'x',
    y: 'y',
    color: 'parametrisation',
    errorBar: 'err',
    logX: true,
  });

  it('dashes series apart, clips error bars to the plot, keeps legend labels whole', async () => {
    const svg = await renderPlotSvg(plot, rows);
    expect(svg).toMatch(/stroke-dasharray="[0-9]/);
    expect(svg).toContain('clip-path=');
    expect(svg).toContain('a rather long series name that vega would truncate');
  }, 60_000);
});
