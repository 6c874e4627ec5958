// Widget tests: real Chromium, real server (server/main.ts as a child process).
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { TEST_API_OFFICER, TEST_OFFICER } from './test/widget/admin/support/test-officer.mjs';
import { freePort, startServer } from './test/widget/support/server-process.mjs';

const root = dirname(fileURLToPath(import.meta.url));
const corpora = resolve(root, '../shared/corpora');

// The widget's sources run here unbundled; the on-demand module they load is the built one, by its hashed name.
const onDemandFile = (() => {
  let files = [];
  try {
    files = readdirSync(resolve(root, 'dist/widget'));
  } catch {}
  const file = files.find((name) => /^osg-konsultasi-profile-[0-9a-f]{10}\.mjs$/.test(name));
  if (!file) throw new Error('dist/widget has no on-demand module: run `npm run build` before `npm run test:widget`.');
  return file;
})();

const port = await freePort();
const origins = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
const server = await startServer({ origins, officers: [TEST_OFFICER, TEST_API_OFFICER] });
// Servers a test starts and stops itself (to be offline on purpose), by the id it chose.
const extraServers = new Map();

async function stopAll() {
  await Promise.all([server, ...extraServers.values()].map((each) => each.stop({ removeData: true })));
}
process.once('exit', () => void stopAll());

/**
 * `executeServerCommand('osg-server', { action, id })` from a test: start, stop (kill -9), terminate (SIGTERM) or
 * restart a private server.
 */
const serverCommands = {
  name: 'osg-server-commands',
  async executeCommand({ command, payload }) {
    if (command !== 'osg-server') return undefined;
    const { action, id } = payload;
    const current = extraServers.get(id);
    if (action === 'start') {
      // A restart keeps port and data, so the widget sees the same server come back.
      const started = await startServer({ origins, port: current?.port ?? 0, dataDir: current?.dataDir });
      extraServers.set(id, started);
      return { url: started.url };
    }
    if (action === 'stop' || action === 'terminate') {
      await current?.stop({ signal: action === 'terminate' ? 'SIGTERM' : 'SIGKILL' });
      return { stopped: true };
    }
    throw new Error(`unknown osg-server action ${action}`);
  },
  async serverStop() {
    await stopAll();
  },
};

export default {
  rootDir: root,
  port,
  files: ['test/widget/**/*.test.ts'],
  nodeResolve: true,
  // Tests share one browser profile, hence localStorage; one file at a time keeps them independent.
  concurrency: 1,
  testFramework: { config: { timeout: 20_000 } },
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: resolve(root, 'tsconfig.json'), define: { __OSG_ON_DEMAND_FILE__: JSON.stringify(onDemandFile) } }),
    serverCommands,
  ],
  middleware: [
    async function serveCorpora(context, next) {
      if (context.path === '/__corpora/xss-payload-list.txt') {
        context.type = 'text/plain; charset=utf-8';
        context.body = await readFile(resolve(corpora, 'xss-payload-list.txt'), 'utf8');
        return;
      }
      await next();
    },
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
        ],
      },
    }),
  ],
  testRunnerHtml: (testFramework) => `<!doctype html>
    <html lang="id">
      <body>
        <script>window.__OSG_SERVER__ = ${JSON.stringify(server.url)};</script>
        <script type="module" src="${testFramework}"></script>
      </body>
    </html>`,
};
