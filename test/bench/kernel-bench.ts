// `vfio-fsm kernel` on a whole file, end to end, as a ratio to a bare node
// start in the same run. The file is assembled here: the mainline fixture in
// the middle of ~40 KB of filler functions written for the benchmark, so the
// reader has to find the function among others as in a real vfio_main.c.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ratioToBareNode } from './timing.js';

const TARGET_BYTES = 40 * 1024;

/** One filler function: loops, a switch, strings and comments holding braces, a preprocessor block. */
function filler(i: number): string {
  return `
/* bench filler ${i}: braces in comments { } and strings must not confuse the reader */
#ifdef CONFIG_BENCH_FILLER_${i}
#define BENCH_FILLER_${i}_LIMIT ${16 + i}
#endif
static int bench_filler_${i}(struct bench_items *items, unsigned int count)
{
	unsigned int k;
	int total = 0;

	for (k = 0; k < count; k++) {
		switch (items->kind[k]) {
		case ${i % 5}:
			total += items->weight[k];
			break;
		default:
			pr_debug("bench ${i}: item %u is { skipped }\\n", k);
		}
	}
	return total;
}
`;
}

/** Assembles the file: filler, the fixture (with its own neighbours), filler. */
export function assembleKernelFile(root: string): string {
  const fixture = readFileSync(join(root, 'test/fixtures/kernel/linux-7.2.c'), 'utf8');
  const before: string[] = [];
  const after: string[] = [];
  for (let i = 0; fixture.length + [...before, ...after].join('').length < TARGET_BYTES; i++) (i % 2 ? after : before).push(filler(i));
  return `${before.join('')}\n${fixture}\n${after.join('')}`;
}

export async function benchKernel(): Promise<string> {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const cli = join(root, 'dist/src/cli/main.js');
  const dir = mkdtempSync(join(tmpdir(), 'vfio-fsm-bench-'));
  try {
    const file = join(dir, 'vfio_main.c');
    const text = assembleKernelFile(root);
    writeFileSync(file, text);
    const r = ratioToBareNode([cli, 'kernel', file, '--spec', join(root, 'spec/vfio-migration.fsm')]);
    return [
      `(c) vfio-fsm kernel on a ${(text.length / 1024).toFixed(1)} KB C file (the mainline fixture among filler), end to end`,
      `    median ${r.command.toFixed(1)} ms vs node -e 0 ${r.bare.toFixed(1)} ms: ratio ${r.ratio.toFixed(2)}x (target <= 3x), exit ${r.exitCode}`,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
