// `vfio-fsm check` end to end against SPIN's whole pipeline on the same spec
// (spin -a, cc -O2, ./pan on the committed Promela model), interleaved in the
// same run, medians; the ratio is what counts. The goal: vfio-fsm at least
// 10x faster. Also shown, for information: the same pipeline with cc -O0,
// which is what `check --oracle spin` compiles with.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { missingTools, run } from '../../src/cli/oracle-spin.js';
import { promelaBounds } from '../../src/emit/promela.js';
import { compileSpec } from '../../src/model/front-end.js';
import { SourceText } from '../../src/common/source.js';
import { median } from './timing.js';

const SPEC = 'spec/vfio-migration.fsm';
const MODEL = 'generated/vfio-migration.pml';
const GOAL = 10;
/** Each child is bounded, and killed with its process group: the bench must not hang on a broken tool. */
const CHILD_MS = 120_000;

async function timed(command: string, args: readonly string[], cwd: string): Promise<number> {
  const t = process.hrtime.bigint();
  const r = await run(command, args, cwd, CHILD_MS);
  if (r.timedOut || r.error || r.code !== 0) throw new Error(`${command} ${args.join(' ')}: ${r.timedOut ? 'timed out' : (r.error ?? `exit ${r.code}`)}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export interface SpinBench {
  readonly text: string;
  /** True when the goal was measured and missed. */
  readonly missed: boolean;
}

export async function benchSpin(rounds = 7): Promise<SpinBench> {
  const missing = missingTools();
  if (missing.length) return { text: `(d) vfio-fsm check vs SPIN: skipped: ${missing.join(' and ')} not installed`, missed: false };
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const cli = join(root, 'dist/src/cli/vfio-fsm.cjs');
  const { model } = compileSpec(new SourceText(SPEC, readFileSync(join(root, SPEC), 'utf8')));
  if (!model) throw new Error(`${SPEC} does not compile`);
  const b = promelaBounds(model, 2 ** model.flags.length);
  const dir = mkdtempSync(join(tmpdir(), 'vfio-fsm-spin-bench-'));
  try {
    copyFileSync(join(root, MODEL), join(dir, 'model.pml'));
    const pipeline = async (opt: string): Promise<number> =>
      (await timed('spin', ['-a', 'model.pml'], dir)) +
      (await timed('cc', [opt, '-DSAFETY', `-DMEMLIM=${b.memoryMb}`, `-DVECTORSZ=${b.vectorBytes}`, '-o', 'pan', 'pan.c'], dir)) +
      (await timed(join(dir, 'pan'), ['-e', '-c0', '-n', `-m${b.depth}`, `-w${b.hashBits}`], dir));
    const check: number[] = [];
    const o2: number[] = [];
    const o0: number[] = [];
    await timed(process.execPath, [cli, 'check', SPEC], root); // warm the file cache
    for (let i = 0; i < rounds; i++) {
      check.push(await timed(process.execPath, [cli, 'check', SPEC], root));
      o2.push(await pipeline('-O2'));
      o0.push(await pipeline('-O0'));
    }
    const c = median(check);
    const s2 = median(o2);
    const s0 = median(o0);
    const ratio = s2 / c;
    const missed = ratio < GOAL;
    const text = [
      `(d) vfio-fsm check ${SPEC} vs SPIN's pipeline on ${MODEL} (spin -a, cc, ./pan), ${rounds} interleaved rounds, medians`,
      `    vfio-fsm check ${c.toFixed(0)} ms; SPIN with cc -O2 ${s2.toFixed(0)} ms: vfio-fsm is ${ratio.toFixed(2)}x faster (goal >= ${GOAL}x)${missed ? ': GOAL MISSED' : ''}`,
      `    for information, SPIN with cc -O0 (as check --oracle spin compiles) ${s0.toFixed(0)} ms: ${(s0 / c).toFixed(2)}x`,
    ].join('\n');
    return { text, missed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
