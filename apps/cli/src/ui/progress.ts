import type { ProgressEvent, RunSink } from '@paperlab/core/runs';
import { duration } from './format.js';

/** Draws one live progress line on a TTY (stderr); prints nothing when not a TTY. */
export class ProgressLine implements RunSink {
  private readonly stream: NodeJS.WriteStream;
  private readonly enabled: boolean;
  private readonly start = Date.now();
  private last = 0;
  private lastText = '';
  private current: ProgressEvent | undefined;

  constructor(stream: NodeJS.WriteStream = process.stderr, enabled = !!stream.isTTY) {
    this.stream = stream;
    this.enabled = enabled;
  }

  onProgress(event: ProgressEvent): void {
    if (!this.enabled) return;
    if (event.done) {
      if (this.current?.task === event.task) this.current = undefined;
      return;
    }
    this.current = event;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    this.draw();
  }

  onLog(level: 'info' | 'warn', message: string): void {
    if (level === 'warn' || this.enabled) {
      this.clear();
      this.stream.write(`${level === 'warn' ? 'warning: ' : ''}${message}\n`);
      if (this.current) this.draw();
    }
  }

  private draw(): void {
    const e = this.current!;
    const cols = Math.max(40, (this.stream.columns ?? 100) - 1);
    const elapsed = duration(Date.now() - this.start);
    let text: string;
    if (e.total) {
      const frac = Math.min(1, e.current / e.total);
      const barW = 20;
      const filled = Math.round(frac * barW);
      text = `[${'█'.repeat(filled)}${'░'.repeat(barW - filled)}] ${e.current}/${e.total} ${e.label}${e.status ? ` · ${e.status}` : ''} · ${elapsed}`;
    } else {
      text = `${e.label} ${e.current}${e.status ? ` · ${e.status}` : ''} · ${elapsed}`;
    }
    text = text.slice(0, cols);
    if (text === this.lastText) return;
    this.lastText = text;
    this.stream.write(`\r\u001b[2K${text}`);
  }

  /** Erases the line (call before printing results). */
  clear(): void {
    if (this.enabled && this.lastText) {
      this.stream.write('\r\u001b[2K');
      this.lastText = '';
    }
  }
}
