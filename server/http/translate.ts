import type { Request, Response } from 'express';
import type { z } from 'zod';
import { DomainError, toErrorBody } from '../domain/errors.js';
import { HTTP_STATUS } from '../protocol.js';

/** Sends a domain error as `{ error }` with the status its code maps to. */
export function fail(res: Response, err: unknown): void {
  const body = toErrorBody(err);
  if (body.retryAfterMs !== undefined) res.setHeader('Retry-After', String(Math.ceil(body.retryAfterMs / 1000)));
  res.status(HTTP_STATUS[body.code]).json({ error: body });
}

/** The bearer token of a request, if any; a malformed Authorization header is refused. */
export function bearer(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer ([A-Za-z0-9._-]{1,512})$/.exec(header);
  if (!match) throw new DomainError('unauthorized', 'Authorization must be "Bearer <token>"');
  return match[1];
}

/** Validates a body or query against its protocol schema, naming the first offending field. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.') || undefined;
  throw new DomainError('bad_request', field ? `${field}: ${issue.message}` : issue.message, field ? { field } : {});
}
