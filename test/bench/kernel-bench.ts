// A whole-size kernel file for `vfio-fsm kernel`: the mainline fixture in
// the middle of filler functions written for the benchmark, so the reader
// has to find the function among others as in a real vfio_main.c (40 to
// 70 KB over the releases).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const KERNEL_FILE_BYTES = 60 * 1024;

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
export function assembleKernelFile(root: string, bytes = KERNEL_FILE_BYTES): string {
  const fixture = readFileSync(join(root, 'test/fixtures/kernel/linux-7.2.c'), 'utf8');
  const before: string[] = [];
  const after: string[] = [];
  for (let i = 0; fixture.length + [...before, ...after].join('').length < bytes; i++) (i % 2 ? after : before).push(filler(i));
  return `${before.join('')}\n${fixture}\n${after.join('')}`;
}
