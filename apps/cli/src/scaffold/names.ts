import { UsageError } from '../spec.js';

/** A paper slug: the first author's surname in lowercase and the year, with a suffix only to tell two apart. */
const SLUG = /^([a-z]+)(\d{4})([a-z0-9]*(?:-[a-z0-9]+)*)$/;

/** A plugin name: the namespace of its experiment ids (`ntk` in `ntk/jacot2018`). */
const PLUGIN_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** An npm package name, scoped or not. */
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

/** Checks a paper slug (`jacot2018`, `smith2020b`); returns its year. `command` names the command in errors. */
export function checkSlug(slug: string, command = 'new'): number {
  const m = SLUG.exec(slug);
  const example =
    'the first author’s surname in lowercase and the year, e.g. jacot2018 (a suffix such as jacot2018b only when two papers would collide)';
  if (!m) throw new UsageError(`'${slug}' is not a paper slug: it is ${example}.`, { command });
  const year = Number(m[2]);
  const next = new Date().getFullYear() + 1;
  if (year < 1900 || year > next)
    throw new UsageError(
      `'${slug}': ${year} is not a publication year (1900–${next}); a slug is ${example}.`,
      {
        command,
      },
    );
  return year;
}

/** Checks a plugin name (lowercase letters, digits and inner dashes, starting with a letter). */
export function checkPluginName(name: string, command = 'new'): void {
  if (!PLUGIN_NAME.test(name))
    throw new UsageError(
      `'${name}' is not a plugin name: use lowercase letters, digits and inner dashes, starting with a letter (e.g. gnn, time-series); it is the namespace of the experiment ids.`,
      { command },
    );
}

/** Checks an npm package name. */
export function checkPackageName(name: string, command = 'new'): void {
  if (!PACKAGE_NAME.test(name) || name.length > 214)
    throw new UsageError(
      `'${name}' is not an npm package name (e.g. paperlab-plugin-gnn or @scope/plugin-gnn).`,
      { command },
    );
}

/** The plugin name a package name implies: `@paperlab/plugin-ntk` and `paperlab-plugin-ntk` give `ntk`. */
export function impliedPluginName(packageName: string): string | undefined {
  return /^(?:@[^/]+\/)?(?:paperlab-)?plugin-([a-z0-9-]+)$/.exec(packageName)?.[1];
}

/** A slug as a JS identifier: `jacot2018` stays, `smith2020-vit` becomes `smith2020Vit`. */
export function identifierOf(slug: string): string {
  return slug.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** An identifier with its first letter in upper case: `Jacot2018`. */
export function typeNameOf(slug: string): string {
  const id = identifierOf(slug);
  return id.charAt(0).toUpperCase() + id.slice(1);
}

/** Text as a single-quoted JS string literal. */
export function jsString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}
