// The symmetry reduction of flags nothing mentions (src/analysis/flag-space.ts):
// the 31- and 32-flag variants of linux-6.2.fsm, the claim that unused
// flags change no answer (on the bundled specs and on random VFIO-shaped
// specs, against a brute-force enumeration), and the counts reported.
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { CheckResult } from '../../src/analysis/check.js';
import { check } from '../../src/analysis/check.js';
import { allFlagSets } from '../../src/analysis/flag-sets.js';
import { flagSpace, planFlagSets, wordsOver } from '../../src/analysis/flag-space.js';
import { compileSpec } from '../../src/model/front-end.js';
import type { Model } from '../../src/model/model.js';
import { flagNames } from '../../src/model/model.js';
import { SourceText } from '../../src/common/source.js';
import { randomSpec } from '../bench/random-spec.js';
import { model } from '../support/compile.js';
import { runCli } from '../support/run-cli.js';
import { emitC } from '../../src/emit/c-file.js';
import { diagramGraphs } from '../../src/emit/diagram.js';
import { emitDot } from '../../src/emit/dot.js';
import { flagSetFacts } from '../../src/emit/facts.js';
import { LINUX_62, byNames, mentionedFlags, range, readRepoFile, withUnusedFlags } from './spec-variants.js';

const ORIGINAL = readRepoFile(LINUX_62);
const WITH_31 = withUnusedFlags(ORIGINAL, range(3, 30));
const WITH_32 = withUnusedFlags(ORIGINAL, range(3, 31));

/** The three requests on which the 6.2-7.1 loop never ends, as the README lists them. */
const THREE = [
  { property: 'termination', flags: ['STOP_COPY', 'PRE_COPY'], current: 'STOP_COPY', target: 'PRE_COPY' },
  { property: 'termination', flags: ['STOP_COPY', 'P2P', 'PRE_COPY'], current: 'STOP_COPY', target: 'PRE_COPY' },
  { property: 'termination', flags: ['STOP_COPY', 'P2P', 'PRE_COPY'], current: 'STOP_COPY', target: 'PRE_COPY_P2P' },
];

function brief(m: Model, r: CheckResult) {
  return r.violations.map((v) => ({ property: v.property, flags: flagNames(m, v.flags), current: m.states[v.current]!.name, target: m.states[v.target]!.name }));
}

describe('linux-6.2.fsm with 28 and 29 flags that nothing uses', () => {
  const original = model(ORIGINAL, LINUX_62);

  test.each([
    [31, WITH_31],
    [32, WITH_32],
  ])('with %i flags: exactly the three termination violations of the original', (flags, text) => {
    const m = model(text, LINUX_62);
    expect(m.flags).toHaveLength(flags);
    const r = check(m);
    expect(r.ok).toBe(false);
    expect(brief(m, r)).toEqual(THREE);
    // Everything else too, word for word: rows, walks, messages, warnings.
    expect(byNames(m, r)).toEqual(byNames(original, check(original)));
    expect(r.coverage).toEqual({ total: 2 ** flags, direct: 8, bySymmetry: 2 ** flags - 8, notChecked: 0, unmentioned: wordOf(m, range(3, flags - 1)) });
  });

  test('the flag-set counts never wrap: 2^31 and 2^32 are exact', () => {
    expect(flagSpace(model(WITH_31)).total).toBe(2147483648);
    expect(flagSpace(model(WITH_32)).total).toBe(4294967296);
    expect(flagSpace(model(WITH_32)).unmentionedMask).toBe(0xfffffff8);
  });

  test('the word with every bit set, where ERROR counts as supported, fails on no request that its representative passes', () => {
    // With 32 flags the full word is all ones: a device with every bit makes
    // the 5.18 lookup's ERROR "supported", so its loop stops at ERROR. The
    // reduction checks that class through the undeclared-bit probe of the
    // representative; here it is checked directly, as the full enumeration would.
    const m = model(WITH_32);
    expect(m.flagMask).toBe(0xffffffff);
    const all = check(m, { only: [0xffffffff] });
    const rep = check(m, { only: [flagSpace(m).mentionedMask] });
    const failing = (r: CheckResult): Set<string> => new Set(r.violations.map((v) => `${v.current}>${v.target}`));
    expect([...failing(all)].filter((k) => !failing(rep).has(k))).toEqual([]);
    expect(all.ok).toBe(true);
    expect(brief(m, rep).map((v) => v.target)).toEqual(['PRE_COPY', 'PRE_COPY_P2P']);
  });

  test.each([
    [31, WITH_31, '2,147,483,648 flag sets: 8 checked directly, 2,147,483,640 by symmetry'],
    [32, WITH_32, '4,294,967,296 flag sets: 8 checked directly, 4,294,967,288 by symmetry'],
  ])('`vfio-fsm check` of the %i-flag variant exits 1 and says how many flag sets were checked and how', async (flags, text, counts) => {
    const path = specFile(`linux-6.2-${flags}.fsm`, text);
    const r = await runCli(['check', path]);
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`FAIL: 3 violations of termination (${counts})`);
    expect(r.stdout).toContain(`note: ${flags - 3} flags are mentioned by nothing (UNUSED3, UNUSED4,`);
    expect(r.stdout).toContain('checked once, by symmetry');
    // The rows are the eight representatives, without the unused flags.
    expect(r.stdout).toContain('\n  {STOP_COPY, P2P, PRE_COPY}       7        40          25  2 violations\n');
    expect(r.stdout.match(/^✗ termination under /gm)).toHaveLength(3);

    const j = await runCli(['check', path, '--json']);
    expect(j.code).toBe(1);
    const doc = JSON.parse(j.stdout) as { ok: boolean; flagSetCount: Record<string, number>; unmentionedFlags: string[]; flagSets: unknown[]; violations: unknown[] };
    expect(doc.ok).toBe(false);
    expect(doc.flagSetCount).toEqual({ total: 2 ** flags, checkedDirectly: 8, bySymmetry: 2 ** flags - 8, notChecked: 0 });
    expect(doc.unmentionedFlags).toEqual(range(3, flags - 1).map((n) => `UNUSED${n}`));
    expect(doc.flagSets).toHaveLength(8);
    expect(doc.violations).toHaveLength(3);
  });

  test('a spec without unused flags says so: every flag set checked directly, none by symmetry', async () => {
    const r = await runCli(['check']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('ok: every property holds for 8 flag sets (8 checked directly, 0 by symmetry; 91 requests)');
    expect(r.stdout).not.toContain('mentioned by nothing');
  });

  test('--flags checks one flag set and does not say ok for the others', async () => {
    const r = await runCli(['check', '--flags', 'STOP_COPY']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('partial: every property holds for the 1 flag set chosen (12 requests); 7 of the 8 flag sets were not checked');
    const j = JSON.parse((await runCli(['check', '--flags', 'STOP_COPY', '--json'])).stdout) as { flagSetCount: Record<string, number> };
    expect(j.flagSetCount).toEqual({ total: 8, checkedDirectly: 1, bySymmetry: 0, notChecked: 7 });
  });

  test('the other commands reduce the same way and do not hang', async () => {
    const path = specFile('linux-6.2-32-arcs.fsm', WITH_32);
    const arcs = await runCli(['arcs', path]);
    expect(arcs.code).toBe(0);
    // Conditions over the mentioned flags only, as for the original.
    expect(arcs.stdout).not.toContain('UNUSED');
    expect(arcs.stdout.split('\n').slice(1)).toEqual((await runCli(['arcs', LINUX_62])).stdout.split('\n').slice(1));
    const one = await runCli(['arcs', path, '--flags', 'P2P,UNUSED17']);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('arcs a driver with {UNUSED17, STOP_COPY, P2P} must implement');
    expect(one.stdout).toContain('must implement: 8 arcs');

    const diff = await runCli(['diff', LINUX_62, path]);
    // The same FSM with more (unused) flags: no existing device behaves differently; but the 6.2 spec fails its check, so the diff does too.
    expect(diff.code).toBe(1);
    expect(diff.stdout).toContain('no behaviour change for existing flag sets');
    expect(diff.stdout).toContain('FAIL: the new spec fails check (termination, 3 violations)');
  });
});

describe('unused flags change no answer', () => {
  test.each(['spec/vfio-migration.fsm', 'spec/history/linux-5.18.fsm', 'spec/history/seed-v6.fsm', 'spec/history/v2-protocol.fsm', LINUX_62])(
    '%s with unused flags at bits 4, 9 and 31 gives exactly its own report',
    (path) => {
      const text = readRepoFile(path);
      const plain = model(text, path);
      const extended = model(withUnusedFlags(text, [4, 9, 31]), path);
      expect(byNames(extended, check(extended))).toEqual(byNames(plain, check(plain)));
      expect(check(extended).coverage.bySymmetry).toBe(2 ** (plain.flags.length + 3) - 2 ** plain.flags.length);
    },
  );

  test('a spec whose lookup never tests the mandatory flag keeps its sink violations, once per representative', () => {
    const text = readRepoFile('spec/history/seed-v6.fsm').replace(/lookup seed-v6 assuming STOP_COPY/, 'lookup seed-v6');
    const plain = model(text);
    const extended = model(withUnusedFlags(text, [2, 3]));
    const r = check(extended);
    expect(r.ok).toBe(false);
    expect(byNames(extended, r)).toEqual(byNames(plain, check(plain)));
  });

  /**
   * Random specs shaped like the VFIO FSM (test/bench/random-spec.ts), made to
   * fail in several ways (another lookup, arcs dropped), with unused flags at
   * random free bits. The reduced check must give exactly the report of the
   * spec without them, and the brute-force check of every flag set (with the
   * unused flags in every combination) must give, for each flag set, exactly
   * the violations of its representative.
   */
  test('on random VFIO-shaped specs: the report of the spec without them, and the brute force agrees', () => {
    const arb = fc.record({
      states: fc.integer({ min: 3, max: 9 }),
      flags: fc.integer({ min: 1, max: 4 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      lookup: fc.constantFrom('linux-7.2', 'linux-5.18', 'seed-v6', 'v2'),
      drop: fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 3 }),
      extra: fc.uniqueArray(fc.integer({ min: 4, max: 31 }), { minLength: 1, maxLength: 3 }),
    });
    let failing = 0;
    fc.assert(
      fc.property(arb, ({ states, flags, seed, lookup, drop, extra }) => {
        const text = mutate(randomSpec(states, flags, seed), lookup, drop);
        const plain = compiled(text);
        fc.pre(plain !== undefined);
        const extended = compiled(withUnusedFlags(text, extra))!;
        const reduced = check(extended);
        expect(byNames(extended, reduced)).toEqual(byNames(plain!, check(plain!)));
        if (!reduced.ok) failing++;

        // Brute force: every flag word, unused flags included, checked as given.
        const mentioned = flagSpace(extended).mentionedMask;
        const full = check(extended, { only: allFlagSets(extended) });
        expect(full.ok).toBe(reduced.ok);
        const key = (v: CheckResult['violations'][number], word: number): string => `${v.property} ${word} ${v.current}>${v.target} ${v.message}`;
        const fromFull = new Set(full.violations.map((v) => key(v, (v.flags & mentioned) >>> 0)));
        const fromReduced = new Set(reduced.violations.map((v) => key(v, v.flags)));
        expect(fromFull).toEqual(fromReduced);
        // Each flag word has exactly its representative's violations, no more, no fewer.
        for (const word of allFlagSets(extended)) {
          const own = full.violations.filter((v) => v.flags === word).map((v) => key(v, (word & mentioned) >>> 0));
          const rep = reduced.violations.filter((v) => v.flags === ((word & mentioned) >>> 0)).map((v) => key(v, v.flags));
          expect(own).toEqual(rep);
        }
      }),
      { numRuns: 60, seed: 0x16 },
    );
    // The generator must also produce failing specs, or the comparison proves little.
    expect(failing).toBeGreaterThan(5);
  });

  test('on random specs padded to 32 flags, the all-ones word adds no failing request', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 8 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom('linux-5.18', 'linux-7.2', 'seed-v6'), (states, flags, seed, lookup) => {
        const text = withUnusedFlags(mutate(randomSpec(states, flags, seed), lookup, [seed % 7]), range(flags, 31));
        const m = compiled(text);
        fc.pre(m !== undefined);
        const failing = (r: CheckResult): string[] => r.violations.map((v) => `${v.current}>${v.target}`);
        const all = new Set(failing(check(m!, { only: [0xffffffff] })));
        const rep = new Set(failing(check(m!, { only: [flagSpace(m!).mentionedMask] })));
        expect([...all].filter((k) => !rep.has(k))).toEqual([]);
      }),
      { numRuns: 40, seed: 0x1f },
    );
  });
});

describe('generated code from a spec with unused flags', () => {
  test('the kernel C and the diagrams are those of the spec without them (the comment neither requires nor excludes them)', () => {
    const mainline = readRepoFile('spec/vfio-migration.fsm');
    const emit = (text: string) => {
      const m = model(text, 'spec/vfio-migration.fsm');
      const result = check(m);
      const facts = flagSetFacts(m, result);
      return { c: emitC(m, result, facts), dot: emitDot(m, diagramGraphs(m, result, facts)) };
    };
    const extended = emit(withUnusedFlags(mainline, range(3, 31)));
    expect(extended.c).not.toContain('UNUSED');
    expect(extended).toEqual(emit(mainline));
  });
});

describe('flag words use all 32 bits', () => {
  /** The spec with its flags (bits 0, 1, 2) moved to the given bits; by default the mandatory one to bit 31. */
  function renumbered(text: string, to: readonly [number, number, number] = [31, 30, 29]): string {
    return text
      .replace(/1 << 0\b/, `1 << ${to[0]}`)
      .replace(/1 << 1\b/, `1 << ${to[1]}`)
      .replace(/1 << 2\b/, `1 << ${to[2]}`);
  }

  test.each(['spec/history/seed-v6.fsm', LINUX_62, 'spec/vfio-migration.fsm'])('%s with its mandatory flag at bit 31 gives the same report, `assuming` included', (path) => {
    const text = readRepoFile(path);
    const high = model(renumbered(text), path);
    expect(high.mandatory.bit).toBe(0x80000000);
    const plain = model(text, path);
    // Rows come in order of their words, which the renumbering changes: compare them as sets.
    const sorted = (m: Model) => {
      const r = byNames(m, check(m));
      const order = <T>(xs: T[]): T[] => xs.map((x) => JSON.stringify(x)).sort().map((x) => JSON.parse(x) as T);
      return { ...r, rows: order(r.rows), violations: order(r.violations) };
    };
    expect(sorted(high)).toEqual(sorted(plain));
  });

  test('arcs and diff read the top bit unsigned too', async () => {
    // In the same order (the kernel comment's layout follows bit order), with PRE_COPY at bit 31.
    const path = specFile('mainline-high.fsm', renumbered(readRepoFile('spec/vfio-migration.fsm'), [29, 30, 31]));
    const high = await runCli(['arcs', path]);
    // The groups and their arcs; the per-flag-set lines at the end follow word order.
    const groups = (out: string): string => out.slice(out.indexOf('\n'), out.indexOf('per flag set:'));
    expect(groups(high.stdout)).toEqual(groups((await runCli(['arcs'])).stdout));
    const seed = specFile('seed-high.fsm', renumbered(readRepoFile('spec/history/seed-v6.fsm')));
    const d = await runCli(['diff', 'spec/history/seed-v6.fsm', seed]);
    // Moving a bit is an ABI change, and the only change: every flag set, the one assumed at bit 31 included, behaves alike.
    expect(d.stdout).toContain('BEHAVIOUR CHANGE: 2 changes');
    expect(d.stdout).toContain('STOP_COPY moves from 1 << 0 to 1 << 31: an ABI change');
    for (const set of ['{}', '{STOP_COPY}', '{P2P}', '{STOP_COPY, P2P}']) expect(d.stdout).toMatch(new RegExp(`^  ${set.replace(/[{}]/g, '\\$&')} +unchanged$`, 'm'));
  });
});

describe('enumeration', () => {
  test('words over a mask come fewest bits first, then by value, with bit 31 unsigned', () => {
    expect(wordsOver(0b1011)).toEqual([0, 1, 2, 8, 3, 9, 10, 11]);
    expect(wordsOver(0x80000001)).toEqual([0, 1, 0x80000000, 0x80000001]);
    expect(wordsOver(0)).toEqual([0]);
  });

  test('a spec with 20 mentioned flags plans 2^20 representatives; 21 is refused by default and allowed by a higher limit', () => {
    const twenty = model(mentionedFlags(20));
    const plan = planFlagSets(twenty);
    expect(plan.ok && plan.words.length).toBe(2 ** 20);
    expect(planFlagSets(model(mentionedFlags(21))).ok).toBe(false);
    expect(planFlagSets(model(mentionedFlags(21)), 2 ** 21).ok).toBe(true);
  });
});

const dir = mkdtempSync(join(tmpdir(), 'vfio-fsm-symmetry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function specFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function wordOf(m: Model, bits: readonly number[]): number {
  return bits.reduce((w, b) => (w | m.flags.find((f) => f.name === `UNUSED${b}`)!.bit) >>> 0, 0);
}

function compiled(text: string): Model | undefined {
  return compileSpec(new SourceText('random.fsm', text)).model;
}

/** Another lookup, and some arcs dropped (by index among the arc lines), so that random specs fail too. */
function mutate(text: string, lookup: string, drop: readonly number[]): string {
  const lines = text.replace('lookup linux-7.2', `lookup ${lookup}`).split('\n');
  const arcLines = lines.flatMap((l, i) => (/^ {2}\S+ <-> \S+/.test(l) ? [i] : []));
  const gone = new Set(drop.map((d) => arcLines[d % Math.max(1, arcLines.length)]));
  return lines.filter((_, i) => !gone.has(i)).join('\n');
}
