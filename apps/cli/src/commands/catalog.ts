import type { Lab } from '@paperlab/core';
import { z } from '@paperlab/core';
import type { GlobalOptions, Io } from '../context.js';
import { textTable } from '../ui/format.js';

/** `paperlab list`: plugins and their experiments. */
export function listCommand(lab: Lab, io: Io, opts: GlobalOptions): number {
  const experiments = lab.listExperiments();
  if (opts.json) {
    io.json({
      plugins: lab.listPlugins(),
      experiments: experiments.map((e) => ({
        id: e.id,
        paper: e.paper,
        claims: e.claims.length,
        presets: Object.keys(e.presets),
      })),
    });
    return 0;
  }
  const plugins = lab.listPlugins();
  if (plugins.length === 0) {
    io.out('No paperlab plugins found. Install one, e.g. npm i @paperlab/plugin-ntk');
    return 0;
  }
  io.out(
    textTable(
      ['plugin', 'version', 'experiments', 'description'],
      plugins.map((p) => [p.packageName, p.version, lab.listExperiments(p.name).length, p.description]),
    ),
  );
  io.out('');
  if (experiments.length) {
    io.out(
      textTable(
        ['experiment', 'year', 'claims', 'paper'],
        experiments.map((e) => [e.id, e.paper.year, e.claims.length, e.paper.title]),
      ),
    );
  }
  return 0;
}

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

/** `paperlab info <id>`: paper card, claims, presets, config flags. */
export function infoCommand(lab: Lab, io: Io, opts: GlobalOptions, id: string): number {
  const e = lab.experiment(id);
  const schema = z.toJSONSchema(e.config, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  if (opts.json) {
    io.json({
      id: e.id,
      paper: e.paper,
      summary: e.summary,
      claims: e.claims.map((c) => ({ id: c.id, statement: c.statement })),
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
  io.out('Claims:');
  for (const c of e.claims) io.out(`  - ${c.id}: ${c.statement}`);
  io.out('');
  io.out(`Presets: ${Object.keys(e.presets).join(', ')} (paper is the default; smoke takes seconds)`);
  for (const [name, value] of Object.entries(e.presets)) io.out(`  ${name}: ${JSON.stringify(value)}`);
  io.out('');
  io.out('Config (override with --set path=value):');
  io.out(textTable(['path', 'type', 'default', 'description'], configFlags(schema), 70));
  return 0;
}
