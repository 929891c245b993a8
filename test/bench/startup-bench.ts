// Start-up (issue 13): each command a user waits for, as a ratio to a bare
// `node -e 0` timed in the same rounds, with the cache warm (a first run
// fills it), and each goal checked. Also shown: the first run with an empty
// cache, and the run with the cache off, which say what the cache buys.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED_SPECS } from '../../src/node/bundled-specs.js';
import { assembleKernelFile } from './kernel-bench.js';
import type { Case } from './timing.js';
import { interleaved, median, timeNode } from './timing.js';

interface Goal {
  readonly case: Case;
  /** At most this many times `node -e 0`. */
  readonly limit: number;
  /** Also timed with the cache off: in the same rounds, in three runs of its own (gen, a second a run), or not (help and version use none). */
  readonly uncached: 'rounds' | 'three' | 'none';
}

export interface StartupBench {
  readonly text: string;
  /** The goals missed, in words; empty when all are met. */
  readonly missed: readonly string[];
}

const ratio = (x: number): string => `${x.toFixed(2)}x`;

/** `work` is a scratch folder; `cache` the XDG_CACHE_HOME the commands run with. */
export function benchStartup(root: string, cli: string, work: string, cache: string, runs: number): StartupBench {
  const kernelFile = join(work, 'vfio_main.c');
  const kernelText = assembleKernelFile(root);
  writeFileSync(kernelFile, kernelText);
  const all = BUNDLED_SPECS.map((s) => s.name);
  const env = { ...process.env, XDG_CACHE_HOME: cache, VFIO_FSM_NO_CACHE: '' };
  const goals: Goal[] = [
    { case: { name: 'vfio-fsm --help', args: [cli, '--help'], exits: [0], env }, limit: 1.3, uncached: 'none' },
    { case: { name: 'vfio-fsm --version', args: [cli, '--version'], exits: [0], env }, limit: 1.3, uncached: 'none' },
    { case: { name: 'vfio-fsm check (the mainline spec)', args: [cli, 'check'], exits: [0], env }, limit: 1.5, uncached: 'rounds' },
    { case: { name: `vfio-fsm check of all ${all.length} bundled specs`, args: [cli, 'check', ...all], exits: [1], env }, limit: 2, uncached: 'rounds' },
    { case: { name: `vfio-fsm kernel on a ${(kernelText.length / 1024).toFixed(0)} KB vfio_main.c`, args: [cli, 'kernel', kernelFile], exits: [0], env }, limit: 2, uncached: 'rounds' },
    { case: { name: 'vfio-fsm gen --check (every bundled spec)', args: [cli, 'gen', '--check'], exits: [0], env }, limit: 5, uncached: 'three' },
  ];
  // The first run of each with a cache of its own, empty: what a user meets once per build and input.
  const first = goals.map((g, i) => {
    const home = join(work, `empty-cache-${i}`);
    mkdirSync(home);
    return timeNode(g.case.args, root, { ...env, XDG_CACHE_HOME: home }).ms;
  });
  // Then each twice in the shared cache: the first fills it, the second keeps the code cache of a run that found everything.
  for (const g of goals) for (let i = 0; i < 2; i++) timeNode(g.case.args, root, g.case.env);
  const off = { ...env, VFIO_FSM_NO_CACHE: '1' };
  // For information, the kernel file rewritten before each run, so the cache holds the whole result of none of them.
  const rewritten = (name: string, dir: string, rewrite: (n: number) => string): Case => {
    const file = join(work, dir, 'vfio_main.c');
    mkdirSync(join(work, dir));
    let n = 0;
    return { name, args: [cli, 'kernel', file], exits: [0], env, before: () => writeFileSync(file, rewrite(++n)) };
  };
  // Changed elsewhere than in the function: only the function's parse comes from the cache.
  const elsewhere = rewritten('kernel, the file changed outside the function', 'edited', (n) => kernelText.replace('bench filler 0:', `bench filler 0 (edit ${n}):`));
  // The function itself new (a parameter renamed through it), as a patch under review is: only the spec comes from the cache.
  const fnStart = kernelText.indexOf('int vfio_mig_get_next_state(');
  const fnEnd = kernelText.indexOf('EXPORT_SYMBOL_GPL(vfio_mig_get_next_state)', fnStart);
  if (fnStart < 0 || fnEnd < 0) throw new Error('bench: the assembled kernel file has no vfio_mig_get_next_state() to rename through');
  const inside = rewritten('kernel, the function new each time', 'fresh', (n) => kernelText.slice(0, fnStart) + kernelText.slice(fnStart, fnEnd).replace(/\bdevice\b/g, `device_${n}`) + kernelText.slice(fnEnd));
  const cases = [...goals.map((g) => g.case), ...goals.filter((g) => g.uncached === 'rounds').map((g) => ({ ...g.case, name: `${g.case.name}, no cache`, env: off })), elsewhere, inside];
  const results = interleaved(cases, root, runs);
  const alone = new Map(goals.filter((g) => g.uncached === 'three').map((g) => [g, [0, 1, 2].map(() => timeNode(g.case.args, root, off).ms)]));

  const missed: string[] = [];
  const bare = median(results.flatMap((r) => r.bareMs));
  const lines = [
    `(a) start-up: each command over \`node -e 0\` timed in the same round, ${runs} interleaved rounds, cache warm; median ratio (min-max)`,
    `    node -e 0: median ${bare.toFixed(0)} ms`,
    '    command                                          goal    ratio (min-max)             median   first run (empty cache)   no cache',
  ];
  goals.forEach((g, i) => {
    const r = results[i]!;
    const m = median(r.ratios);
    const met = m <= g.limit;
    if (!met) missed.push(`${g.case.name}: ${ratio(m)}, over the goal of ${ratio(g.limit)}`);
    const inRounds = results.find((x) => x.case.name === `${g.case.name}, no cache`);
    const three = alone.get(g);
    const offText = inRounds ? `${ratio(median(inRounds.ratios))} (${median(inRounds.ms).toFixed(0)} ms)` : three ? `${ratio(median(three) / bare)} (${median(three).toFixed(0)} ms, 3 runs)` : '-';
    lines.push(
      `    ${g.case.name.padEnd(48)} ${`<= ${g.limit}x`.padEnd(7)} ${`${ratio(m)} (${ratio(Math.min(...r.ratios))}-${ratio(Math.max(...r.ratios))})`.padEnd(27)} ${`${median(r.ms).toFixed(0)} ms`.padEnd(8)} ${`${first[i]!.toFixed(0)} ms`.padEnd(25)} ${offText}${met ? '' : '  ** GOAL MISSED **'}`,
    );
  });
  const informative = (c: Case, what: string): string => {
    const r = results.find((x) => x.case === c)!;
    return `    for information: kernel on that file ${what}: ${ratio(median(r.ratios))} (${ratio(Math.min(...r.ratios))}-${ratio(Math.max(...r.ratios))}), ${median(r.ms).toFixed(0)} ms`;
  };
  lines.push(informative(elsewhere, 'changed each time outside the function (its parse read back)'));
  lines.push(informative(inside, 'with its function new each time (only the spec read back, as for a patch under review)'));
  return { text: lines.join('\n'), missed };
}
