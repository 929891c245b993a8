import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { check } from '../../src/analysis/check.js';
import { allFlagSets } from '../../src/analysis/flag-sets.js';
import { lookup } from '../../src/analysis/lookup.js';
import { emitC } from '../../src/emit/c-file.js';
import { flagSetFacts } from '../../src/emit/facts.js';
import type { Model } from '../../src/model/model.js';
import { HAS_CC, runGeneratedC } from '../support/c-harness.js';
import { bundled, model, names } from '../support/compile.js';

function c(m: Model): string {
  const result = check(m);
  return emitC(m, result, flagSetFacts(m, result));
}

/** The text from the `static const u8` line (with its leading tab) to the `};` that closes it. */
function tableRegion(code: string): string {
  const start = code.indexOf('\tstatic const u8 ');
  const end = code.indexOf('\n\t};', start);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return code.slice(start, end + '\n\t};'.length);
}

const fixture = (name: string): string => readFileSync(`test/fixtures/kernel-tables/${name}`, 'utf8').replace(/\n$/, '');

/** A spec with two optional flags and default C names (no `emit c` block). */
const GENERIC = `machine tiny
flags { M = 1 << 0 mandatory; A = 1 << 1; B = 1 << 3 }
states { E = 0 sink; S = 1 needs M; R = 2 needs M; PA = 3 needs M, A; PAB = 4 needs M, A, B }
order S, R, PA, PAB, E
arcs { S <-> R when not A; S <-> PA when A; PA <-> R when A; PA <-> PAB when A and B }
block PAB -> S
rule shortest
lookup LOOKUP assuming M`;

const generic = (variant: string): Model => model(GENERIC.replace('LOOKUP', variant), `tiny-${variant}.fsm`);

describe('the C table initializer', () => {
  test('is byte for byte the kernel text of Linux 6.2 and later for the mainline spec', () => {
    expect(tableRegion(c(bundled('spec/vfio-migration.fsm')))).toBe(fixture('linux-6.2.txt'));
  });

  test('is byte for byte the kernel text of Linux 5.18 for the 5.18 spec', () => {
    expect(tableRegion(c(bundled('spec/history/linux-5.18.fsm')))).toBe(fixture('linux-5.18.txt'));
  });

  test('spells out every cell, rows and columns in the spec order, sized by the derived dimension', () => {
    const m = generic('linux-7.2');
    const region = tableRegion(c(m));
    expect(region.split('\n')[0]).toBe('\tstatic const u8 tiny_table[TINY_NUM_STATES][TINY_NUM_STATES] = {');
    const rows = [...region.matchAll(/^\t\t\[TINY_(\w+)\] = \{$/gm)].map((x) => x[1]);
    expect(rows).toEqual(names(m, m.order));
    expect([...region.matchAll(/^\t\t\t\[TINY_\w+\] = TINY_\w+,$/gm)]).toHaveLength(m.states.length ** 2);
    expect(c(m)).toContain('\tenum { TINY_NUM_STATES = TINY_PAB + 1 };');
  });
});

describe('the comment above the table', () => {
  const m = bundled('spec/vfio-migration.fsm');
  const result = check(m);
  const code = c(m);
  const comment = code.slice(code.indexOf('\t/*\n'), code.indexOf('\t */') + 4);
  const items = (after: string): string[] => {
    const lines = comment.split('\n');
    const from = lines.findIndex((l) => l.includes(after));
    const out: string[] = [];
    for (const l of lines.slice(from + 1)) {
      const item = /^\t \* {5}(.*)$/.exec(l);
      if (!item) break;
      out.push(item[1]!);
    }
    return out;
  };

  test('lists every multi-step request with every optional flag, one path a line, sorted as text', () => {
    const facts = flagSetFacts(m, result).find((f) => f.flags === m.flagMask)!;
    const paths = facts.selections.flatMap((s) => (s.kind === 'path' && s.path.length > 2 ? [names(m, s.path).join(' -> ')] : []));
    const listed = items('several steps:');
    expect(listed).toEqual([...paths].sort());
    expect(listed).toHaveLength(25);
    expect(listed[0]).toBe('PRE_COPY -> PRE_COPY_P2P -> STOP_COPY');
  });

  test('lists, for each flag set, exactly the arcs its selected paths take', () => {
    const common = items('Every device:');
    expect(comment).toContain('A device with STOP_COPY and P2P but without PRE_COPY, in addition:');
    for (const f of result.flagSets.filter((x) => x.consulted && x.states > 0)) {
      const heading = `A device with ${flagLabel(m, f.flags)}${f.flags === m.flagMask ? '' : ` but without ${lacking(m, f.flags)}`}, in addition:`;
      const extra = comment.includes(heading) ? items(heading) : [];
      const expected = f.requiredArcs.map(([a, b]) => `${m.states[a]!.name} -> ${m.states[b]!.name}`).sort();
      expect([...common, ...extra].sort()).toEqual(expected);
    }
  });

  test('lists the blocked requests', () => {
    expect(items('refused although both states exist')).toEqual(['STOP_COPY -> PRE_COPY', 'STOP_COPY -> PRE_COPY_P2P']);
  });
});

function lacking(m: Model, flags: number): string {
  const list = m.flags.filter((f) => !(flags & f.bit)).map((f) => f.name);
  return list.join(' or ');
}

function flagLabel(m: Model, flags: number): string {
  const list = m.flags.filter((f) => flags & f.bit).map((f) => f.name);
  return list.length <= 1 ? list.join('') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}

describe('the C function', () => {
  test('has the signature and the flags table of its era', () => {
    const v2 = c(bundled('spec/history/v2-protocol.fsm'));
    const seed = c(bundled('spec/history/seed-v6.fsm'));
    const mainline = c(bundled('spec/vfio-migration.fsm'));
    expect(v2).toMatch(/^u32 vfio_mig_get_next_state\(struct vfio_device \*device,\n\t\t\t    enum vfio_device_mig_state cur_fsm,\n\t\t\t    enum vfio_device_mig_state new_fsm\)$/m);
    expect(seed).toMatch(/^u32 vfio_mig_get_next_state\(/m);
    expect(mainline).toMatch(/^int vfio_mig_get_next_state\(.*\n.*\n.*\n\t\t\t    enum vfio_device_mig_state \*next_fsm\)$/m);
    expect(v2).not.toContain('state_flags_table');
    expect(seed).not.toContain('state_flags_table');
    expect(mainline).toContain('\tstatic const unsigned int state_flags_table[VFIO_DEVICE_NUM_STATES] = {\n');
    expect(mainline).toContain('\t\t[VFIO_DEVICE_STATE_ERROR] = ~0U,\n');
    expect(mainline.split('\n')[0]).toBe('/* generated by vfio-fsm from spec/vfio-migration.fsm — do not edit */');
    expect(mainline.trimEnd().split('\n').pop()).toBe('EXPORT_SYMBOL_GPL(vfio_mig_get_next_state);');
  });

  test('matches the golden file for a spec with default names and two optional flags', () => {
    expect(c(generic('seed-v6'))).toBe(readFileSync('test/fixtures/golden/tiny-seed-v6.c', 'utf8'));
  });

  const specs: [string, () => Model][] = [
    ['spec/vfio-migration.fsm', () => bundled('spec/vfio-migration.fsm')],
    ['spec/history/linux-5.18.fsm', () => bundled('spec/history/linux-5.18.fsm')],
    ['spec/history/seed-v6.fsm', () => bundled('spec/history/seed-v6.fsm')],
    ['spec/history/v2-protocol.fsm', () => bundled('spec/history/v2-protocol.fsm')],
    ['default names, seed lookup', () => generic('seed-v6')],
    ['default names, 7.2 lookup', () => generic('linux-7.2')],
  ];

  test.skipIf(!HAS_CC).each(specs)('compiled with -Wall -Werror, answers as the model on every input: %s', (_name, make) => {
    const m = make();
    const { table } = check(m);
    const n = m.states.length;
    const values = [...Array.from({ length: n }, (_, i) => i), n, 255, 0x7fffffff, 0xffffffff];
    const undeclared = ~m.flagMask >>> 0;
    const flags = allFlagSets(m).flatMap((w) => [w, (w | (undeclared & -undeclared)) >>> 0, (w | undeclared) >>> 0]);
    const calls = runGeneratedC(m, c(m), flags, values);
    expect(calls).toHaveLength(flags.length * values.length ** 2);
    const intForm = m.lookup.variant === 'linux-5.18' || m.lookup.variant === 'linux-7.2';
    for (const call of calls) {
      const o = lookup(m.lookup.variant, table, call.current, call.target, call.flags);
      expect(o.kind, `${call.flags} ${call.current} ${call.target}`).not.toBe('diverges');
      const expected = intForm ? (o.kind === 'next' ? { ret: 0, next: o.state } : { ret: -22, next: undefined }) : { ret: o.kind === 'next' ? o.state : m.sink, next: undefined };
      expect({ ret: call.ret, next: call.next }, `flags ${call.flags}: ${call.current} -> ${call.target}`).toEqual(expected);
    }
  });
});
