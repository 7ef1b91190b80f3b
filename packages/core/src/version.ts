/** The version of @paperlab/core (kept in sync with package.json by a test). */
export const CORE_VERSION = '0.1.0';

/** Returns a warning when a plugin's core range does not admit this core's major version. */
export function checkCoreRange(range: string): string | undefined {
  const m = /^\s*[\^~]?\s*(\d+)\.(\d+)/.exec(range);
  if (!range.trim())
    return 'declares no @paperlab/core range: add a peerDependency on @paperlab/core to its package.json';
  if (!m) return `declares an unreadable core range '${range}'`;
  const [cMajor, cMinor] = CORE_VERSION.split('.').map(Number) as [number, number];
  const major = Number(m[1]);
  const minor = Number(m[2]);
  // Under 1.0 a minor bump is breaking, as in semver's caret semantics.
  const compatible = major === cMajor && (major > 0 || minor === cMinor);
  return compatible
    ? undefined
    : `built for @paperlab/core ${range}, but ${CORE_VERSION} is installed; it may not work`;
}
