// Debian packages a suite needs, installed idempotently where apt-get can run (root or passwordless sudo).
// Nothing is installed when every package is already there; where apt-get is missing or not allowed, a
// visible line says what is missing and how to get it, and the caller decides what to skip.
import { execFileSync, spawnSync } from 'node:child_process';

function quiet(cmd, args) {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  } catch {
    return null;
  }
}

// dpkg-query's format field, written without a template-like literal.
const STATUS_FORMAT = `-f=$${['{', 'Status', '}'].join('')}`;

/** Whether the Debian package `pkg` is installed (dpkg's status). */
export function debInstalled(pkg) {
  return (quiet('dpkg-query', ['-W', STATUS_FORMAT, pkg]) ?? '').includes('install ok installed');
}

/**
 * Installs the missing ones of `packages` with apt-get. Returns the packages still missing afterwards and a
 * note for the report when something could not be installed.
 * @param {string[]} packages
 * @param {(msg: string) => void} log
 * @returns {{ missing: string[], note?: string }}
 */
export function ensureDebianPackages(packages, log) {
  if (quiet('dpkg-query', ['--version']) === null) {
    const note = `not a Debian system (no dpkg-query); skipped installing ${packages.join(', ')}`;
    log(note);
    return { missing: packages, note };
  }
  const missing = packages.filter((p) => !debInstalled(p));
  if (missing.length === 0) return { missing };
  if (quiet('apt-get', ['--version']) === null) {
    const note = `apt-get not available; missing Debian packages: ${missing.join(', ')}`;
    log(note);
    return { missing, note };
  }
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = root ? [] : quiet('sudo', ['-n', 'true']) !== null ? ['sudo', '-n'] : null;
  if (sudo === null) {
    const note = `cannot install ${missing.join(', ')} without root; run: sudo apt-get install -y ${missing.join(' ')}`;
    log(note);
    return { missing, note };
  }
  log(`installing Debian packages: ${missing.join(', ')}`);
  const apt = (args) => {
    const [cmd, ...pre] = sudo.length ? [...sudo, 'apt-get'] : ['apt-get'];
    return spawnSync(cmd, [...pre, ...args], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status;
  };
  if (apt(['install', '-y', '--no-install-recommends', ...missing]) !== 0) {
    apt(['update']);
    apt(['install', '-y', '--no-install-recommends', ...missing]);
  }
  const still = missing.filter((p) => !debInstalled(p));
  if (still.length === 0) return { missing: still };
  const note = `apt-get could not install ${still.join(', ')}`;
  log(note);
  return { missing: still, note };
}
