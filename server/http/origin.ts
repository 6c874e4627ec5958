import type { IncomingMessage } from 'node:http';

/**
 * The request's Origin when it is cross-origin, undefined for same-origin or non-browser requests.
 * Browsers set both Origin and Host truthfully, so a page of this server (demo, admin) matches its Host.
 */
export function crossOrigin(req: IncomingMessage): string | undefined {
  const origin = req.headers.origin;
  if (origin === undefined || origin === '') return undefined;
  const host = req.headers.host;
  if (host && (origin === `http://${host}` || origin === `https://${host}`)) return undefined;
  return origin;
}
