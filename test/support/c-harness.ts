import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Model } from '../../src/model/model.js';

/** Is a C compiler on this machine? The C tests that need one are skipped without it. */
export const HAS_CC = spawnSync('cc', ['--version'], { stdio: 'ignore' }).status === 0;

export interface CCall {
  readonly flags: number;
  readonly current: number;
  readonly target: number;
  /** The u32 the function returned, or for the int form its return value. */
  readonly ret: number;
  /** The int form's *next_fsm after a 0 return. */
  readonly next: number | undefined;
}

/**
 * Compiles generated C with a harness that stands in for the few kernel
 * definitions it uses (u8, u32, bool, ARRAY_SIZE, WARN_ON, EXPORT_SYMBOL_GPL,
 * struct vfio_device, the state enum and the flag constants), calls the
 * function on every input, and returns what it answered.
 */
export function runGeneratedC(model: Model, code: string, flags: readonly number[], values: readonly number[]): CCall[] {
  const withNext = model.lookup.variant === 'linux-5.18' || model.lookup.variant === 'linux-7.2';
  const e = model.c.enum;
  const harness = [
    '#include <stdbool.h>',
    '#include <stdint.h>',
    '#include <stdio.h>',
    'typedef uint8_t u8;',
    'typedef uint32_t u32;',
    '#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))',
    '#define WARN_ON(c) (c)',
    '#define EINVAL 22',
    '#define EXPORT_SYMBOL_GPL(f) extern int harness_exported',
    'struct vfio_device { u32 migration_flags; };',
    `enum ${e} { ${model.states.map((s) => `${model.c.statePrefix}${s.name} = ${s.value}`).join(', ')} };`,
    ...model.flags.map((f) => `#define ${model.c.flagPrefix}${f.name} ${f.bit >>> 0}u`),
    '#include "generated.c"',
    'int main(void)',
    '{',
    `\tstatic const u32 words[] = { ${flags.map((w) => `${w >>> 0}u`).join(', ')} };`,
    `\tstatic const u32 values[] = { ${values.map((v) => `${v >>> 0}u`).join(', ')} };`,
    '\tfor (unsigned i = 0; i < ARRAY_SIZE(words); i++)',
    '\t\tfor (unsigned c = 0; c < ARRAY_SIZE(values); c++)',
    '\t\t\tfor (unsigned t = 0; t < ARRAY_SIZE(values); t++) {',
    '\t\t\t\tstruct vfio_device d = { words[i] };',
    withNext
      ? `\t\t\t\tenum ${e} next = 0; int r = ${model.c.function}(&d, (enum ${e})values[c], (enum ${e})values[t], &next);\n\t\t\t\tprintf("%u %u %u %d %u\\n", words[i], values[c], values[t], r, (unsigned)next);`
      : `\t\t\t\tu32 r = ${model.c.function}(&d, (enum ${e})values[c], (enum ${e})values[t]);\n\t\t\t\tprintf("%u %u %u %u -\\n", words[i], values[c], values[t], r);`,
    '\t\t\t}',
    '\treturn 0;',
    '}',
    '',
  ].join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'vfio-fsm-c-'));
  try {
    writeFileSync(join(dir, 'generated.c'), code);
    writeFileSync(join(dir, 'main.c'), harness);
    execFileSync('cc', ['-std=gnu11', '-Wall', '-Werror', '-o', join(dir, 'main'), join(dir, 'main.c')], { stdio: ['ignore', 'ignore', 'pipe'] });
    const out = execFileSync(join(dir, 'main'), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return out
      .trim()
      .split('\n')
      .map((line) => {
        const [w, c, t, r, next] = line.split(' ');
        const ret = Number(r);
        return { flags: Number(w), current: Number(c), target: Number(t), ret, next: withNext && ret === 0 ? Number(next) : undefined };
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
