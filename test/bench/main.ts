// `npm run bench`: (a) start-up of each command a user waits for, as a
// ratio to a bare node start in the same run, against the goals of issue
// 13; (b) the checker core on seeded random FSMs; (d) `vfio-fsm check`
// against SPIN's pipeline; (e) `vfio-fsm history` over 200 synthetic
// commits. Figures are for one run on a shared machine: compare ratios, not
// milliseconds, across runs. The bench exits 1 when a goal is missed.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from '../../src/analysis/check.js';
import { SourceText } from '../../src/common/source.js';
import { compileSpec } from '../../src/model/front-end.js';
import { randomSpec } from './random-spec.js';
import { benchStartup } from './startup-bench.js';
import { median } from './timing.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
/** The command as installed (package.json's bin). */
const cli = join(root, 'dist/src/cli/vfio-fsm.cjs');
process.chdir(root);
const runs = Math.max(15, Number(process.env['VFIO_FSM_BENCH_RUNS'] ?? 21) || 21);

// Every command this bench runs keeps its cache here, empty at the start, removed at the end.
const work = mkdtempSync(join(tmpdir(), 'vfio-fsm-bench-'));
const cache = join(work, 'cache');
process.env['XDG_CACHE_HOME'] = cache;
delete process.env['VFIO_FSM_NO_CACHE'];
const missed: string[] = [];
try {
  const startup = benchStartup(root, cli, work, cache, runs);
  console.log(startup.text);
  missed.push(...startup.missed);

  const mainline = compileSpec(new SourceText('spec/vfio-migration.fsm', readFileSync('spec/vfio-migration.fsm', 'utf8'))).model!;
  const core: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    check(mainline);
    core.push(performance.now() - t);
  }
  console.log(`    checker core alone on the mainline spec: median ${median(core.slice(10)).toFixed(2)} ms (warm)`);

  console.log('(b) checker core on random FSMs (seeded), median of 3 runs');
  console.log('    states  flags  flag sets  requests  violations      time   requests/s');
  for (const states of [16, 32, 64]) {
    for (const flags of [4, 8, 10]) {
      const text = randomSpec(states, flags, states * 100 + flags);
      const { model, diagnostics } = compileSpec(new SourceText(`random-${states}-${flags}.fsm`, text));
      if (!model) throw new Error(`random spec does not validate: ${diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('; ')}`);
      const times: number[] = [];
      let result = check(model);
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        result = check(model);
        times.push(performance.now() - t);
      }
      const ms = median(times);
      const rate = result.requestsChecked / (ms / 1000);
      console.log(
        `    ${String(states).padStart(6)}  ${String(flags).padStart(5)}  ${String(result.flagSets.length).padStart(9)}  ${String(result.requestsChecked).padStart(8)}  ${String(result.violations.length).padStart(10)}  ${ms.toFixed(1).padStart(6)} ms  ${Math.round(rate).toLocaleString('en-US').padStart(11)}`,
      );
    }
  }

  const { benchHistory } = await import('./history-bench.js');
  const history = benchHistory();
  console.log(history.text);
  if (history.missed) missed.push('vfio-fsm history on 200 commits took 10 s or more, or failed (see (e))');

  // Last: it takes the longest (each round compiles pan twice).
  const { benchSpin } = await import('./spin-bench.js');
  const spin = await benchSpin();
  console.log(spin.text);
  if (spin.missed) missed.push("vfio-fsm check is not 10x faster than SPIN's pipeline end to end (see (d))");
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (missed.length) {
  console.error(`\nbench: ${missed.length} goal${missed.length === 1 ? '' : 's'} missed:\n${missed.map((m) => `  - ${m}`).join('\n')}`);
  process.exitCode = 1;
} else console.log('\nbench: every goal met');
