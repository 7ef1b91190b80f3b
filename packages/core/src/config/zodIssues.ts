import { z } from 'zod';
import { type ConfigIssue, closest } from '../util/errors.js';

/** Formats a path like `train.widths[2]`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

type JsonSchema = { properties?: Record<string, JsonSchema>; items?: JsonSchema; anyOf?: JsonSchema[] };

function schemaAt(root: JsonSchema | undefined, path: ReadonlyArray<PropertyKey>): JsonSchema | undefined {
  let node = root;
  for (const part of path) {
    if (!node) return undefined;
    if (typeof part === 'number') node = node.items;
    else
      node =
        node.properties?.[String(part)] ??
        node.anyOf?.find((s) => s.properties?.[String(part)])?.properties?.[String(part)];
  }
  return node;
}

/** `{ hint: "did you mean 'widths'?" }` for unknown keys close to a known one (nothing when none is). */
function didYouMean(keys: readonly string[], known: string[]): { hint?: string } {
  const near = keys.flatMap((k) => {
    const [best] = closest(k, known, 1);
    return best ? [`'${best}'${keys.length > 1 ? ` for '${k}'` : ''}`] : [];
  });
  return near.length ? { hint: `did you mean ${near.join(', ')}?` } : {};
}

/** Turns zod issues into path + expected-value descriptions; unknown keys list the valid ones. */
export function formatZodIssues(error: z.ZodError, schema?: z.ZodType): ConfigIssue[] {
  let json: JsonSchema | undefined;
  const jsonSchema = (): JsonSchema | undefined => {
    if (json === undefined && schema) {
      try {
        json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
      } catch {
        json = {};
      }
    }
    return json;
  };
  return error.issues.map((issue): ConfigIssue => {
    const path = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      const known = Object.keys(schemaAt(jsonSchema(), issue.path)?.properties ?? {});
      return {
        path: issue.keys.map((k) => formatPath([...issue.path, k])).join(', '),
        expected: known.length ? `a known key (one of: ${known.join(', ')})` : 'no key here',
        received: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`,
        ...didYouMean(issue.keys, known),
      };
    }
    const m = /expected (.+?)(?:, received (.+))?$/.exec(issue.message);
    if (m) {
      const out: ConfigIssue = { path, expected: m[1]! };
      if (m[2]) out.received = m[2];
      return out;
    }
    return { path, expected: issue.message };
  });
}
