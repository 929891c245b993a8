import { describe, expect, test } from 'vitest';
import type { CheckResult, Property } from '../../src/analysis/check.js';
import { check } from '../../src/analysis/check.js';
import { viewFlagSet } from '../../src/analysis/flag-sets.js';
import { PathSelector } from '../../src/analysis/paths.js';
import { deriveTable } from '../../src/analysis/kernel-table.js';
import { DIVERGES, REFUSED_SINK, lookupCode } from '../../src/analysis/lookup.js';
import type { Model } from '../../src/model/model.js';
import { flagNames } from '../../src/model/model.js';
import { bundled, flagWord, model, names, sv } from '../support/compile.js';
import { BLOCKED_FIXED, FAILING_TINY_SPECS, SPLIT_ARCS, SPLIT_STATES, TINY_STATES, tinySpec } from '../support/tiny-specs.js';

/** A small FSM from test/support/tiny-specs.ts; each test adds the arcs, blocks, groups and lookup it is about. */
function spec(body: string, lookup = 'linux-7.2', states = TINY_STATES): Model {
  return model(tinySpec(body, lookup, states));
}

function only(result: CheckResult, property: Property) {
  const found = result.violations.filter((v) => v.property === property);
  expect(result.violations.map((v) => v.property)).toEqual(found.map(() => property));
  return found;
}

describe('reachability', () => {
  test('a state no arc leads to is reported for every flag set where it exists', () => {
    const m = model(FAILING_TINY_SPECS.unreachable);
    const vs = only(check(m), 'reachability');
    const cases = vs.map((v) => `${flagNames(m, v.flags).join(',')}:${m.states[v.current]!.name}->${m.states[v.target]!.name}`);
    expect(cases).toEqual(expect.arrayContaining(['M:C->A', 'M:C->B', 'M,OPT:C->A', 'M,OPT:X->A', 'M,OPT:A->X']));
    expect(vs.every((v) => v.paths.length === 0 && v.message.includes('no path'))).toBe(true);
  });

  test('an interior rule can be what makes a target unreachable', () => {
    const m = model(FAILING_TINY_SPECS.unreachableByRule);
    const vs = only(check(m), 'reachability');
    expect(vs.map((v) => `${names(m, [v.current, v.target]).join('->')}`)).toContain('A->C');
  });

  test('a connected FSM satisfies it', () => {
    expect(check(spec('arcs { A <-> B; B <-> C; C <-> X when OPT }')).ok).toBe(true);
  });
});

describe('ambiguity', () => {
  test('two equally short rule-abiding paths are both reported', () => {
    const m = model(FAILING_TINY_SPECS.ambiguous);
    const vs = only(check(m), 'ambiguity');
    expect(vs).toHaveLength(1);
    const [v] = vs;
    expect(flagNames(m, v!.flags)).toEqual(['M', 'OPT']);
    expect(names(m, [v!.current, v!.target])).toEqual(['A', 'X']);
    expect(v!.paths.map((p) => names(m, p))).toEqual([
      ['A', 'B', 'X'],
      ['A', 'C', 'X'],
    ]);
  });

  test('a rule that forbids one of them resolves it', () => {
    const m = spec('arcs { A -> B; A -> C; B -> A; C -> A; B -> X when OPT; C -> X when OPT; X -> A }\ngroup g = C\nrule interior g never');
    expect(check(m).ok).toBe(true);
  });
});

describe('sink', () => {
  test('a lookup that never tests the mandatory flag hands out steps on a device without migration', () => {
    const m = model(FAILING_TINY_SPECS.unguardedSeed);
    const vs = only(check(m), 'sink');
    const first = vs[0]!;
    expect(flagNames(m, first.flags)).toEqual([]);
    expect(names(m, [first.current, first.target])).toEqual(['A', 'B']);
    expect(names(m, first.walk)).toEqual(['A', 'B']);
    expect(first.message).toContain('must be refused');
    expect(new Set(vs.map((v) => flagNames(m, v.flags).join(',')))).toEqual(new Set(['', 'OPT']));
  });

  test('saying that the caller guarantees the flag makes those flag sets unconsulted', () => {
    const m = spec('arcs { A <-> B; B <-> C; C <-> X when OPT }', 'seed-v6 assuming M');
    const result = check(m);
    expect(result.ok).toBe(true);
    expect(result.flagSets.filter((f) => !f.consulted).map((f) => flagNames(m, f.flags))).toEqual([[], ['OPT']]);
  });
});

describe('table', () => {
  test('one table cannot serve a flag set whose path avoids the state the full set goes through', () => {
    // With OPT, A reaches B through X; without it, through C. The table says X,
    // and skipping X lands on B directly, which is not an arc without OPT.
    const m = model(FAILING_TINY_SPECS.oneTableTwoPaths);
    const vs = only(check(m), 'table');
    const v = vs.find((x) => names(m, [x.current, x.target]).join() === 'A,B');
    expect(flagNames(m, v!.flags)).toEqual(['M']);
    expect(names(m, [v!.current, v!.target])).toEqual(['A', 'B']);
    expect(names(m, v!.walk)).toEqual(['A', 'B']);
    expect(v!.paths.map((p) => names(m, p))).toEqual([['A', 'C', 'B']]);
    expect(v!.message).toContain('not an arc under these flags');
  });

  test('the same FSM with the optional state between the two is served by one table', () => {
    const m = spec('arcs { A -> X when OPT; X -> B when OPT; A -> B when not OPT; B -> A; A <-> C }');
    expect(check(m).ok).toBe(true);
  });
});

describe('termination', () => {
  test('a loop that skips every unsupported state, ERROR included, never ends on a blocked cell', () => {
    const m = model(FAILING_TINY_SPECS.endlessOnBlocked);
    const vs = only(check(m), 'termination');
    expect(vs).toHaveLength(1);
    const [v] = vs;
    expect(flagNames(m, v!.flags)).toEqual(['M', 'OPT']);
    expect(names(m, [v!.current, v!.target])).toEqual(['X', 'A']);
    expect(names(m, v!.walk)).toEqual(['E']);
  });

  test('the 7.2 loop stops at ERROR and refuses instead', () => {
    const m = model(BLOCKED_FIXED);
    expect(check(m).ok).toBe(true);
  });
});

describe('step consistency', () => {
  // A, B and T form a group whose members may be interior only when both ends
  // are in it (test/support/tiny-specs.ts).
  test('after one step the path selected from there is not the rest of the first one', () => {
    const m = model(FAILING_TINY_SPECS.stepInconsistent);
    const vs = only(check(m), 'step-consistency');
    // once: OPT is declared but nothing here mentions it, so it is checked once, by symmetry
    expect(vs.map((x) => flagNames(m, x.flags).join())).toEqual(['M']);
    const [v] = vs;
    expect(flagNames(m, v!.flags)).toEqual(['M']);
    expect(names(m, [v!.current, v!.target])).toEqual(['A', 'T']);
    expect(names(m, v!.paths[0]!)).toEqual(['A', 'N', 'B', 'T']);
    expect(names(m, v!.paths[1]!)).toEqual(['N', 'P', 'Q', 'T']);
  });

  test('a rule that does not depend on the ends is consistent on the same arcs', () => {
    const m = spec(`${SPLIT_ARCS}\nrule interior g never`, 'linux-7.2', SPLIT_STATES);
    expect(check(m).ok).toBe(true);
  });
});

describe('arc use', () => {
  test('an arc that exists only under flag sets the lookup is never consulted for is reported unused', () => {
    const m = spec('arcs { A <-> B; B <-> C when not OPT; B <-> X when OPT; X <-> C when OPT }', 'linux-7.2 assuming M and OPT');
    const result = check(m);
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => names(m, [w.arc.from, w.arc.to]))).toEqual([
      ['B', 'C'],
      ['C', 'B'],
    ]);
  });

  test('the arcs a driver must implement are listed per flag set', () => {
    const m = bundled('spec/vfio-migration.fsm');
    const result = check(m);
    const arcs = (flags: string[]) =>
      result.flagSets
        .find((f) => f.flags === flagWord(m, ...flags))!
        .requiredArcs.map(([a, b]) => `${m.states[a]!.name}->${m.states[b]!.name}`)
        .sort();
    expect(arcs(['STOP_COPY'])).toEqual(['RESUMING->STOP', 'RUNNING->STOP', 'STOP->RESUMING', 'STOP->RUNNING', 'STOP->STOP_COPY', 'STOP_COPY->STOP']);
    expect(arcs(['STOP_COPY', 'PRE_COPY'])).toEqual(
      ['PRE_COPY->RUNNING', 'PRE_COPY->STOP_COPY', 'RESUMING->STOP', 'RUNNING->PRE_COPY', 'RUNNING->STOP', 'STOP->RESUMING', 'STOP->RUNNING', 'STOP->STOP_COPY', 'STOP_COPY->STOP'],
    );
    expect(arcs(['STOP_COPY', 'P2P', 'PRE_COPY'])).toHaveLength(4 + 4 + 2 + 5);
  });
});

describe('undeclared flag bits', () => {
  test('change no answer of the mainline lookup, for any input', () => {
    const m = bundled('spec/vfio-migration.fsm');
    const table = deriveTable(m);
    const n = m.states.length;
    let compared = 0;
    for (let word = 0; word <= m.flagMask; word++) {
      if ((word & ~m.flagMask) !== 0) continue;
      for (const extra of [~m.flagMask >>> 0, 1 << 31, 1 << 3]) {
        for (let cur = 0; cur <= n; cur++) {
          for (let target = 0; target <= n; target++) {
            const declared = lookupCode(m.lookup.variant, table, cur, target, word);
            const widened = lookupCode(m.lookup.variant, table, cur, target, (word | extra) >>> 0);
            // every refusal is one answer to the caller, whatever its reason
            expect(widened < 0 ? 'refused' : widened, `${cur}->${target} 0x${word.toString(16)}|0x${(extra >>> 0).toString(16)}`).toBe(declared < 0 ? 'refused' : declared);
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(8 * 3 * 9 * 9);
  });

  test('with every bit set, the 6.2-7.1 loop counts ERROR as supported, so the blocked request ends', () => {
    // Why the checker runs the all-ones word: it is the one word for which
    // the sink's all-ones requirement holds.
    const m = bundled('spec/history/linux-6.2.fsm');
    const table = deriveTable(m);
    const declared = flagWord(m, 'STOP_COPY', 'PRE_COPY');
    expect(lookupCode('linux-5.18', table, sv(m, 'STOP_COPY'), sv(m, 'PRE_COPY'), declared)).toBe(DIVERGES);
    expect(lookupCode('linux-5.18', table, sv(m, 'STOP_COPY'), sv(m, 'PRE_COPY'), 0xffffffff)).toBe(REFUSED_SINK);
  });
});

describe('bundled specs get the verdicts the README explains', () => {
  test.each(['spec/vfio-migration.fsm', 'spec/history/linux-5.18.fsm', 'spec/history/seed-v6.fsm', 'spec/history/v2-protocol.fsm'])('%s holds', (path) => {
    const result = check(bundled(path));
    expect(result.violations).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  test('linux-6.2 (the 6.2 to 7.1 loop) never ends on the two blocked pre-copy requests, and nothing else', () => {
    const m = bundled('spec/history/linux-6.2.fsm');
    const result = check(m);
    expect(result.violations.map((v) => `${v.property} {${flagNames(m, v.flags).join(',')}} ${names(m, [v.current, v.target]).join(' -> ')} loop ${names(m, v.walk).join(',')}`)).toEqual([
      'termination {STOP_COPY,PRE_COPY} STOP_COPY -> PRE_COPY loop ERROR',
      'termination {STOP_COPY,P2P,PRE_COPY} STOP_COPY -> PRE_COPY loop ERROR',
      'termination {STOP_COPY,P2P,PRE_COPY} STOP_COPY -> PRE_COPY_P2P loop ERROR',
    ]);
    expect(sv(m, 'ERROR')).toBe(0);
  });
});

describe('flag bit 31', () => {
  test('a state that needs the top bit of the word exists when it is set', () => {
    const m = model(`machine top
flags { M = 1 << 0 mandatory; HIGH = 1 << 31 }
states { E = 0 sink; A = 1 needs M; B = 2 needs M; H = 3 needs M, HIGH }
order A, B, H, E
arcs { A <-> B; B <-> H when HIGH }
rule shortest
lookup linux-7.2`);
    const result = check(m);
    expect(result.violations).toEqual([]);
    const full = result.flagSets.find((f) => f.flags === m.flagMask)!;
    expect(full.states).toBe(3);
    expect(full.requests).toBe(6);
  });

  test('an out-of-range request never borrows the answer of an in-range one', () => {
    const m = bundled('spec/vfio-migration.fsm');
    const selector = new PathSelector(m, viewFlagSet(m, m.flagMask));
    expect(selector.select(sv(m, 'STOP'), sv(m, 'RESUMING')).kind).toBe('path');
    expect(selector.select(sv(m, 'RUNNING'), -7)).toEqual({ kind: 'refused', reason: 'unsupported' });
    expect(selector.select(255, sv(m, 'STOP'))).toEqual({ kind: 'refused', reason: 'unsupported' });
  });
});
