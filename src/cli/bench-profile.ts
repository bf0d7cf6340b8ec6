// The CPU profile summary `npm run bench` prints for each page: the app is started with
// `--cpu-prof`, loaded for a few seconds, stopped; the profile's samples taken during the load
// (V8 stamps them with the monotonic clock this process reads too) are added up by function.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Microseconds on the clock V8's profiler stamps samples with (CLOCK_MONOTONIC). */
export const monotonicMicros = (): number => Number(process.hrtime.bigint() / 1000n);

/** "functionName file:line" with the file relative to node_modules or the project. */
function frameName(frame: CallFrame): string {
  const file = frame.url
    .replace(/^file:\/\//, '')
    .replace(/.*\/node_modules\//, '')
    .replace(`${process.cwd()}/`, '');
  const name = frame.functionName || '(anonyme)';
  return file ? `${name} ${file}:${frame.lineNumber + 1}` : name;
}

export interface ProfileSummary {
  /** Share of the window the process spent running (not idle), in %. */
  busy: number;
  /** Functions by self time, as % of the busy samples. */
  top: Array<{ name: string; share: number }>;
  /** The busy time in a few families (SQLite, templates, compression, GC…), as %. */
  families: Array<{ name: string; share: number }>;
}

/** Where a function's time is counted in the families line. */
function family(frame: CallFrame, name: string): string {
  const url = frame.url;
  if (name === '(garbage collector)') return 'GC';
  if (url.includes('better-sqlite3') || url.includes('drizzle-orm')) return 'SQLite + drizzle';
  if (
    url.includes('/eta/') ||
    url.includes('@fastify/view') ||
    url.includes('/views/') ||
    url.includes('plugins/view')
  )
    return 'templates';
  if (url.includes('zlib') || url.includes('@fastify/compress')) return 'compression';
  if (url.startsWith('node:') || (url === '' && name !== '(program)')) return 'Node (HTTP, buffers)';
  if (
    url.includes('fastify') ||
    url.includes('avvio') ||
    url.includes('find-my-way') ||
    url.includes('light-my-request')
  )
    return 'Fastify';
  if (url.includes('/src/')) return 'Passerelle (src/)';
  return 'other';
}

/** Reads the only `.cpuprofile` in `dir` and sums its samples stamped between `from` and `to` (µs). */
export function summarizeProfile(dir: string, from: number, to: number, count = 8): ProfileSummary {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const families = new Map<string, number>();
  let time = profile.startTime;
  let busy = 0;
  let all = 0;
  for (const [i, id] of profile.samples.entries()) {
    time += profile.timeDeltas[i] ?? 0;
    if (time < from || time > to) continue;
    all += 1;
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') continue;
    busy += 1;
    const name = frameName(frame);
    self.set(name, (self.get(name) ?? 0) + 1);
    const group = family(frame, frame.functionName);
    families.set(group, (families.get(group) ?? 0) + 1);
  }
  const share = (n: number) => Math.round((1000 * n) / Math.max(busy, 1)) / 10;
  const sorted = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).map(([name, n]) => ({ name, share: share(n) }));
  return {
    busy: Math.round((100 * busy) / Math.max(all, 1)),
    top: sorted(self).slice(0, count),
    families: sorted(families),
  };
}
