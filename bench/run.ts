/**
 * Runs every benchmark program in bench/ (fanout, memory, store, then any other bench/*.ts) one after
 * another, each as `node --import tsx bench/<name>.ts` in its own process, with its output streamed.
 * Helpers live in bench/lib/ and are not programs. Exits non-zero if any program failed.
 *
 *   npm run bench
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ROOT, machine } from './lib/harness.js';

const ORDER = ['fanout', 'memory', 'store'];

const found = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -'.ts'.length));
const programs = [...ORDER.filter((p) => found.includes(p)), ...found.filter((p) => !ORDER.includes(p)).sort()];

function run(name: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `bench/${name}.ts`], { cwd: ROOT, stdio: 'inherit' });
    child.once('error', () => resolve(1));
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

console.log(`# osg-konsultasi benchmarks, ${new Date().toISOString()}`);
console.log(`# ${machine()}`);
console.log(`# programs: ${programs.join(', ')}${ORDER.filter((p) => !found.includes(p)).map((p) => ` (bench/${p}.ts not found, skipped)`).join('')}`);
const summary: Array<[string, number, number]> = [];
for (const name of programs) {
  console.log(`\n======== bench/${name}.ts ========\n`);
  const t0 = performance.now();
  const code = await run(name);
  summary.push([name, code, (performance.now() - t0) / 1000]);
}
console.log('\n======== summary ========\n');
for (const [name, code, s] of summary) console.log(`${name.padEnd(10)} ${(code === 0 ? 'ok' : `FAILED (exit ${code})`).padEnd(16)} ${s.toFixed(0).padStart(4)} s`);
if (summary.some(([, code]) => code !== 0)) process.exitCode = 1;
