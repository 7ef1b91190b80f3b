import type { MainToWorker, WorkerToMain } from '../lib/protocol.js';

type Listener = (message: WorkerToMain) => void;
type Request = Extract<MainToWorker, { id: number }>;
type Reply = Extract<WorkerToMain, { id: number }>;
/** A request without its id (distributes over the union, unlike a plain Omit). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** The page's handle on the run worker: messages out, a listener set in, request/response by id. */
export class WorkerClient {
  private worker: Worker;
  private readonly listeners = new Set<Listener>();
  private readonly waiting = new Map<number, (reply: Reply) => void>();
  private nextId = 1;

  constructor() {
    this.worker = this.spawn();
  }

  private spawn(): Worker {
    const worker = new Worker(new URL('../worker/runWorker.ts', import.meta.url), {
      type: 'module',
      name: 'paperlab-run',
    });
    worker.onmessage = (e: MessageEvent<WorkerToMain>) => {
      const msg = e.data;
      if ('id' in msg) {
        this.waiting.get(msg.id)?.(msg);
        this.waiting.delete(msg.id);
      }
      for (const l of this.listeners) l(msg);
    };
    worker.onerror = (e) => {
      const message = `The run worker failed: ${e.message || 'could not load (see the browser console)'}`;
      for (const l of this.listeners) l({ type: 'error', message });
    };
    return worker;
  }

  /** Sends a message. */
  send(message: MainToWorker): void {
    this.worker.postMessage(message);
  }

  /** Sends a request and resolves with the reply carrying the same id. */
  request<R extends Reply>(message: WithoutId<Request>): Promise<R> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, (reply) => resolve(reply as R));
      this.send({ ...message, id } as Request);
    });
  }

  /** Subscribes to every message; returns the unsubscribe function. */
  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Kills a worker stuck in a long computation and starts a fresh one (a new `init` is needed). */
  restart(): void {
    this.worker.terminate();
    this.waiting.clear();
    this.worker = this.spawn();
  }
}
