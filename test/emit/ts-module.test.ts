import { beforeAll, describe, expect, test } from 'vitest';
import { check } from '../../src/analysis/check.js';
import { allFlagSets, viewFlagSet } from '../../src/analysis/flag-sets.js';
import { deriveTable } from '../../src/analysis/kernel-table.js';
import { lookup } from '../../src/analysis/lookup.js';
import type { Selection } from '../../src/analysis/paths.js';
import { PathSelector } from '../../src/analysis/paths.js';
import { EmitError } from '../../src/emit/emit-error.js';
import { emitTsModule } from '../../src/emit/ts-module.js';
import type { Model } from '../../src/model/model.js';
import { bundled, model } from '../support/compile.js';
import { loadModule, typeCheck } from '../support/generated-module.js';

/** The exports every generated module has, typed loosely enough to call with any number, as JavaScript would. */
interface Generated {
  stateNames: readonly string[];
  requiredFlags: readonly number[];
  nextStepTable: readonly (readonly number[])[];
  lookupVariant: string;
  toState(value: number): { kind: 'state'; state: number } | { kind: 'refused'; reason: string };
  nextStep(current: number, target: number, flags: number): { kind: string; reason?: string };
  path(current: number, target: number, flags: number): { kind: string; path?: readonly number[]; reason?: string };
  supportedStates(flags: number): number[];
  requiredArcs(flags: number): (readonly [number, number])[];
}

/** A spec with two optional flags and an optional state needing both, for the seed lookup's generic form. */
const TWO_OPTIONAL = `machine two
flags { M = 1 << 0 mandatory; A = 1 << 1; B = 1 << 3 }
states { E = 0 sink; S = 1 needs M; R = 2 needs M; PA = 3 needs M, A; PAB = 4 needs M, A, B }
order S, R, PA, PAB, E
arcs { S <-> R when not A; S <-> PA when A; PA <-> R when A; PA <-> PAB when A and B }
rule shortest
lookup seed-v6`;

/**
 * A spec the checker rejects: A -> X has two shortest paths (through B and
 * through C; the one through Y is barred by the interior rule), and nothing
 * leads back from Y without OPT. path() must say so too; and the 5.18 loop
 * goes round on the sink cells of the ambiguous requests.
 */
const AMBIGUOUS = `machine amb
emit ts { state-type AmbState; flag-type AmbFlag }
flags { M = 1 << 0 mandatory; OPT = 1 << 1 }
states { E = 0 sink; A = 1 needs M; B = 2 needs M; C = 3 needs M; X = 4 needs M, OPT; Y = 5 needs M }
order A, B, C, X, Y, E
arcs { A -> B; A -> C; B -> A; C -> A; B -> X when OPT; C -> X when OPT; X -> A; A -> Y; Y -> X when OPT }
group g = Y
rule shortest; interior g never
lookup linux-5.18 assuming M`;

/** Whether a case's lookup goes round forever somewhere, and whether it reads a sink cell with no path behind it. */
interface Expect {
  readonly diverges: boolean;
  readonly noPath: boolean;
}
const PASSES: Expect = { diverges: false, noPath: false };

const cases: [string, () => Model, Expect][] = [
  ['spec/vfio-migration.fsm', () => bundled('spec/vfio-migration.fsm'), PASSES],
  ['spec/history/linux-5.18.fsm', () => bundled('spec/history/linux-5.18.fsm'), PASSES],
  ['spec/history/seed-v6.fsm', () => bundled('spec/history/seed-v6.fsm'), PASSES],
  ['spec/history/v2-protocol.fsm', () => bundled('spec/history/v2-protocol.fsm'), PASSES],
  // Fails the check on purpose: its lookup loop never ends, which the module must report too.
  ['spec/history/linux-6.2.fsm', () => bundled('spec/history/linux-6.2.fsm'), { diverges: true, noPath: false }],
  ['two optional flags (seed lookup)', () => model(TWO_OPTIONAL, 'two.fsm'), PASSES],
  // The 5.18 loop goes round on the sink cells of its ambiguous requests, except for an all-ones
  // flags word, which counts the sink as supported: then it stops there, and says 'no-path'.
  ['ambiguous and unreachable requests', () => model(AMBIGUOUS, 'amb.fsm'), { diverges: true, noPath: true }],
  // The same spec read by the 7.2 loop, which always stops at those sink cells.
  ['ambiguous and unreachable requests (7.2 lookup)', () => model(AMBIGUOUS.replace('lookup linux-5.18', 'lookup linux-7.2'), 'amb72.fsm'), { diverges: false, noPath: true }],
];

/** Bundled specs whose modules are only compiled: their lookup era is covered above, and running them costs time. */
const compiledOnly: [string, () => Model][] = [['spec/examples/post-copy.fsm', () => bundled('spec/examples/post-copy.fsm')]];

const texts = new Map<string, string>();
const models = new Map<string, Model>();

beforeAll(async () => {
  for (const [name, make] of [...cases, ...compiledOnly]) {
    const m = make();
    models.set(name, m);
    texts.set(name, await emitTsModule(m, check(m)));
  }
});

/** Numbers a caller can pass as states: every state value, and some that are not one. */
function values(m: Model): number[] {
  const n = m.states.length;
  return [...Array.from({ length: n }, (_, i) => i), n, 255, -1, 0x7fffffff, 0xffffffff, 1.5, Number.NaN];
}

/** Every flag word over the declared bits, each also with undeclared bits set. */
function words(m: Model): number[] {
  const undeclared = ~m.flagMask >>> 0;
  const lowest = (undeclared & -undeclared) >>> 0;
  return allFlagSets(m).flatMap((w) => [w, (w | lowest) >>> 0, (w | 0x80000000) >>> 0, (w | undeclared) >>> 0]);
}

const isBlocked = (m: Model, current: number, target: number): boolean => m.blocked.some((b) => b.from === current && b.to === target);

/**
 * The module's word for the checker's refusal of a request between two states:
 * the sink is named first, whichever test of the era fired; a sink cell is
 * 'blocked' for a blocked request and 'no-path' for any other.
 */
function stepWord(m: Model, current: number, target: number, reason: string): string {
  if (current === m.sink || target === m.sink) return 'sink';
  if (reason === 'current state not supported') return 'current-unsupported';
  if (reason === 'target state not supported') return 'target-unsupported';
  if (reason === 'the table answers the sink') return isBlocked(m, current, target) ? 'blocked' : 'no-path';
  throw new Error(`the checker refuses for a reason this test does not know: ${reason}`);
}

/** The module's answer for what the checker selects: it splits 'unsupported' into which end is missing. */
function selectionAsResult(sel: Selection, selector: PathSelector, current: number): unknown {
  switch (sel.kind) {
    case 'path':
      return { kind: 'path', path: sel.path };
    case 'refused':
      if (sel.reason !== 'unsupported') return { kind: 'refused', reason: sel.reason };
      return { kind: 'refused', reason: selector.view.exists[current] ? 'target-unsupported' : 'current-unsupported' };
    default:
      return { kind: sel.kind };
  }
}

/**
 * A file that uses module `i` as a strict project would, checked in the same
 * program: the refusal words are exactly these, one union for every function;
 * a bare number is not a state, and `toState` is the way from one to a state.
 */
function consumer(i: number): string {
  return `import { nextStep, path, toState } from './module${i}.js';
import type { NextStep, PathResult, Refusal, StateOrRefusal } from './module${i}.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Reason<R> = R extends { readonly kind: 'refused'; readonly reason: infer W } ? W : never;
type State = Parameters<typeof nextStep>[0];

export const words: Equal<Refusal, 'not-a-state' | 'sink' | 'current-unsupported' | 'target-unsupported' | 'blocked' | 'no-path'> = true;
export const nextStepSays: Equal<Reason<NextStep>, Refusal> = true;
export const pathSays: Equal<Reason<PathResult>, Exclude<Refusal, 'no-path'>> = true;
export const toStateSays: Equal<Reason<StateOrRefusal>, 'not-a-state'> = true;
export const notAnyNumber: Equal<number extends State ? true : false, false> = true;
export const pathTakesStates: Equal<Parameters<typeof path>, [State, State, number]> = true;
export const nextStepTakesStates: Equal<Parameters<typeof nextStep>, [State, State, number]> = true;

export function step(current: number, target: State, flags: number): NextStep {
  const from = toState(current);
  return from.kind === 'refused' ? from : nextStep(from.state, target, flags);
}

export function route(current: State, target: number, flags: number): PathResult {
  const to = toState(target);
  return to.kind === 'refused' ? to : path(current, to.state, flags);
}

export function bare(value: number, flags: number): void {
  // @ts-expect-error a number is not a state
  nextStep(value, value, flags);
  // @ts-expect-error a number is not a state
  path(value, value, flags);
}
`;
}

describe('the generated TypeScript module', () => {
  test('compiles under the strictest settings, with no dependencies, and its types say what it does', () => {
    const modules = [...texts.values()];
    const files = Object.fromEntries(modules.flatMap((text, i) => [[`module${i}.ts`, text], [`use${i}.ts`, consumer(i)]]));
    // In the same program, so that it costs no second one: a module whose nextStep takes any
    // number must fail the file that uses it, and only that file.
    const loose = texts.get('spec/vfio-migration.fsm')!.replace('export function nextStep(current: MigState, target: MigState', 'export function nextStep(current: number, target: number');
    expect(loose).not.toBe(texts.get('spec/vfio-migration.fsm'));
    const bad = modules.length;
    files[`module${bad}.ts`] = loose;
    files[`use${bad}.ts`] = consumer(bad);
    const errors = typeCheck(files);
    expect(errors.filter((e) => !e.startsWith(`/virtual/use${bad}.ts:`))).toEqual([]);
    expect(errors.length).toBeGreaterThan(0);
  });

  test('has no imports and carries the header', () => {
    for (const [name, text] of texts) {
      expect(text).not.toMatch(/^\s*import\b/m);
      expect(text.split('\n')[0]).toBe(`// generated by vfio-fsm from ${models.get(name)!.file} — do not edit`);
    }
  });

  test.each(cases.map(([name, , expects]) => [name, expects] as const))('agrees with the model on every input: %s', async (name, expects) => {
    const m = models.get(name)!;
    const mod = await loadModule<Generated>(texts.get(name)!);
    const table = deriveTable(m);
    const result = check(m);
    const n = m.states.length;
    expect(mod.stateNames).toEqual(m.states.map((s) => s.name));
    expect(mod.lookupVariant).toBe(m.lookup.variant);
    expect(mod.nextStepTable.flat()).toEqual([...table.cells]);
    let diverging = 0;
    const kinds = new Set<string>();
    const stepReasons = new Set<string>();
    for (const flags of words(m)) {
      const view = viewFlagSet(m, flags);
      const selector = new PathSelector(m, view);
      expect(mod.supportedStates(flags)).toEqual(m.states.filter((s) => !s.sink && view.exists[s.value]).map((s) => s.value));
      for (const current of values(m)) {
        for (const target of values(m)) {
          const request = `(${current}, ${target}, 0x${flags.toString(16)})`;
          // Untrusted numbers go through toState first, as a caller's would.
          const from = mod.toState(current);
          const to = mod.toState(target);
          const inside = [current, target].every((v) => Number.isInteger(v) && v >= 0 && v < n);
          if (from.kind === 'refused' || to.kind === 'refused') {
            expect(inside, `toState refuses a state value: ${request}`).toBe(false);
            for (const refused of [from, to].filter((r) => r.kind === 'refused')) expect(refused.reason).toBe('not-a-state');
            // The checker refuses these too (it takes integers only, as the kernel does) ...
            if (Number.isInteger(current) && Number.isInteger(target)) {
              expect(lookup(m.lookup.variant, table, current, target, flags)).toEqual({ kind: 'refused', reason: 'state value outside the table' });
            }
            expect(selector.refusal(current, target)).toBeDefined();
            // ... and so do nextStep and path, with the same word, for a caller the types do not reach.
            expect(mod.nextStep(current, target, flags), `nextStep${request}`).toEqual({ kind: 'refused', reason: 'not-a-state' });
            expect(mod.path(current, target, flags), `path${request}`).toEqual({ kind: 'refused', reason: 'not-a-state' });
            continue;
          }
          expect(inside, `toState accepts ${request}`).toBe(true);
          expect([from.state, to.state]).toEqual([current, target]);
          const outcome = lookup(m.lookup.variant, table, current, target, flags);
          const expected = outcome.kind === 'refused' ? { kind: 'refused', reason: stepWord(m, current, target, outcome.reason) } : outcome;
          const got = mod.nextStep(from.state, to.state, flags);
          expect(got, `nextStep${request}`).toEqual(expected);
          if (expected.kind === 'diverges') diverging++;
          if (got.kind === 'refused') stepReasons.add(got.reason!);
          const selection = selector.select(current, target);
          expect(mod.path(from.state, to.state, flags), `path${request}`).toEqual(selectionAsResult(selection, selector, current));
          kinds.add(selection.kind);
        }
      }
    }
    for (const report of result.flagSets) expect(mod.requiredArcs(report.flags)).toEqual(report.requiredArcs);
    // Undeclared bits change nothing.
    for (const report of result.flagSets) expect(mod.requiredArcs((report.flags | ~m.flagMask) >>> 0)).toEqual(report.requiredArcs);
    expect(diverging > 0).toBe(expects.diverges);
    expect(stepReasons.has('no-path')).toBe(expects.noPath);
    expect(kinds.has('ambiguous') && kinds.has('unreachable')).toBe(name.startsWith('ambiguous and unreachable requests'));
  });

  test.each(cases.map(([name]) => name))('nextStep and path give the same word for the same refused request: %s', async (name) => {
    const m = models.get(name)!;
    const mod = await loadModule<Generated>(texts.get(name)!);
    let both = 0;
    // With the mandatory flag, every era's lookup and the spec agree on which states a device has.
    for (const flags of allFlagSets(m).filter((w) => (w & m.mandatory.bit) !== 0)) {
      for (let current = 0; current < m.states.length; current++) {
        for (let target = 0; target < m.states.length; target++) {
          const step = mod.nextStep(current, target, flags);
          const found = mod.path(current, target, flags);
          if (step.kind !== 'refused' || found.kind !== 'refused') continue;
          both++;
          expect(step.reason, `(${current}, ${target}, 0x${flags.toString(16)})`).toBe(found.reason);
        }
      }
    }
    expect(both).toBeGreaterThan(0);
  });

  test('a blocked request is refused as blocked by both, and the sink, a missing state and a bad number each have their word', async () => {
    const m = models.get('spec/vfio-migration.fsm')!;
    const mod = await loadModule<Generated>(texts.get('spec/vfio-migration.fsm')!);
    const all = m.flagMask;
    const { STOP, RUNNING, STOP_COPY, PRE_COPY, RUNNING_P2P, ERROR } = Object.fromEntries(m.states.map((s) => [s.name, s.value])) as Record<string, number>;
    const refused = (reason: string): unknown => ({ kind: 'refused', reason });
    expect(mod.nextStep(STOP_COPY!, PRE_COPY!, all)).toEqual(refused('blocked'));
    expect(mod.path(STOP_COPY!, PRE_COPY!, all)).toEqual(refused('blocked'));
    expect(mod.nextStep(RUNNING!, ERROR!, all)).toEqual(refused('sink'));
    expect(mod.path(ERROR!, RUNNING!, all)).toEqual(refused('sink'));
    const noP2p = all & ~m.flags.find((f) => f.name === 'P2P')!.bit;
    expect(mod.nextStep(RUNNING_P2P!, STOP!, noP2p)).toEqual(refused('current-unsupported'));
    expect(mod.path(STOP!, RUNNING_P2P!, noP2p)).toEqual(refused('target-unsupported'));
    expect(mod.toState(8)).toEqual(refused('not-a-state'));
    expect(mod.toState(RUNNING!)).toEqual({ kind: 'state', state: RUNNING });
  });

  test('a type name the module itself uses is refused with a clear message', async () => {
    for (const taken of ['NextStep', 'Refusal', 'PerState', 'Entry', 'Map']) {
      const clash = model(AMBIGUOUS.replace('state-type AmbState', `state-type ${taken}`), 'clash.fsm');
      await expect(emitTsModule(clash, check(clash))).rejects.toThrow(EmitError);
      await expect(emitTsModule(clash, check(clash))).rejects.toThrow(`\`${taken}\` is a name the generated module already uses`);
    }
  });
});
