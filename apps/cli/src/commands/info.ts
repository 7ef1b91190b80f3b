import { type Claim, z } from '@paperlab/core';
import { defineCommand } from '../spec.js';
import { textTable } from '../ui/format.js';

interface JsonSchemaNode {
  type?: string | string[];
  default?: unknown;
  description?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  minimum?: number;
  maximum?: number;
}

/** Flattens a JSON schema into `path  type  default  description` rows (the `--set` flags). */
export function configFlags(schema: JsonSchemaNode, prefix = ''): Array<[string, string, string, string]> {
  const rows: Array<[string, string, string, string]> = [];
  for (const [key, node] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (node.type === 'object' && node.properties) {
      rows.push(...configFlags(node, path));
      continue;
    }
    let type = Array.isArray(node.type) ? node.type.join('|') : (node.type ?? 'any');
    if (node.enum) type = node.enum.map(String).join('|');
    if (node.type === 'array' && node.items?.type) type = `${node.items.type}[]`;
    const big = (x: number | undefined) => x === undefined || Math.abs(x) >= Number.MAX_SAFE_INTEGER;
    const range =
      !big(node.minimum) || !big(node.maximum)
        ? ` [${big(node.minimum) ? '' : node.minimum}..${big(node.maximum) ? '' : node.maximum}]`
        : '';
    rows.push([
      path,
      type + range,
      node.default === undefined ? '' : JSON.stringify(node.default),
      node.description ?? '',
    ]);
  }
  return rows;
}

/** A claim as `info --json` shows it: kind (a claim without one is a paper claim), source, rule and revision. */
export function claimJson(c: Claim) {
  return {
    id: c.id,
    statement: c.statement,
    kind: c.kind ?? 'paper',
    source: c.source ?? null,
    rule: c.rule ?? null,
    revision: c.revision ? { date: c.revision.date, reason: c.revision.reason, rule: c.revision.rule } : null,
  };
}

/** The claims of an experiment as text: paper claims (with the paper's words and place), then controls. */
export function claimLines(claims: readonly Claim[]): string[] {
  const paper = claims.filter((c) => (c.kind ?? 'paper') === 'paper');
  const control = claims.filter((c) => c.kind === 'control');
  const lines: string[] = [];
  const one = (c: Claim) => {
    lines.push(`  - ${c.id}: ${c.statement}`);
    if (c.source) {
      lines.push(
        `      paper (${c.source.where}): "${c.source.quote}"${c.source.value ? ` — ${c.source.value}` : ''}`,
      );
      if (c.source.restated) lines.push(`      restated at this scale: ${c.source.restated}`);
    }
    if (c.rule) lines.push(`      rule: ${c.rule.text}`);
    if (c.revision)
      lines.push(`      revised ${c.revision.date} (${c.revision.reason}): ${c.revision.rule.text}`);
  };
  lines.push(`Paper claims (${paper.length}):`);
  if (paper.length === 0) lines.push('  (none)');
  paper.forEach(one);
  if (control.length) {
    lines.push('', `Controls (${control.length}; checks this reproduction adds, not the paper's results):`);
    control.forEach(one);
  }
  return lines;
}

/** `paperlab info <experiment>`: paper card, claims, presets, config flags. */
export const infoSpec = defineCommand({
  name: 'info',
  summary: 'paper card, claims, presets and every config flag (--set path=value)',
  args: [
    {
      name: 'experiment',
      required: true,
      description: "experiment id, e.g. ntk/jacot2018 ('paperlab list')",
    },
  ],
  flags: [],
  examples: ['paperlab info ntk/jacot2018', 'paperlab info ntk/jacot2018 --json'],
  async run({ args }, { io, global: opts, lab }) {
    const e = (await lab()).experiment(args.experiment);
    const schema = z.toJSONSchema(e.config, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
    if (opts.json) {
      io.json({
        id: e.id,
        paper: e.paper,
        summary: e.summary,
        claims: e.claims.map(claimJson),
        presets: e.presets,
        configSchema: schema,
      });
      return 0;
    }
    io.out(`${e.id} — ${e.paper.title}`);
    io.out(`${e.paper.authors} (${e.paper.year}${e.paper.venue ? `, ${e.paper.venue}` : ''}) ${e.paper.url}`);
    io.out('');
    io.out(e.summary);
    io.out('');
    for (const line of claimLines(e.claims)) io.out(line);
    io.out('');
    io.out(`Presets: ${Object.keys(e.presets).join(', ')} (paper is the default; smoke takes seconds)`);
    for (const [name, value] of Object.entries(e.presets)) io.out(`  ${name}: ${JSON.stringify(value)}`);
    io.out('');
    io.out('Config (override with --set path=value):');
    io.out(
      textTable(['path', 'type', 'default', 'description'], configFlags(schema), { priority: [10, 6, 7, 1] }),
    );
    return 0;
  },
});
