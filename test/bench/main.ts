// `npm run bench`: end-to-end CLI cost as a ratio to a bare node start, the
// checker core on seeded random FSMs, the kernel reader, check against
// SPIN's pipeline, and history over 200 synthetic commits. Figures are for one run on a shared machine: compare
// ratios, not milliseconds, across runs.
import { fileURLToPath } from 'node:url';
import { check } from '../../src/analysis/check.js';
import { compileSpec } from '../../src/model/front-end.js';
import { SourceText } from '../../src/common/source.js';
import { randomSpec } from './random-spec.js';
import { median, ratioToBareNode } from './timing.js';

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));
process.chdir(root);

const e2e = ratioToBareNode([cli, 'check', 'spec/vfio-migration.fsm']);
console.log('(a) vfio-fsm check spec/vfio-migration.fsm, end to end');
console.log(`    median ${e2e.command.toFixed(1)} ms vs node -e 0 ${e2e.bare.toFixed(1)} ms: ratio ${e2e.ratio.toFixed(2)}x (target <= 3x), exit ${e2e.exitCode}`);

const mainline = compileSpec(new SourceText('spec/vfio-migration.fsm', (await import('node:fs')).readFileSync('spec/vfio-migration.fsm', 'utf8'))).model!;
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

const { benchKernel } = await import('./kernel-bench.js');
console.log(await benchKernel());

const { benchHistory } = await import('./history-bench.js');
const history = benchHistory();
console.log(history.text);
if (history.missed) {
  console.error('bench: vfio-fsm history on 200 commits took 10 s or more, or failed (see (e))');
  process.exitCode = 1;
}

// Last: it takes the longest (each round compiles pan twice), and it sets the exit code.
const { benchSpin } = await import('./spin-bench.js');
const spin = await benchSpin();
console.log(spin.text);
if (spin.missed) {
  console.error('bench: vfio-fsm check is not 10x faster than SPIN\'s pipeline end to end (see (d))');
  process.exitCode = 1;
}
