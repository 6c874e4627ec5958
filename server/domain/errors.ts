import type { ErrorBody, ErrorCode } from '../protocol.js';

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

/** Anything else becomes `internal` so that no stack trace or stored data leaks to a client. */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof DomainError) return err.toBody();
  return { code: 'internal', message: 'Internal server error' };
}
