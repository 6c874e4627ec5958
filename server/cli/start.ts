/**
 * `npm start`. A clone with its dev dependencies (`npm install`) builds the widget when dist/ is missing or older
 * than its sources, then starts the server. A production install (`npm ci --omit=dev`) has no build tools: it
 * serves the dist/ built beforehand with `npm run build`, or stops with one line saying so.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { canBuild, decideBuild } from './build-check.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const decision = decideBuild(root, canBuild(root));
if (decision === 'missing') {
  process.stderr.write('osg-konsultasi: dist/ is missing and the build tools are not installed: run `npm run build` (with dev dependencies) and deploy dist/ with the server.\n');
  process.exit(1);
}
if (decision === 'build' && spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) {
  process.stderr.write('osg-konsultasi: `npm run build` failed (see above).\n');
  process.exit(1);
}
await import('../main.js');
