import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';
import type { TrustProxy } from '../config.js';

/** Whether the address `hop` steps from this server is a proxy whose X-Forwarded-For entry may be believed. */
export type TrustFn = (address: string, hop: number) => boolean;

/** OSG_TRUST_PROXY as a function, compiled once; Express reads the same function as its `trust proxy`. */
export function compileTrustProxy(setting: TrustProxy): TrustFn {
  if (setting === false) return () => false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyAddr.compile(setting);
}

/**
 * The one place a client's address comes from, for REST requests and WebSocket upgrades alike: the socket's
 * peer, or, while that peer is a trusted proxy, the next address back in X-Forwarded-For.
 */
export function clientAddressOf(trust: TrustFn): (req: IncomingMessage) => string {
  return (req) => proxyAddr(req, trust);
}
