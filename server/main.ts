import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';
import { startServer } from './server.js';
import { StoreLockedError } from './store/dir-lock.js';
import { JsonStore } from './store/json-store.js';
import { describeUrl } from './store/pg/db.js';
import { PgStore } from './store/pg/pg-store.js';
import { StoreCorruptError, type Store } from './store/store.js';

// The entry only reads configuration and wires parts together.
let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`osg-konsultasi: invalid configuration: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}

const log = createLogger(config.logLevel);
// OSG_DATABASE_URL chooses PostgreSQL; otherwise the embedded JSON store in the data directory.
const store: Store = config.database
  ? new PgStore({ url: config.database.url, poolSize: config.database.poolSize, eventRetention: config.eventRetention, log })
  : new JsonStore({ dir: config.dataDir, eventRetention: config.eventRetention, snapshotEvery: config.snapshotEvery, log });

try {
  const t0 = Date.now();
  await store.open();
  log('info', 'store opened', { kind: store.kind, ...(config.database ? { database: describeUrl(config.database.url) } : { dir: config.dataDir }), ms: Date.now() - t0 });
} catch (err) {
  if (err instanceof StoreLockedError) {
    process.stderr.write(`osg-konsultasi: ${err.message}\n`);
    process.exit(1);
  }
  if (err instanceof StoreCorruptError) {
    log('error', 'store damaged', { file: err.file, position: err.position });
    process.stderr.write(`osg-konsultasi: ${err.message}\n`);
    process.exit(1);
  }
  if (store instanceof PgStore) {
    log('error', 'store failed to open', { kind: store.kind, error: (err as Error).message });
    process.stderr.write(`osg-konsultasi: ${(err as Error).message}\n`);
    process.exit(1);
  }
  throw err;
}

const server = await startServer(config, store, log);
log('info', 'listening', { url: server.url, port: server.port, sites: config.sites.map((s) => s.id) });
process.stderr.write(`osg-konsultasi: ${server.url}/demo/ (widget at ${server.url}/osg-konsultasi.js)\n`);

let shuttingDown = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (shuttingDown) return;
    shuttingDown = true;
    log('info', 'stopping', { signal });
    // Past the grace period, exit anyway: acknowledged data is already durable.
    setTimeout(() => {
      log('error', 'shutdown timed out', { graceMs: config.shutdownGraceMs });
      process.exit(1);
    }, config.shutdownGraceMs).unref();
    server.stop().then(
      () => {
        log('info', 'stopped');
        process.exit(0);
      },
      (err) => {
        log('error', 'stop failed', { err });
        process.exit(1);
      },
    );
  });
}
