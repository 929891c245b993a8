// `vfio-fsm gen --driver-skeleton`: for every flag set of the mainline spec
// and of the 5.18 spec, the skeleton reads back through `vfio-fsm driver` as
// conformant for exactly that flag set (every required arc handled once,
// nothing extra, the WARN fallback, a correct set-state loop), and compiles
// with `gcc -Wall -Wextra -Werror -c` against a userspace shim of the few
// kernel definitions it uses (test/driver/shim/vfio-driver-shim.h).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { driverArcs } from '../../src/analysis/driver-arcs.js';
import { SourceText } from '../../src/common/source.js';
import { driverSkeleton } from '../../src/emit/driver-skeleton.js';
import { checkDriver } from '../../src/kernel/driver/check-driver.js';
import type { Model } from '../../src/model/model.js';
import { flagNames } from '../../src/model/model.js';
import { bundled } from '../support/compile.js';
import { runCli } from '../support/run-cli.js';

const HAS_GCC = spawnSync('gcc', ['--version'], { stdio: 'ignore' }).status === 0;
const SHIM = resolve('test/driver/shim');

const SPECS = ['spec/vfio-migration.fsm', 'spec/history/linux-5.18.fsm'] as const;

/** Every flag set with the mandatory flag: the devices that have migration. */
function flagSets(model: Model): number[] {
  return driverArcs(model).flagSets.map((f) => f.flags);
}

const cases = SPECS.flatMap((spec) => {
  const model = bundled(spec);
  return flagSets(model).map((word) => ({ spec, model, word, flags: flagNames(model, word) }));
});

describe('the driver skeleton', () => {
  it('covers the four mainline flag sets and the two of 5.18', () => {
    expect(cases.map((c) => `${c.spec} ${c.flags.join(',')}`)).toEqual([
      'spec/vfio-migration.fsm STOP_COPY',
      'spec/vfio-migration.fsm STOP_COPY,P2P',
      'spec/vfio-migration.fsm STOP_COPY,PRE_COPY',
      'spec/vfio-migration.fsm STOP_COPY,P2P,PRE_COPY',
      'spec/history/linux-5.18.fsm STOP_COPY',
      'spec/history/linux-5.18.fsm STOP_COPY,P2P',
    ]);
  });

  it.each(cases.map((c) => [`${c.spec} {${c.flags.join(', ')}}`, c] as const))('%s: gen prints it, and the driver reader finds it conformant for exactly that flag set', async (_name, c) => {
    const r = await runCli(['gen', '--driver-skeleton', '--flags', c.flags.join(','), '--spec', c.spec]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const text = driverSkeleton(c.model, c.word);
    expect(r.stdout).toBe(text);

    const result = checkDriver(c.model, { sources: [new SourceText('skeleton.c', text)] });
    if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`).join('\n'));
    expect(result.warnings).toEqual([]);
    const { report } = result;
    expect(report.verdict).toBe('conform');
    expect(report.functions).toHaveLength(1);
    const f = report.functions[0]!;
    expect(f.name).toBe('my_vf_step_device_state_locked');
    expect(f.flagSets.map((s) => s.flags)).toEqual([c.flags]);
    const [set] = f.flagSets;
    expect(set!.missing).toEqual([]);
    expect(set!.extra).toEqual([]);
    // Each required arc exactly once, at its own `if`.
    const handled = f.handled.map((a) => `${a.from} -> ${a.to}`);
    expect([...handled].sort()).toEqual(set!.required);
    expect(new Set(f.handled.map((a) => a.line)).size).toBe(handled.length);
    expect(f.fallback.kind).toBe('warn+einval');
    expect(f.undecided).toEqual([]);
    expect(f.loop).toMatchObject({ function: 'my_vf_set_device_state', problems: [] });
  });

  it('groups the arcs as the kernel comment does, each group headed by its condition', () => {
    const model = bundled('spec/vfio-migration.fsm');
    const all = driverSkeleton(model, model.flagMask);
    expect([...all.matchAll(/^\t\/\* ([A-Z][^*]*): \*\/$/gm)].map((m) => m[1])).toEqual(['Always', 'With P2P', 'With PRE_COPY', 'With PRE_COPY and P2P']);
    const noP2p = driverSkeleton(model, 0b101);
    expect([...noP2p.matchAll(/^\t\/\* ([A-Z][^*]*): \*\/$/gm)].map((m) => m[1])).toEqual(['Always', 'Without P2P', 'With PRE_COPY', 'With PRE_COPY, without P2P']);
    // Each arc says what it must do; the blocked requests are named above the fallback.
    expect(noP2p).toContain('\t\t * Stop the device and add its final state to the saving file\n\t\t * PRE_COPY opened.\n');
    expect(noP2p).toMatch(/it refuses\n\t \* STOP_COPY -> PRE_COPY itself, before it gets here\./);
    // No line passes the kernel's 80 columns (a tab counts 8).
    for (const line of all.split('\n')) expect(line.replace(/\t/g, '        ').length).toBeLessThanOrEqual(80);
  });

  it('gen refuses skeleton options it cannot honour, with a usage error', async () => {
    expect((await runCli(['gen', '--driver-skeleton', '--flags', 'P2Q'])).code).toBe(2);
    expect((await runCli(['gen', '--flags', 'P2P'])).stderr).toBe('vfio-fsm: --flags and --spec belong to gen --driver-skeleton\n');
    expect((await runCli(['gen', '--driver-skeleton', '--out', '/tmp/x'])).stderr).toBe('vfio-fsm: gen --driver-skeleton prints the skeleton and writes nothing: --out and --check do not apply\n');
    expect((await runCli(['gen', '--driver-skeleton', 'spec/vfio-migration.fsm'])).code).toBe(2);
    const noted = await runCli(['gen', '--driver-skeleton', '--flags', 'P2P']);
    expect(noted.code).toBe(0);
    expect(noted.stderr).toBe('vfio-fsm gen: note: STOP_COPY is mandatory (a device without it has no migration at all), so it was added to --flags\n');
  });

  describe.skipIf(!HAS_GCC)('compiles with gcc -Wall -Wextra -Werror against a userspace shim', () => {
    it.each(cases.map((c) => [`${c.spec} {${c.flags.join(', ')}}`, c] as const))('%s', (_name, c) => {
      const dir = mkdtempSync(join(tmpdir(), 'vfio-fsm-skeleton-'));
      try {
        const { model } = c;
        const unit = [
          '/* The spec\'s enum and flags, then the shim, then the skeleton. */',
          `enum ${model.c.enum} { ${model.states.map((s) => `${model.c.statePrefix}${s.name} = ${s.value}`).join(', ')} };`,
          ...model.flags.map((f) => `#define ${model.c.flagPrefix}${f.name} (1u << ${Math.log2(f.bit)})`),
          '#include "vfio-driver-shim.h"',
          '#include "skeleton.c"',
          '',
        ].join('\n');
        writeFileSync(join(dir, 'skeleton.c'), driverSkeleton(model, c.word));
        writeFileSync(join(dir, 'unit.c'), unit);
        const run = (): string => execFileSync('gcc', ['-std=gnu11', '-Wall', '-Wextra', '-Werror', '-I', SHIM, '-c', '-o', join(dir, 'unit.o'), join(dir, 'unit.c')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        expect(run).not.toThrow();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
