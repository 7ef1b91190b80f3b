import type { RunHeader } from './record.js';

/** How often a running run writes its heartbeat (ms). */
export const HEARTBEAT_MS = 10_000;

/**
 * After how long without a heartbeat a run counts as gone (ms). Generous, because a long synchronous step
 * delays heartbeats; on the runner's own machine a dead process is noticed at once through its pid.
 */
export const STALE_MS = 120_000;

/** What a store knows about the machine it reads on, to judge whether a recorded process is alive. */
export interface LivenessProbe {
  /** This machine's name; a recorded process on it is checked by pid. */
  hostname?: string;
  /** Whether a process with this id exists on this machine. */
  isAlive?(pid: number): boolean;
  /** Current time in ms (default `Date.now()`). */
  now?: number;
  /** Heartbeat age after which a run counts as gone (default {@link STALE_MS}). */
  staleMs?: number;
}

/** Why a `running` record is (or is not) still alive. */
export interface Liveness {
  alive: boolean;
  /** One line: pid, host, heartbeat age. */
  detail: string;
}

function age(iso: string | undefined, now: number): number {
  const t = iso ? Date.parse(iso) : Number.NaN;
  return Number.isFinite(t) ? now - t : Number.POSITIVE_INFINITY;
}

function seconds(ms: number): string {
  return Number.isFinite(ms) ? `${Math.max(0, Math.round(ms / 1000))} s ago` : 'never';
}

/**
 * Whether the process of a `running` record is alive: on this machine by its pid, elsewhere (or without a
 * pid) by its heartbeat's age. Records from before liveness use their last update as the heartbeat.
 */
export function runLiveness(header: RunHeader, probe: LivenessProbe = {}): Liveness {
  const now = probe.now ?? Date.now();
  const staleMs = probe.staleMs ?? STALE_MS;
  const live = header.live;
  const beat = age(live?.heartbeatAt ?? header.updatedAt, now);
  const where =
    live?.pid !== undefined ? `pid ${live.pid}${live.hostname ? ` on ${live.hostname}` : ''}, ` : '';
  const detail = `${where}last heartbeat ${seconds(beat)}`;
  if (
    live?.pid !== undefined &&
    live.hostname !== undefined &&
    live.hostname === probe.hostname &&
    probe.isAlive
  )
    return { alive: probe.isAlive(live.pid), detail };
  return { alive: beat <= staleMs, detail };
}

/** The header as a reader should see it: a `running` record whose process is gone reads as `crashed`. */
export function withDerivedStatus(header: RunHeader, probe: LivenessProbe = {}): RunHeader {
  if (header.status !== 'running' || runLiveness(header, probe).alive) return header;
  return { ...header, status: 'crashed' };
}
