import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AdminError } from '../i18n.js';
import { toAdminError } from './officer-api.js';

export type LoadState<T> =
  | { status: 'idle' }
  | { status: 'loading'; value?: T }
  | { status: 'done'; value: T }
  | { status: 'error'; error: AdminError; value?: T };

/**
 * Runs one async read for a section and keeps its state (loading, done, error) for render(). A newer run wins:
 * an answer that arrives after a later request started is dropped, so a quick filter change never shows stale
 * rows.
 */
export class LoadController<T> implements ReactiveController {
  state: LoadState<T> = { status: 'idle' };
  private run = 0;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    // Drops answers that arrive after the section left the page.
    this.run++;
  }

  get value(): T | undefined {
    return 'value' in this.state ? this.state.value : undefined;
  }

  /** Starts `load`; keeps the previous value visible while it runs. */
  async load(load: () => Promise<T>): Promise<void> {
    const run = ++this.run;
    this.state = { status: 'loading', value: this.value };
    this.host.requestUpdate();
    try {
      const value = await load();
      if (run !== this.run) return;
      this.state = { status: 'done', value };
    } catch (error) {
      if (run !== this.run) return;
      this.state = { status: 'error', error: toAdminError(error), value: this.value };
    }
    this.host.requestUpdate();
  }

  /** Replaces the value after a change the section made itself (an approval, a removal). */
  set(value: T): void {
    this.state = { status: 'done', value };
    this.host.requestUpdate();
  }

  reset(): void {
    this.run++;
    this.state = { status: 'idle' };
    this.host.requestUpdate();
  }
}
