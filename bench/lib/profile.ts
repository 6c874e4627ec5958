/** Reads a V8 CPU profile (the inspector's Profiler.stop result) into a short self-time table. */
import { table } from './harness.js';

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

/** The `top` functions by self time, with their share of all samples; paths are shortened to the project. */
export function summariseProfile(profile: CpuProfile, top = 20): string {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byNode.get(profile.samples[i]!)!;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${shorten(url)}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    selfUs.set(key, (selfUs.get(key) ?? 0) + dt);
    total += dt;
  }
  const rows = [...selfUs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, us]) => [`${((us / total) * 100).toFixed(1)}%`, (us / 1000).toFixed(1), key]);
  return `${table(['self', 'ms', 'function'], rows)}\n(total ${(total / 1000).toFixed(0)} ms of samples)`;
}

function shorten(url: string): string {
  const nm = url.lastIndexOf('/node_modules/');
  if (nm !== -1) return url.slice(nm + '/node_modules/'.length);
  const project = url.search(/\/(server|bench)\//);
  return project !== -1 ? url.slice(project + 1) : url.replace(/^node:/, '');
}
