import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { PaperlabError } from '@paperlab/core';
import type { JsonObject } from '@paperlab/core/runs';
import type { FlagSpec } from './spec.js';

/** `--config <file>`: config values from a JSON or YAML file, merged over the preset and under `--set`. */
export const CONFIG_FLAG = {
  name: 'config',
  type: 'string',
  value: 'file',
  description:
    'config values from a JSON or YAML file (over --preset, under --set); --print-config writes one',
  examples: ['my-run.json', 'sweep.yaml'],
} as const satisfies FlagSpec;

/** `--print-config`: print the resolved config and exit without running. */
export const PRINT_CONFIG_FLAG = {
  name: 'print-config',
  type: 'boolean',
  description: 'print the resolved config (preset + --config + --set) as JSON and exit without running',
} as const satisfies FlagSpec;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads a config file (or, with `flag`, another file of settings such as a sweep file): `.yaml`/`.yml` as YAML (the
 * parser is loaded only then), anything else as JSON. The file holds one object (for `--config` the config values
 * `--print-config` prints); anything else is a config error naming the flag and the file.
 */
export async function readConfigFile(path: string, flag = '--config'): Promise<JsonObject> {
  const full = resolve(path);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PaperlabError(
      'E_CONFIG',
      `${flag}: cannot read ${full} (${code === 'ENOENT' ? 'no such file' : (err as Error).message}).`,
    );
  }
  const yaml = ['.yaml', '.yml'].includes(extname(full).toLowerCase());
  let value: unknown;
  try {
    value = yaml ? (await import('yaml')).parse(text) : JSON.parse(text);
  } catch (err) {
    throw new PaperlabError(
      'E_CONFIG',
      `${flag}: ${full} is not valid ${yaml ? 'YAML' : 'JSON'}: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  if (!isObject(value))
    throw new PaperlabError(
      'E_CONFIG',
      `${flag}: ${full} must hold one object${flag === '--config' ? ' of config values (e.g. {"steps": 400})' : ''}, got ${
        Array.isArray(value) ? 'a list' : value === null ? 'nothing' : typeof value
      }.`,
    );
  return value;
}
