import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Catalog, DataSettings } from '../lib/protocol.js';
import type { RunSources } from '../lib/runSources.js';
import type { LiveRun } from './runState.js';
import type { WorkerClient } from './workerClient.js';

/** What every page may use. */
export interface AppServices {
  client: WorkerClient;
  /** The browser's runs and, under `paperlab ui`, the CLI's (read-only). */
  store: RunSources;
  catalog: Catalog;
  data: DataSettings;
  setData(data: DataSettings): void;
  live: LiveRun | null;
  /** Starts a run of the given request (fails if one is running). */
  startRun(request: import('../lib/protocol.js').RunRequestMessage): void;
  resume(runId: string): void;
  stop(): void;
  /** Bumped whenever the run history changed. */
  historyVersion: number;
  historyChanged(): void;
}

/** The app's services. */
export const Services = createContext<AppServices | null>(null);

/** The app's services (inside the provider). */
export function useServices(): AppServices {
  const s = useContext(Services);
  if (!s) throw new Error('useServices outside <Services.Provider>');
  return s;
}

/** Navigates within the app (hash routes). */
export function go(hash: string): void {
  if (location.hash !== hash) location.hash = hash;
}
