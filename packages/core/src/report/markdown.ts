import type { ClaimVerdict } from '../contracts/claim.js';
import { formatCounts, summarise } from '../runs/claims.js';
import type { RunHeader, RunResult } from '../runs/record.js';

const ICON: Record<ClaimVerdict['verdict'], string> = {
  reproduced: '✅ reproduced',
  'not-reproduced': '❌ not reproduced',
  inconclusive: '⚠️ inconclusive',
};

function cell(value: unknown): string {
  const text = typeof value === 'number' ? formatNumber(value) : String(value ?? '');
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Formats a number compactly for tables (4 significant digits, exponents for extremes). */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3);
  return Number(v.toPrecision(4)).toString();
}

/** A Markdown table. */
export function markdownTable(columns: string[], rows: unknown[][]): string {
  const head = `| ${columns.map(cell).join(' | ')} |`;
  const sep = `| ${columns.map(() => '---').join(' | ')} |`;
  return [head, sep, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

/** Paper claims first, then controls (records without kinds count as paper claims). */
export function claimsByKind(claims: ClaimVerdict[]): { paper: ClaimVerdict[]; control: ClaimVerdict[] } {
  return {
    paper: claims.filter((c) => (c.kind ?? 'paper') === 'paper'),
    control: claims.filter((c) => c.kind === 'control'),
  };
}

function claimText(c: ClaimVerdict): string {
  const where = c.source ? ` (paper: ${c.source.where}${c.source.value ? `, ${c.source.value}` : ''})` : '';
  return `**${c.id}** — ${c.statement}${where}`;
}

function verdictText(c: ClaimVerdict): string {
  if (!c.original) return ICON[c.verdict];
  return `${ICON[c.verdict]} (revised ${c.original.revisedOn}: ${c.original.reason}; original rule: ${ICON[c.original.verdict]})`;
}

/** The claims tables of a run: paper claims, then controls, each with verdict, measured and expected. */
export function claimsTable(claims: ClaimVerdict[]): string {
  const { paper, control } = claimsByKind(claims);
  const table = (cs: ClaimVerdict[]) =>
    markdownTable(
      ['claim', 'verdict', 'measured', 'expected'],
      cs.map((c) => [claimText(c), verdictText(c), c.measured, c.expected]),
    );
  const parts: string[] = [];
  if (paper.length) parts.push(`**Paper claims**\n\n${table(paper)}`);
  if (control.length)
    parts.push(`**Controls** (checks this reproduction adds; not the paper's results)\n\n${table(control)}`);
  return parts.join('\n\n');
}

/** A Markdown report of a run: paper, setup, claims, figures, tables, plots (linked SVG files). */
export function markdownReport(
  header: RunHeader,
  result: RunResult | undefined,
  plotFiles: Record<string, string> = {},
): string {
  const lines: string[] = [];
  lines.push(`# ${header.experiment} — ${header.paper.title}`);
  lines.push('');
  lines.push(`${header.paper.authors} (${header.paper.year}). <${header.paper.url}>`);
  lines.push('');
  lines.push(
    markdownTable(
      ['run', 'status', 'preset', 'seed', 'backend', 'duration'],
      [
        [
          header.id,
          header.status,
          header.preset ?? '(defaults)',
          header.seed,
          `${header.backend.name}${header.backend.fallbacks.length ? ` (after ${header.backend.fallbacks.map((f) => f.backend).join(', ')})` : ''}`,
          header.durationMs !== undefined ? `${(header.durationMs / 1000).toFixed(1)} s` : '—',
        ],
      ],
    ),
  );
  lines.push('');
  if (header.error) {
    lines.push(`> **${header.status}**: ${header.error.message}`);
    lines.push('');
  }
  if (result) {
    lines.push(`## Claims — ${formatCounts(summarise(result.claims))}`);
    lines.push('');
    lines.push(claimsTable(result.claims));
    lines.push('');
    lines.push('## Figures');
    lines.push('');
    lines.push(
      markdownTable(
        ['scalar', 'value'],
        Object.entries(result.scalars).map(([k, v]) => [k, v]),
      ),
    );
    lines.push('');
    for (const table of result.tables ?? []) {
      lines.push(`### ${table.title}`);
      lines.push('');
      lines.push(markdownTable(table.columns, table.rows));
      lines.push('');
    }
    for (const plot of result.plots ?? []) {
      const file = plotFiles[plot.id];
      if (!file) continue;
      lines.push(`### ${plot.title}`);
      lines.push('');
      lines.push(`![${plot.title}](${file})`);
      lines.push('');
    }
  }
  lines.push('## Config');
  lines.push('');
  lines.push('```json');
  lines.push(JSON.stringify(header.config, null, 2));
  lines.push('```');
  lines.push('');
  lines.push(
    `Versions: ${Object.entries(header.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
  );
  lines.push('');
  return lines.join('\n');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A self-contained HTML report (plots inlined as SVG). */
export function htmlReport(
  header: RunHeader,
  result: RunResult | undefined,
  svgs: Record<string, string> = {},
): string {
  const { paper, control } = claimsByKind(result?.claims ?? []);
  const rows = (cs: ClaimVerdict[]) =>
    cs
      .map(
        (c) =>
          `<tr class="${c.verdict}"><td><b>${escapeHtml(c.id)}</b><br>${escapeHtml(c.statement)}${c.source ? `<br><i>paper: ${escapeHtml(c.source.where)}${c.source.value ? `, ${escapeHtml(c.source.value)}` : ''}</i>` : ''}</td><td>${escapeHtml(verdictText(c))}</td><td>${escapeHtml(c.measured)}</td><td>${escapeHtml(c.expected)}</td></tr>`,
      )
      .join('\n');
  const head = '<tr><th>claim</th><th>verdict</th><th>measured</th><th>expected</th></tr>';
  const counts = result ? escapeHtml(formatCounts(summarise(result.claims))) : '';
  const scalars = Object.entries(result?.scalars ?? {})
    .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${formatNumber(v)}</td></tr>`)
    .join('\n');
  const plots = (result?.plots ?? [])
    .filter((p) => svgs[p.id])
    .map((p) => `<figure><figcaption>${escapeHtml(p.title)}</figcaption>${svgs[p.id]}</figure>`)
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(header.experiment)} — ${escapeHtml(header.id)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}.reproduced td:nth-child(2){color:#070}.not-reproduced td:nth-child(2){color:#a00}</style></head>
<body><h1>${escapeHtml(header.experiment)} — ${escapeHtml(header.paper.title)}</h1>
<p>${escapeHtml(header.paper.authors)} (${header.paper.year}). <a href="${escapeHtml(header.paper.url)}">${escapeHtml(header.paper.url)}</a></p>
<p>Run <code>${escapeHtml(header.id)}</code>: ${header.status}, preset ${escapeHtml(header.preset ?? '(defaults)')}, seed ${header.seed}, backend ${escapeHtml(header.backend.name)}.</p>
<h2>Claims — ${counts}</h2>${paper.length ? `<h3>Paper claims</h3><table>${head}${rows(paper)}</table>` : ''}${control.length ? `<h3>Controls</h3><table>${head}${rows(control)}</table>` : ''}
<h2>Figures</h2><table>${scalars}</table>${plots}
<h2>Config</h2><pre>${escapeHtml(JSON.stringify(header.config, null, 2))}</pre></body></html>`;
}
