/** Base class of paperlab's typed, actionable errors. */
export class PaperlabError extends Error {
  /** Stable machine-readable code, e.g. `E_CONFIG`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** One problem found in a config. */
export interface ConfigIssue {
  /** Dotted path, e.g. `widths[2]` or `train.lr`; `(root)` for the top level. */
  path: string;
  /** What was expected there. */
  expected: string;
  /** What was found, when known. */
  received?: string;
  /** A suggestion, e.g. `did you mean 'widths'?` for a misspelt key. */
  hint?: string;
}

/** A config failed validation; names each path and what was expected. */
export class ConfigError extends PaperlabError {
  readonly issues: ConfigIssue[];
  constructor(subject: string, issues: ConfigIssue[]) {
    const lines = issues.map(
      (i) =>
        `  - ${i.path}: expected ${i.expected}${i.received !== undefined ? `, got ${i.received}` : ''}` +
        (i.hint ? ` (${i.hint})` : ''),
    );
    super('E_CONFIG', `Invalid config for ${subject}:\n${lines.join('\n')}`);
    this.issues = issues;
  }
}

/** An id (experiment, component, plugin, run) that is not registered. */
export class UnknownIdError extends PaperlabError {
  readonly suggestions: string[];
  constructor(kind: string, id: string, known: string[]) {
    const suggestions = closest(id, known, 3);
    const hint = suggestions.length
      ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}?`
      : known.length
        ? ` Known: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', ...' : ''}.`
        : ` No ${kind}s are registered: is a plugin installed?`;
    super('E_UNKNOWN_ID', `Unknown ${kind} '${id}'.${hint}`);
    this.suggestions = suggestions;
  }
}

/** Two plugins registered the same id. */
export class DuplicateIdError extends PaperlabError {
  constructor(kind: string, id: string, firstOrigin: string, secondOrigin: string) {
    super(
      'E_DUPLICATE_ID',
      `Duplicate ${kind} id '${id}': registered by plugin '${firstOrigin}' and again by plugin '${secondOrigin}'.`,
    );
  }
}

/** A dataset could not be found; the message says where we looked and how to get it. */
export class DatasetNotFoundError extends PaperlabError {
  constructor(name: string, searched: string[], howToGet: string) {
    super(
      'E_DATASET_MISSING',
      `Dataset '${name}' was not found. Searched:\n${searched.map((s) => `  - ${s}`).join('\n')}\n` +
        `How to get it:\n${howToGet}`,
    );
  }
}

/** A run was stopped by its abort signal. */
export class RunInterruptedError extends PaperlabError {
  constructor(reason?: string) {
    super('E_INTERRUPTED', `Run interrupted${reason ? `: ${reason}` : ''}`);
  }
}

/** Throws {@link RunInterruptedError} when the signal has fired. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) {
    const reason = signal.reason;
    throw reason instanceof RunInterruptedError
      ? reason
      : new RunInterruptedError(
          reason instanceof Error ? reason.message : reason ? String(reason) : undefined,
        );
  }
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** Up to `n` known ids closest to `id` (substring matches first, then by edit distance). */
export function closest(id: string, known: string[], n: number): string[] {
  const lower = id.toLowerCase();
  const scored = known.map((k) => {
    const kl = k.toLowerCase();
    const bonus = kl.includes(lower) || lower.includes(kl.split('/').pop() ?? kl) ? -100 : 0;
    return { k, d: editDistance(lower, kl) + bonus };
  });
  const limit = Math.max(3, Math.ceil(id.length / 2));
  return scored
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, n)
    .map((s) => s.k);
}

/** A claim read a scalar the run did not write (or wrote as NaN/±Infinity): the claim is inconclusive. */
export class MissingScalarError extends PaperlabError {
  /** The scalar key that was read. */
  readonly key: string;
  constructor(key: string, value: number | undefined) {
    super(
      'E_MISSING_SCALAR',
      value === undefined
        ? `scalar '${key}' was not written by this run`
        : `scalar '${key}' is not finite (${value})`,
    );
    this.key = key;
  }
}
