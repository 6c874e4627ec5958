/** Whether `npm start` must build the widget first (server/cli/start.ts). */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** What the build makes; the server needs all of it. */
const OUTPUTS = ['dist/widget/osg-konsultasi.js', 'dist/widget/osg-konsultasi.mjs', 'dist/admin/index.html'];
/** What the build reads. */
const SOURCES = ['widget', 'vite.config.ts', 'vite.admin.config.ts'];

export type BuildDecision = 'serve' | 'build' | 'missing';

/** Whether `npm run build` can run in `root`: vite is a dev dependency. */
export function canBuild(root: string): boolean {
  try {
    createRequire(join(root, 'package.json')).resolve('vite');
    return true;
  } catch {
    return false;
  }
}

/** Serve dist/ as it is, build it first, or stop because it is missing and cannot be built here. */
export function decideBuild(root: string, buildable: boolean): BuildDecision {
  const outputs = OUTPUTS.map((file) => join(root, file));
  if (!outputs.every((file) => existsSync(file))) return buildable ? 'build' : 'missing';
  if (!buildable) return 'serve';
  const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  return newest(SOURCES.map((path) => join(root, path))) > built ? 'build' : 'serve';
}

function newest(paths: string[]): number {
  let latest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    latest = Math.max(latest, stat.isDirectory() ? newest(readdirSync(path).map((name) => join(path, name))) : stat.mtimeMs);
  }
  return latest;
}

