import { describe, expect, test } from 'vitest';
import { cover, driverArcs } from '../../src/analysis/driver-arcs.js';
import type { Model } from '../../src/model/model.js';
import { cubesPhrase } from '../../src/report/flag-phrase.js';
import { bundled, flagWord } from '../support/compile.js';
import { runCli } from '../support/run-cli.js';
import { HISTORY, MAINLINE } from './specs.js';

/** The reference's "Arcs a driver implements (6.2 and later)", as data. */
const REFERENCE: Record<string, string[]> = {
  always: ['RESUMING->STOP', 'STOP->RESUMING', 'STOP->STOP_COPY', 'STOP_COPY->STOP'],
  'with P2P': ['RUNNING->RUNNING_P2P', 'RUNNING_P2P->RUNNING', 'RUNNING_P2P->STOP', 'STOP->RUNNING_P2P'],
  'without P2P': ['RUNNING->STOP', 'STOP->RUNNING'],
  'with PRE_COPY': ['RUNNING->PRE_COPY', 'PRE_COPY->RUNNING'],
  'with PRE_COPY, without P2P': ['PRE_COPY->STOP_COPY'],
  'with PRE_COPY and P2P': ['PRE_COPY->PRE_COPY_P2P', 'PRE_COPY_P2P->PRE_COPY', 'PRE_COPY_P2P->RUNNING_P2P', 'PRE_COPY_P2P->STOP_COPY', 'RUNNING_P2P->PRE_COPY_P2P'],
};
const REFERENCE_BLOCKED = ['STOP_COPY->PRE_COPY', 'STOP_COPY->PRE_COPY_P2P'];

const text = (m: Model, p: readonly [number, number]): string => `${m.states[p[0]]!.name}->${m.states[p[1]]!.name}`;

function grouped(m: Model, only?: number): Record<string, string[]> {
  const d = driverArcs(m, only);
  return Object.fromEntries(d.groups.map((g) => [cubesPhrase(m, g.cubes), g.arcs.map((p) => text(m, p)).sort()]));
}

const sorted = (r: Record<string, string[]>): Record<string, string[]> => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, [...v].sort()]));

describe('arcs on the mainline spec', () => {
  const m = bundled(MAINLINE);

  test('groups the arcs exactly as the reference does, in the same order', () => {
    const g = grouped(m);
    expect(g).toEqual(sorted(REFERENCE));
    expect(Object.keys(g)).toEqual(Object.keys(REFERENCE));
    expect(driverArcs(m).blocked.map((p) => text(m, p))).toEqual(REFERENCE_BLOCKED);
  });

  test('each flag set implements the groups that hold for it, and is never asked for the arcs of the others', () => {
    const d = driverArcs(m);
    const byFlags = new Map(d.flagSets.map((f) => [f.flags, f]));
    const expectSet = (flags: string[], groups: string[], other: string[], blocked: string[]): void => {
      const f = byFlags.get(flagWord(m, ...flags))!;
      expect(f.implement.map((p) => text(m, p)).sort()).toEqual(groups.flatMap((g) => REFERENCE[g]!).sort());
      expect(f.otherArcs.map((p) => text(m, p)).sort()).toEqual(other);
      expect(f.blocked.map((p) => text(m, p))).toEqual(blocked);
    };
    expectSet(['STOP_COPY'], ['always', 'without P2P'], [], []);
    expectSet(['STOP_COPY', 'P2P'], ['always', 'with P2P'], ['RUNNING->STOP', 'STOP->RUNNING'], []);
    expectSet(['STOP_COPY', 'PRE_COPY'], ['always', 'without P2P', 'with PRE_COPY', 'with PRE_COPY, without P2P'], [], ['STOP_COPY->PRE_COPY']);
    expectSet(['STOP_COPY', 'P2P', 'PRE_COPY'], ['always', 'with P2P', 'with PRE_COPY', 'with PRE_COPY and P2P'], ['PRE_COPY->STOP_COPY', 'RUNNING->STOP', 'STOP->RUNNING'], REFERENCE_BLOCKED);
    expect(d.flagSets).toHaveLength(4);
  });

  test('--flags keeps only the groups that driver falls in', () => {
    const g = grouped(m, flagWord(m, 'STOP_COPY', 'P2P'));
    expect(g).toEqual(sorted({ always: REFERENCE.always!, 'with P2P': REFERENCE['with P2P']! }));
  });
});

describe('arcs on the older eras', () => {
  test('v2: the six arcs the reference lists, all unconditional', () => {
    const m = bundled(HISTORY[0]);
    expect(grouped(m)).toEqual({ always: ['RESUMING->STOP', 'RUNNING->STOP', 'STOP->RESUMING', 'STOP->RUNNING', 'STOP->STOP_COPY', 'STOP_COPY->STOP'] });
  });

  test('5.18: RUNNING_P2P with its four arcs, RUNNING <-> STOP only without P2P', () => {
    const m = bundled(HISTORY[2]);
    expect(grouped(m)).toEqual(sorted({ always: REFERENCE.always!, 'with P2P': REFERENCE['with P2P']!, 'without P2P': REFERENCE['without P2P']! }));
  });
});

describe('cover', () => {
  test('describes a set of flag sets that is no single condition as a disjunction', () => {
    // Optional bits 1 and 2; members {1} and {2}: exactly one of them. The
    // condition naming the newer flag as present comes first.
    const cubes = cover([1, 2], [0, 1, 2, 3], 3);
    expect(cubes).toEqual([
      { require: 2, forbid: 1 },
      { require: 1, forbid: 2 },
    ]);
  });

  test('every member and nothing else', () => {
    const universe = [0, 1, 2, 3, 4, 5, 6, 7];
    for (let members = 1; members < 256; members++) {
      const set = universe.filter((w) => (members >> w) & 1);
      const cubes = cover(set, universe, 7);
      const covered = universe.filter((w) => cubes.some((c) => (w & c.require) === c.require && (w & c.forbid) === 0));
      expect(covered).toEqual(set);
    }
  });
});

describe('vfio-fsm arcs', () => {
  test('prints the kernel comment layout for the mainline spec', async () => {
    const r = await runCli(['arcs']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('with PRE_COPY, without P2P:\n    PRE_COPY -> STOP_COPY\n');
    expect(r.stdout).toContain('blocked (must fail):\n    STOP_COPY -> PRE_COPY\n    STOP_COPY -> PRE_COPY_P2P\n');
    expect(r.stdout).toContain('{STOP_COPY, P2P}            8 arcs (always; with P2P); never asked for RUNNING -> STOP, STOP -> RUNNING');
  });

  test('--flags adds the mandatory flag and lists what that driver must never be asked to take', async () => {
    const r = await runCli(['arcs', '--flags', 'P2P,PRE_COPY']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('arcs a driver with {STOP_COPY, P2P, PRE_COPY} must implement');
    expect(r.stdout).toContain('must implement: 15 arcs');
    expect(r.stdout).toContain('these arcs of other flag sets between states it has:\n    PRE_COPY -> STOP_COPY\n    RUNNING -> STOP\n    STOP -> RUNNING');
  });

  test('--json lists groups and flag sets by name', async () => {
    const r = await runCli(['arcs', '--json']);
    const j = JSON.parse(r.stdout) as { groups: { condition: string; arcs: string[][] }[]; blocked: string[][] };
    expect(j.groups.map((g) => g.condition)).toEqual(Object.keys(REFERENCE));
    expect(j.blocked).toEqual([
      ['STOP_COPY', 'PRE_COPY'],
      ['STOP_COPY', 'PRE_COPY_P2P'],
    ]);
  });
});
