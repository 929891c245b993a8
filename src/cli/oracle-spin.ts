import { accessSync, constants, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { childProcesses } from './builtin.js';
import type { PromelaBounds } from '../emit/promela.js';
import { parsePanOutput } from '../oracle/pan-output.js';
import type { SpinStats } from '../oracle/report.js';
import type { SpinFinding } from '../oracle/trail.js';
import { decodeTrail } from '../oracle/trail.js';

/**
 * Runs SPIN on a generated Promela model: `spin -a`, `cc`, `./pan`, then one
 * `spin -t<k>` replay per trail, in a temporary folder that is always removed.
 * Every child has a time bound and runs in a process group of its own, which
 * is killed whole when the bound passes (the C compiler starts children of its
 * own). Output is kept up to a size bound.
 */

export type SpinOutcome =
  | { readonly kind: 'done'; readonly findings: readonly SpinFinding[]; readonly stats: SpinStats }
  | { readonly kind: 'inconclusive'; readonly reason: string };

export interface SpinLimits {
  readonly spinMs: number;
  readonly compileMs: number;
  readonly panMs: number;
  readonly replayMs: number;
  /** More trails than this are not replayed: the run is then inconclusive. */
  readonly maxTrails: number;
  /** cc's optimisation level; the search itself takes a few hundredths of a second, the compile most of the time. */
  readonly optimise: string;
}

export const DEFAULT_LIMITS: SpinLimits = { spinMs: 30_000, compileMs: 120_000, panMs: 120_000, replayMs: 20_000, maxTrails: 1000, optimise: '-O0' };

const MAX_OUTPUT = 8 * 2 ** 20;

/** The tools the oracle needs that are not on PATH. */
export function missingTools(path = process.env.PATH ?? ''): string[] {
  return ['spin', 'cc'].filter((tool) => !onPath(tool, path));
}

function onPath(tool: string, path: string): boolean {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, tool);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return true;
    } catch {
      // not here
    }
  }
  return false;
}

export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly error?: string;
}

/** One child process, bounded in time and in the output kept; never rejects. */
export function run(command: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<Ran> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const child = childProcesses().spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    const keep = (into: 'out' | 'err') => (chunk: Buffer) => {
      if (into === 'out' && stdout.length < MAX_OUTPUT) stdout += chunk.toString('utf8');
      if (into === 'err' && stderr.length < MAX_OUTPUT) stderr += chunk.toString('utf8');
    };
    child.stdout.on('data', keep('out'));
    child.stderr.on('data', keep('err'));
    const finish = (code: number | null, error?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut, ...(error ? { error } : {}) });
    };
    child.on('error', (e) => finish(null, e.message));
    child.on('close', (code) => finish(code));
  });
}

function failure(step: string, r: Ran, limitMs: number): string {
  if (r.timedOut) return `${step} did not finish within ${limitMs / 1000} s`;
  if (r.error) return `${step} could not be started: ${r.error}`;
  const said = `${r.stderr}\n${r.stdout}`.trim().split('\n').slice(-6).join('\n');
  return `${step} failed (exit ${r.code})${said ? `:\n${said}` : ''}`;
}

/** Runs `items` through `work`, `width` at a time, keeping their order. */
async function pool<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  });
  await Promise.all(lanes);
  return out;
}

/**
 * SPIN's verdict on a model: every failed assertion, decoded. pan runs with
 * `-e -c0`: it goes on after an error and writes a trail for each, so the
 * result is every violation, not just the first. That is sound here because
 * each violation is its own state (the request's values are in the state
 * vector) and the model lets no run fail twice (see src/emit/promela.ts).
 */
export async function runSpin(modelText: string, bounds: PromelaBounds, limits: SpinLimits = DEFAULT_LIMITS): Promise<SpinOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'vfio-fsm-spin-'));
  try {
    writeFileSync(join(dir, 'model.pml'), modelText);
    const gen = await run('spin', ['-a', 'model.pml'], dir, limits.spinMs);
    if (gen.code !== 0) return { kind: 'inconclusive', reason: failure('spin -a', gen, limits.spinMs) };
    const cc = await run(
      'cc',
      [limits.optimise, '-DSAFETY', `-DMEMLIM=${bounds.memoryMb}`, `-DVECTORSZ=${bounds.vectorBytes}`, '-o', 'pan', 'pan.c'],
      dir,
      limits.compileMs,
    );
    if (cc.code !== 0) return { kind: 'inconclusive', reason: failure('cc', cc, limits.compileMs) };
    const pan = await run(join(dir, 'pan'), ['-e', '-c0', '-n', `-m${bounds.depth}`, `-w${bounds.hashBits}`], dir, limits.panMs);
    if (pan.timedOut || pan.error) return { kind: 'inconclusive', reason: failure('pan', pan, limits.panMs) };
    const summary = parsePanOutput(`${pan.stdout}\n${pan.stderr}`);
    if (!summary.complete) return { kind: 'inconclusive', reason: summary.reason };
    if (summary.errors > limits.maxTrails) {
      return { kind: 'inconclusive', reason: `SPIN found ${summary.errors} violations; more than ${limits.maxTrails} trails are not replayed` };
    }
    const trails = Array.from({ length: summary.errors }, (_, i) => i + 1);
    // One at a time: spin preprocesses the model into a file of fixed name in the folder.
    const replays = await pool(trails, 1, (k) => run('spin', [`-t${k}`, 'model.pml'], dir, limits.replayMs));
    const findings: SpinFinding[] = [];
    for (const [i, r] of replays.entries()) {
      const k = i + 1;
      if (r.timedOut || r.error) return { kind: 'inconclusive', reason: failure(`spin -t${k}`, r, limits.replayMs) };
      const decoded = decodeTrail(modelText, r.stdout, k);
      if (!decoded.ok) return { kind: 'inconclusive', reason: decoded.error };
      findings.push(decoded.finding);
    }
    return { kind: 'done', findings, stats: { states: summary.states, depth: summary.depth, errors: summary.errors, seconds: summary.seconds } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
