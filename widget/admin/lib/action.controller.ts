import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AdminError } from '../i18n.js';
import { toAdminError } from './officer-api.js';

/**
 * One officer action at a time for a section (approve, restore, revoke…): which one runs, and what the last one
 * failed with. Sections disable every action button while `busy` is set, so a double click cannot act twice.
 */
export class ActionController<K extends string = string> implements ReactiveController {
  /** The key of the running action (a request or post id, or an action name). */
  busy?: K;
  /** The last action's failure and the key it ran for, to show beside that item. */
  failure?: { key: K; error: AdminError };

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** The failure of the last action if it ran for `key`. */
  errorFor(key: K): AdminError | undefined {
    return this.failure?.key === key ? this.failure.error : undefined;
  }

  clearFailure(): void {
    this.failure = undefined;
    this.host.requestUpdate();
  }

  /**
   * Runs `action` for `key` unless one is already running. A failure is kept for render() and returned, not
   * thrown; undefined means it succeeded (or did not run).
   */
  async run(key: K, action: () => Promise<void>): Promise<AdminError | undefined> {
    if (this.busy !== undefined) return undefined;
    this.busy = key;
    this.failure = undefined;
    this.host.requestUpdate();
    try {
      await action();
    } catch (error) {
      this.failure = { key, error: toAdminError(error) };
    } finally {
      this.busy = undefined;
      this.host.requestUpdate();
    }
    return this.failure?.error;
  }
}
