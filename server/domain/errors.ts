import type { ErrorBody, ErrorCode } from '../protocol.js';
import { StoreUnavailableError } from '../store/store.js';

/** A refusal the domain means to give: its code is stable and reaches the client unchanged. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: Omit<ErrorBody, 'code' | 'message'>;

  constructor(code: ErrorCode, message: string, details: Omit<ErrorBody, 'code' | 'message'> = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, ...this.details };
  }
}

/**
 * A store that refuses writes for now (full disk, shutting down) is `unavailable` with its reason in the
 * message (e.g. `storage_full`) and when to retry; anything else becomes `internal` so that no stack trace or
 * stored data leaks to a client.
 */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof DomainError) return err.toBody();
  if (err instanceof StoreUnavailableError) return { code: 'unavailable', message: err.message, retryAfterMs: err.retryAfterMs };
  return { code: 'internal', message: 'Internal server error' };
}
