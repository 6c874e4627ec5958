import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import proxyAddr from 'proxy-addr';
import { z } from 'zod';
import { defaultTrackingPrefix, siteFollowUpProblems, siteFollowUpSettingsSchema } from './domain/follow-up/calendar.js';
import { DEFAULT_CATEGORIES, DEMO_SITE, type SiteSettings } from './domain/sites.js';
import type { OfficerAccount } from './domain/officer-accounts.js';
import type { SessionSettings } from './domain/officer-sessions.js';
import { DEFAULT_TRUST_RULES, type TrustRules } from './domain/trust.js';
import type { LogLevel } from './log.js';
import { ConfigError, describeIssues } from './config-error.js';
import { loadOfficers } from './config-officers.js';

export { ConfigError } from './config-error.js';
// The officers file has its own module; these stay importable from here.
export { readOfficersFile, watchOfficersFile } from './config-officers.js';

/** Everything the server reads from its environment, validated once at start-up. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Public origins of this server (e.g. https://konsultasi.example.go.id); always allowed. */
  publicOrigins: string[];
  secret: Buffer;
  tokenTtlSeconds: number;
  sites: SiteSettings[];
  logLevel: LogLevel;
  heartbeatMs: number;
  /** A WebSocket whose unsent data passes this many bytes is dropped rather than buffered. */
  maxBufferedBytes: number;
  /** Protocol 2: list changes of a site are coalesced into one `digest` frame per client per this many ms. */
  fanoutWindowMs: number;
  eventRetention: number;
  snapshotEvery: number;
  /** How long SIGTERM waits for in-flight work before exiting anyway. */
  shutdownGraceMs: number;
  trust: TrustRules;
  officers: OfficerAccount[];
  /** Watched while the server runs: changes take effect without a restart (watchOfficersFile). */
  officersFile: string;
  /** Whose X-Forwarded-For to believe for the client's address (rate limits): see TrustProxy. */
  trustProxy: TrustProxy;
  officerSessions: SessionSettings;
  /** How often the follow-up clock pass runs (SLA states, escalations, auto-close, timed queue rules). */
  followUpClockMs: number;
  /** Set: the PostgreSQL store instead of the JSON store in dataDir. */
  database?: DatabaseConfig;
  /** Set (only with `database`): events, rate limits and login lockouts shared between instances on Redis. */
  redis?: RedisConfig;
}

export interface RedisConfig {
  /** redis://[user:password@]host:port[/db] or rediss:// (TLS) */
  url: string;
  /** Starts every key and channel name, so that several deployments (or test runs) can share one Redis. */
  prefix: string;
}

export interface DatabaseConfig {
  /** postgres://user:password@host:port/database */
  url: string;
  poolSize: number;
}

/**
 * Express's `trust proxy` values: `false` (the socket's peer is the client), a number of proxy hops, or
 * addresses, CIDR ranges and the names `loopback`, `linklocal`, `uniquelocal`.
 */
export type TrustProxy = false | number | string[];

const origin = z
  .string()
  .url()
  .refine((u) => /^https?:\/\/[^/]+$/.test(u), 'an origin is scheme://host[:port] with no path or trailing slash');

const SiteSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'site id: lowercase letters, digits and -, at most 40'),
  name: z.string().min(1).max(120),
  origins: z.array(origin).default([]),
  categories: z
    .array(z.strictObject({ id: z.string().regex(/^[a-z0-9-]{1,40}$/), label: z.strictObject({ id: z.string().min(1).max(60), en: z.string().min(1).max(60) }) }))
    .min(1)
    .default(DEFAULT_CATEGORIES),
  languages: z.array(z.enum(['id', 'en'])).min(1).default(['id', 'en']),
  // Follow-up settings sit beside the others (docs/FOLLOW-UP.md, "Site settings"); each has a default.
  ...siteFollowUpSettingsSchema.shape,
});

const int = (name: string, min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`)
    .default(fallback);

const EnvSchema = z.object({
  PORT: int('PORT', 0, 65535, 8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  OSG_DATA_DIR: z.string().min(1).default('./data'),
  OSG_PUBLIC_ORIGINS: z.string().optional(),
  OSG_SECRET: z.string().min(32, 'OSG_SECRET must be at least 32 characters').optional(),
  OSG_TOKEN_TTL_DAYS: int('OSG_TOKEN_TTL_DAYS', 1, 3650, 180),
  OSG_SITES: z.string().optional(),
  OSG_SITES_FILE: z.string().optional(),
  OSG_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  OSG_HEARTBEAT_MS: int('OSG_HEARTBEAT_MS', 1000, 600_000, 30_000),
  OSG_MAX_BUFFERED_BYTES: int('OSG_MAX_BUFFERED_BYTES', 16_384, 1 << 30, 1 << 20),
  // Under 20 ms coalesces little; over 1 s the list visibly lags behind the open thread.
  OSG_FANOUT_WINDOW_MS: int('OSG_FANOUT_WINDOW_MS', 20, 1000, 150),
  OSG_EVENT_RETENTION: int('OSG_EVENT_RETENTION', 10, 1_000_000, 1000),
  OSG_SNAPSHOT_EVERY: int('OSG_SNAPSHOT_EVERY', 100, 10_000_000, 50_000),
  OSG_SHUTDOWN_GRACE_MS: int('OSG_SHUTDOWN_GRACE_MS', 0, 120_000, 10_000),
  OSG_TRUST: z.string().optional(),
  OSG_TRUST_FILE: z.string().optional(),
  OSG_OFFICERS_FILE: z.string().optional(),
  OSG_TRUST_PROXY: z.string().default('loopback'),
  OSG_OFFICER_IDLE_MINUTES: int('OSG_OFFICER_IDLE_MINUTES', 1, 1440, 30),
  OSG_OFFICER_SESSION_HOURS: int('OSG_OFFICER_SESSION_HOURS', 1, 168, 12),
  OSG_FOLLOW_UP_CLOCK_MS: int('OSG_FOLLOW_UP_CLOCK_MS', 1000, 600_000, 30_000),
});

const DatabaseEnvSchema = z.object({
  OSG_DATABASE_URL: z.string().optional(),
  OSG_DATABASE_POOL_SIZE: int('OSG_DATABASE_POOL_SIZE', 1, 200, 10),
});

/** Reads and validates configuration; throws ConfigError with one clear line per problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error));
  const e = parsed.data;

  const dataDir = resolve(e.OSG_DATA_DIR);
  if (e.OSG_OFFICER_IDLE_MINUTES > e.OSG_OFFICER_SESSION_HOURS * 60) {
    throw new ConfigError(`OSG_OFFICER_IDLE_MINUTES (${e.OSG_OFFICER_IDLE_MINUTES}) must not be longer than OSG_OFFICER_SESSION_HOURS (${e.OSG_OFFICER_SESSION_HOURS} h)`);
  }
  const sites = loadSites(e.OSG_SITES, e.OSG_SITES_FILE);
  const publicOrigins = (e.OSG_PUBLIC_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const o of publicOrigins) {
    if (!origin.safeParse(o).success) throw new ConfigError(`OSG_PUBLIC_ORIGINS: "${o}" is not an origin like https://host[:port]`);
  }

  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    publicOrigins,
    secret: e.OSG_SECRET ? Buffer.from(e.OSG_SECRET, 'utf8') : persistentSecret(dataDir),
    tokenTtlSeconds: e.OSG_TOKEN_TTL_DAYS * 86_400,
    sites,
    logLevel: e.OSG_LOG_LEVEL,
    heartbeatMs: e.OSG_HEARTBEAT_MS,
    maxBufferedBytes: e.OSG_MAX_BUFFERED_BYTES,
    fanoutWindowMs: e.OSG_FANOUT_WINDOW_MS,
    eventRetention: e.OSG_EVENT_RETENTION,
    snapshotEvery: e.OSG_SNAPSHOT_EVERY,
    shutdownGraceMs: e.OSG_SHUTDOWN_GRACE_MS,
    trust: loadTrust(e.OSG_TRUST, e.OSG_TRUST_FILE),
    trustProxy: parseTrustProxy(e.OSG_TRUST_PROXY),
    ...loadStores(env),
    ...loadOfficers(e.OSG_OFFICERS_FILE ?? join(dataDir, 'officers.json'), e.OSG_OFFICERS_FILE !== undefined, sites.map((s) => s.id)),
    officerSessions: { idleMinutes: e.OSG_OFFICER_IDLE_MINUTES, sessionHours: e.OSG_OFFICER_SESSION_HOURS },
    followUpClockMs: e.OSG_FOLLOW_UP_CLOCK_MS,
  };
}

/**
 * OSG_TRUST_PROXY. The default, `loopback`, believes a proxy on the same host (nginx, Caddy) and no one else:
 * a client connecting directly cannot forge its address, and a local TLS proxy needs no setting.
 */
function parseTrustProxy(raw: string): TrustProxy {
  const value = raw.trim();
  if (value === 'false') return false;
  if (value === 'true') {
    throw new ConfigError('OSG_TRUST_PROXY: "true" would believe any client\'s X-Forwarded-For; give the proxies\' addresses or a hop count');
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10) throw new ConfigError('OSG_TRUST_PROXY: a hop count must be at most 10');
    return hops;
  }
  const list = value.split(',').map((s) => s.trim());
  try {
    proxyAddr.compile(list);
  } catch (err) {
    throw new ConfigError(`OSG_TRUST_PROXY: ${(err as Error).message}; use loopback, false, a hop count, or addresses and CIDR ranges separated by commas`);
  }
  return list;
}

/**
 * OSG_DATABASE_URL and OSG_REDIS_URL together. Redis only carries what several instances share and may lose
 * (live events, counters); without PostgreSQL every instance would have its own data, so Redis alone is refused.
 */
function loadStores(env: NodeJS.ProcessEnv): { database?: DatabaseConfig; redis?: RedisConfig } {
  const database = loadDatabaseConfig(env);
  const raw = env.OSG_REDIS_URL?.trim();
  if (!raw) return { database };
  if (!database) {
    throw new ConfigError('OSG_REDIS_URL is set without OSG_DATABASE_URL: Redis shares events between instances that share one PostgreSQL database; set OSG_DATABASE_URL too, or unset OSG_REDIS_URL for the JSON store');
  }
  const example = 'redis://host:6379';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`OSG_REDIS_URL is not a URL; expected e.g. ${example}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError(`OSG_REDIS_URL must start with redis:// or rediss:// (got ${url.protocol}//); expected e.g. ${example}`);
  }
  if (url.hostname === '') throw new ConfigError(`OSG_REDIS_URL names no host; expected e.g. ${example}`);
  if (url.pathname.length > 1 && !/^\/(\d|1[0-5])$/.test(url.pathname)) {
    throw new ConfigError(`OSG_REDIS_URL: the database after the host must be a number from 0 to 15 (got ${url.pathname.slice(1)})`);
  }
  const prefix = env.OSG_REDIS_PREFIX ?? 'osg:';
  if (!/^[A-Za-z0-9:_.-]{1,64}$/.test(prefix)) {
    throw new ConfigError('OSG_REDIS_PREFIX: 1 to 64 letters, digits and : _ . - (it starts every Redis key and channel name)');
  }
  return { database, redis: { url: raw, prefix } };
}

/**
 * The PostgreSQL settings, or undefined when OSG_DATABASE_URL is unset (the JSON store). Also used
 * alone by `npm run migrate`, which needs nothing else.
 */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig | undefined {
  const parsed = DatabaseEnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error));
  const { OSG_DATABASE_URL: raw, OSG_DATABASE_POOL_SIZE: poolSize } = parsed.data;
  if (raw === undefined || raw.trim() === '') return undefined;
  const example = 'postgres://user:password@host:5432/database';
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(`OSG_DATABASE_URL is not a URL; expected e.g. ${example}`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`OSG_DATABASE_URL must start with postgres:// or postgresql:// (got ${url.protocol}//); expected e.g. ${example}`);
  }
  if (url.hostname === '') throw new ConfigError(`OSG_DATABASE_URL names no host; expected e.g. ${example}`);
  if (url.pathname.length <= 1) throw new ConfigError(`OSG_DATABASE_URL names no database; expected e.g. ${example}`);
  return { url: raw.trim(), poolSize };
}

/**
 * Trust rules start from DEFAULT_TRUST_RULES; OSG_TRUST (inline JSON) or OSG_TRUST_FILE overrides any
 * part of them, e.g. `{"reputation":{"dailyVoteCap":300}}`. Unknown keys and wrong types are refused.
 */
function loadTrust(inline: string | undefined, file: string | undefined): TrustRules {
  if (inline && file) throw new ConfigError('Set OSG_TRUST or OSG_TRUST_FILE, not both');
  if (!inline && !file) return DEFAULT_TRUST_RULES;
  const source = file ? `OSG_TRUST_FILE (${file})` : 'OSG_TRUST';
  let raw: unknown;
  try {
    raw = JSON.parse(file ? readFileSync(file, 'utf8') : inline!);
  } catch (err) {
    throw new ConfigError(`${source}: cannot read JSON: ${(err as Error).message}`);
  }
  return mergeRules(DEFAULT_TRUST_RULES, raw, source) as TrustRules;
}

function mergeRules(base: unknown, override: unknown, path: string): unknown {
  if (Array.isArray(base)) {
    if (!Array.isArray(override)) throw new ConfigError(`${path}: must be a list`);
    return override.map((item, i) => mergeRules(base[0], item, `${path}.${i}`));
  }
  if (typeof base === 'object' && base !== null) {
    if (typeof override !== 'object' || override === null || Array.isArray(override)) throw new ConfigError(`${path}: must be an object`);
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(override)) {
      if (!(k in out) && !(path.endsWith('weights'))) throw new ConfigError(`${path}: unknown setting "${k}"`);
      out[k] = k in out ? mergeRules(out[k], v, `${path}.${k}`) : v;
    }
    return out;
  }
  if (typeof base === 'number' && (typeof override !== 'number' || !Number.isFinite(override))) throw new ConfigError(`${path}: must be a number`);
  if (typeof base === 'string' && typeof override !== 'string') throw new ConfigError(`${path}: must be text`);
  return override;
}

function loadSites(inline: string | undefined, file: string | undefined): SiteSettings[] {
  if (inline && file) throw new ConfigError('Set OSG_SITES or OSG_SITES_FILE, not both');
  if (!inline && !file) return [DEMO_SITE];
  let raw: unknown;
  const source = file ? `OSG_SITES_FILE (${file})` : 'OSG_SITES';
  try {
    raw = JSON.parse(file ? readFileSync(file, 'utf8') : inline!);
  } catch (err) {
    throw new ConfigError(`${source}: cannot read JSON: ${(err as Error).message}`);
  }
  const sites = z.array(SiteSchema).min(1, 'at least one site').safeParse(raw);
  if (!sites.success) throw new ConfigError(`${source}: ${describeIssues(sites.error)}`);
  const ids = new Set<string>();
  for (const s of sites.data) {
    if (ids.has(s.id)) throw new ConfigError(`${source}: site "${s.id}" is listed twice`);
    ids.add(s.id);
  }
  const problems = siteFollowUpProblems(sites.data);
  if (problems.length) throw new ConfigError(`${source}: ${problems.join('; ')}`);
  return sites.data.map(({ id, name, origins, categories, languages, trackingPrefix, ...followUp }) => ({
    id,
    name,
    origins,
    categories,
    languages,
    followUp: { ...followUp, trackingPrefix: trackingPrefix ?? defaultTrackingPrefix(id) },
  }));
}

/**
 * Without OSG_SECRET, a random secret is kept in the data directory so that visitors' tokens survive
 * restarts. Several instances must share OSG_SECRET instead.
 */
function persistentSecret(dataDir: string): Buffer {
  const file = join(dataDir, 'secret.key');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 }); // it will hold NIPs: owner-only (server/store/data-dir.ts)
  if (existsSync(file)) {
    const hex = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{64,}$/.test(hex)) throw new ConfigError(`${file}: not a secret written by this server (expected hex); delete it to make a new one`);
    return Buffer.from(hex, 'hex');
  }
  const secret = randomBytes(32);
  writeFileSync(file, secret.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return secret;
}
