/**
 * The server bench/login-flood.ts floods: server/main.ts's wiring with one officer account, generous
 * per-address limits (one client address sends everything) and, with LOGIN_FLOOD_HASHING=unbounded,
 * the bound on concurrent password checks switched off so that the run can show what it prevents.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.js';
import { hashPassword } from '../../server/domain/passwords.js';
import { createLogger } from '../../server/log.js';
import { startServer } from '../../server/server.js';
import { JsonStore } from '../../server/store/json-store.js';
import { GENEROUS_TRUST } from '../../test/support/limits.js';

const dataDir = mkdtempSync(join(tmpdir(), 'osg-bench-login-'));
const officersFile = join(dataDir, 'officers.json');
writeFileSync(officersFile, JSON.stringify([{ username: 'petugas1', name: 'Petugas Bench', passwordHash: await hashPassword('rahasia-petugas-bench') }]));
const config = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  OSG_DATA_DIR: dataDir,
  OSG_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789',
  OSG_TRUST: GENEROUS_TRUST,
  OSG_OFFICERS_FILE: officersFile,
  OSG_LOG_LEVEL: 'info',
});
const log = createLogger('info');
const store = new JsonStore({ dir: dataDir, log });
await store.open();
const server = await startServer(config, store, log, process.env.LOGIN_FLOOD_HASHING === 'unbounded' ? { hashing: 'unbounded' } : {});
log('info', 'listening', { port: server.port, hashing: process.env.LOGIN_FLOOD_HASHING ?? 'bounded' });
process.on('SIGTERM', () => {
  void server.stop().finally(() => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
});
