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
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Inline SVG marks for verdicts: drawn shapes, so they never depend on the reader's fonts. */
const GLYPH: Record<ClaimVerdict['verdict'], string> = {
  reproduced:
    '<svg class="g" viewBox="0 0 16 16" width="14" height="14" role="img" aria-label="reproduced"><circle cx="8" cy="8" r="7.5" fill="#1a7f37"/><path d="M4.3 8.4l2.5 2.5 4.9-5.3" stroke="#fff" stroke-width="2" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  'not-reproduced':
    '<svg class="g" viewBox="0 0 16 16" width="14" height="14" role="img" aria-label="not reproduced"><circle cx="8" cy="8" r="7.5" fill="#b42318"/><path d="M5.2 5.2l5.6 5.6M10.8 5.2l-5.6 5.6" stroke="#fff" stroke-width="2" stroke-linecap="round"/></svg>',
  inconclusive:
    '<svg class="g" viewBox="0 0 16 16" width="14" height="14" role="img" aria-label="inconclusive"><circle cx="8" cy="8" r="7.5" fill="#9a6700"/><path d="M4.5 8h7" stroke="#fff" stroke-width="2.2" stroke-linecap="round"/></svg>',
};

const WORD: Record<ClaimVerdict['verdict'], string> = {
  reproduced: 'reproduced',
  'not-reproduced': 'not reproduced',
  inconclusive: 'inconclusive',
};

function verdictHtml(c: ClaimVerdict): string {
  const now = `${GLYPH[c.verdict]} ${WORD[c.verdict]}`;
  if (!c.original) return now;
  return `${now}<br><small>revised ${escapeHtml(c.original.revisedOn)}: ${escapeHtml(c.original.reason)}; original rule &ldquo;${escapeHtml(c.original.rule.text)}&rdquo;: ${GLYPH[c.original.verdict]} ${WORD[c.original.verdict]}, measured ${escapeHtml(c.original.measured)}</small>`;
}

/** JSON with object keys sorted, so equal configs give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** FNV-1a (64-bit) of a config's canonical JSON, as 16 hex digits: equal configs, equal hash. */
export function configHash(config: unknown): string {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(canonicalJson(config))) {
    h ^= BigInt(byte);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

function htmlTable(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const td = (v: unknown) =>
    `<td${typeof v === 'number' ? ' class="n"' : ''}>${escapeHtml(typeof v === 'number' ? formatNumber(v) : String(v ?? ''))}</td>`;
  return `<table><thead><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map(td).join('')}</tr>`)
    .join('\n')}</tbody></table>`;
}

/**
 * A self-contained HTML report: everything the Markdown report has — the run's provenance (id, status, preset,
 * seed, backend, duration, plugin, config hash, versions, host), claims by kind with inline SVG verdict marks,
 * scalars, result tables, plots inlined as SVG, config and overrides — each section naming the run it comes from.
 */
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
          `<tr class="${c.verdict}"><td><b>${escapeHtml(c.id)}</b><br>${escapeHtml(c.statement)}${c.source ? `<br><i>paper: ${escapeHtml(c.source.where)}${c.source.value ? `, ${escapeHtml(c.source.value)}` : ''}</i>` : ''}</td><td class="v">${verdictHtml(c)}</td><td>${escapeHtml(c.measured)}</td><td>${escapeHtml(c.expected)}</td></tr>`,
      )
      .join('\n');
  const head = '<thead><tr><th>claim</th><th>verdict</th><th>measured</th><th>expected</th></tr></thead>';
  const counts = result ? escapeHtml(formatCounts(summarise(result.claims))) : 'no result';
  const backend = `${header.backend.name}${header.backend.fallbacks.length ? ` (after ${header.backend.fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('; ')})` : ''}`;
  const provenance: Array<[string, string]> = [
    ['run', header.id],
    ['status', header.status],
    ['experiment', header.experiment],
    ['plugin', `${header.plugin.packageName || header.plugin.name} ${header.plugin.version}`.trim()],
    ['preset', header.preset ?? '(defaults)'],
    ['seed', String(header.seed)],
    ['backend', backend],
    ['duration', header.durationMs !== undefined ? `${(header.durationMs / 1000).toFixed(1)} s` : '—'],
    ['started', header.createdAt],
    ['config hash', `${configHash(header.config)} (FNV-1a of the canonical config JSON)`],
    [
      'versions',
      Object.entries(header.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ],
    ['host', `${header.host.platform}${header.host.cpus ? `, ${header.host.cpus} CPUs` : ''}`],
  ];
  const scalars = Object.entries(result?.scalars ?? {}).map(([k, v]) => [k, v] as const);
  const tables = (result?.tables ?? [])
    .map((t) => `<h3>${escapeHtml(t.title)}</h3>${htmlTable(t.columns, t.rows)}`)
    .join('\n');
  const plots = (result?.plots ?? [])
    .filter((p) => svgs[p.id])
    .map((p) => `<figure><figcaption>${escapeHtml(p.title)}</figcaption>${svgs[p.id]}</figure>`)
    .join('\n');
  const warnings = (result?.warnings ?? [])
    .map((w) => `<p class="warn">warning: ${escapeHtml(w)}</p>`)
    .join('\n');
  const runRef = `<p class="ref">From run <code>${escapeHtml(header.id)}</code>.</p>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(header.experiment)} — ${escapeHtml(header.id)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:1040px;margin:2em auto;padding:0 1em;line-height:1.4}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f6f8fa}.g{vertical-align:-2px}td.v{white-space:nowrap}td.v small{white-space:normal;display:block;max-width:22em}.warn{color:#9a6700}.err{color:#b42318}.ref{color:#555;font-size:.9em}figure{margin:1em 0;overflow-x:auto}figure svg{max-width:100%;height:auto}pre{background:#f6f8fa;padding:.8em;overflow-x:auto}</style></head>
<body><h1>${escapeHtml(header.experiment)} — ${escapeHtml(header.paper.title)}</h1>
<p>${escapeHtml(header.paper.authors)} (${header.paper.year}). <a href="${escapeHtml(header.paper.url)}">${escapeHtml(header.paper.url)}</a></p>
<h2>Run</h2>${htmlTable(['', ''], provenance).replace('<thead><tr><th></th><th></th></tr></thead>', '')}
${header.error ? `<p class="err"><b>${escapeHtml(header.status)}</b>: ${escapeHtml(header.error.message)}</p>` : ''}${warnings}
<h2>Claims — ${counts}</h2>${paper.length ? `<h3>Paper claims</h3><table>${head}<tbody>${rows(paper)}</tbody></table>` : ''}${control.length ? `<h3>Controls <small>(checks this reproduction adds; not the paper's results)</small></h3><table>${head}<tbody>${rows(control)}</tbody></table>` : ''}${runRef}
<h2>Figures</h2>${htmlTable(['scalar', 'value'], scalars)}${tables}${plots}${runRef}
<h2>Config</h2><pre>${escapeHtml(JSON.stringify(header.config, null, 2))}</pre>${Object.keys(header.overrides).length ? `<p>Overrides on the preset: <code>${escapeHtml(JSON.stringify(header.overrides))}</code></p>` : ''}
<p class="ref">Run <code>${escapeHtml(header.id)}</code> · ${escapeHtml(header.experiment)} · seed ${header.seed} · config hash ${configHash(header.config)} · ${escapeHtml(
    Object.entries(header.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
  )}</p></body></html>`;
}
