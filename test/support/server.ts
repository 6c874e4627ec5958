import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../server/config.js';
import { silentLogger, type Logger } from '../../server/log.js';
import { startServer, type RunningServer, type ServerOptions } from '../../server/server.js';
import { hashPassword } from '../../server/domain/passwords.js';
import { JsonStore } from '../../server/store/json-store.js';
import { GENEROUS_TRUST } from './limits.js';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';
export const OFFICER = { username: 'petugas1', name: 'Petugas Kanreg I', password: 'rahasia-petugas-1' };

/** Writes an officers file with OFFICER (and returns its path) for servers that need an officer. */
export async function writeOfficers(dir: string): Promise<string> {
  const file = join(dir, 'officers.json');
  writeFileSync(file, JSON.stringify([{ username: OFFICER.username, name: OFFICER.name, passwordHash: await hashPassword(OFFICER.password) }]));
  return file;
}

export interface TestServer extends RunningServer {
  dir: string;
  config: Config;
  /** Stops the server and deletes its data directory. */
  destroy(): Promise<void>;
}

/**
 * A real server on 127.0.0.1 with a real JSON store in a fresh temporary directory (or `dir`, kept on
 * destroy). `options` injects a clock or hashing bounds, and a logger to watch.
 */
export async function startTestServer(env: Record<string, string> = {}, dir?: string, options: ServerOptions & { log?: Logger } = {}): Promise<TestServer> {
  const dataDir = dir ?? mkdtempSync(join(tmpdir(), 'osg-test-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    OSG_DATA_DIR: dataDir,
    OSG_SECRET: TEST_SECRET,
    OSG_SITES: JSON.stringify([
      { id: 'kanreg1', name: 'Kanreg I Yogyakarta', origins: ['https://kanreg1.example.go.id'] },
      { id: 'kanreg2', name: 'Kanreg II Surabaya', origins: ['https://kanreg2.example.go.id'] },
    ]),
    OSG_TRUST: GENEROUS_TRUST,
    OSG_OFFICERS_FILE: existsSync(join(dataDir, 'officers.json')) ? join(dataDir, 'officers.json') : await writeOfficers(dataDir),
    ...env,
  });
  const store = new JsonStore({ dir: dataDir, eventRetention: config.eventRetention, snapshotEvery: config.snapshotEvery });
  await store.open();
  const { log = silentLogger, ...serverOptions } = options;
  const server = await startServer(config, store, log, serverOptions);
  return {
    ...server,
    dir: dataDir,
    config,
    async destroy() {
      await server.stop();
      if (!dir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
