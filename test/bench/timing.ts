import { spawnSync } from 'node:child_process';

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface Timed {
  readonly ms: number;
  readonly status: number | null;
}

/** Wall time of `node <args>` from the spawn to its exit, output discarded. */
export function timeNode(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Timed {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, env, stdio: 'ignore' });
  if (r.error) throw r.error;
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, status: r.status };
}

export interface Case {
  readonly name: string;
  readonly args: readonly string[];
  /** The exit codes the command may end with (a run that ends otherwise fails the bench). */
  readonly exits: readonly number[];
  readonly env?: NodeJS.ProcessEnv;
  /** Called before each run (untimed): to change an input, say. */
  readonly before?: () => void;
}

export interface Ratios {
  readonly case: Case;
  /** Each round's time of the command over the time of `node -e 0` in the same round. */
  readonly ratios: readonly number[];
  readonly ms: readonly number[];
  readonly bareMs: readonly number[];
}

/**
 * Each case against `node -e 0`, `runs` rounds, interleaved: every round
 * times a bare node, then each case, so load on the shared machine falls
 * on all alike; a case's ratio in a round is its time over that round's
 * bare node. The ratios are what count, not the milliseconds.
 */
export function interleaved(cases: readonly Case[], cwd: string, runs: number): Ratios[] {
  const out = cases.map((c) => ({ case: c, ratios: [] as number[], ms: [] as number[], bareMs: [] as number[] }));
  for (let round = 0; round < runs; round++) {
    const bare = timeNode(['-e', '0'], cwd).ms;
    for (const o of out) {
      o.case.before?.();
      const t = timeNode(o.case.args, cwd, o.case.env);
      if (!o.case.exits.includes(t.status ?? -1)) throw new Error(`${o.case.name}: exit ${t.status}, expected ${o.case.exits.join(' or ')}`);
      o.ms.push(t.ms);
      o.bareMs.push(bare);
      o.ratios.push(t.ms / bare);
    }
  }
  return out;
}
