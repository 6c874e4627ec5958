import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GENEROUS_TRUST } from './limits.js';
import { TEST_SECRET } from './server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ChildServer {
  proc: ChildProcess;
  port: number;
  url: string;
  /** Everything the child printed, for assertions on logs. */
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs server/main.ts in its own process (as `npm start` does) on a free port and a given data dir. */
export async function spawnServer(dataDir: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', OSG_DATA_DIR: dataDir, OSG_SECRET: TEST_SECRET, OSG_LOG_LEVEL: 'info', OSG_TRUST: GENEROUS_TRUST, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 15_000);
    const check = () => {
      const m = /"msg":"listening".*?"port":(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        proc.stdout!.off('data', check);
        resolve(Number(m[1]));
      }
    };
    proc.stdout!.on('data', check);
    exited.then((code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
  return { proc, port, url: `http://127.0.0.1:${port}`, output: () => out, exited };
}
