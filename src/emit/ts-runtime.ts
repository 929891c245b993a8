import type { LookupVariant } from '../model/model.js';

/**
 * The statements of the generated module's functions, as TypeScript source.
 * They mirror src/analysis/lookup.ts (one call of the kernel's lookup per era)
 * and src/analysis/paths.ts (the rule-abiding shortest path), and a test runs
 * both on every input to prove they agree. `S` is the name of the state type.
 *
 * The module must compile under the strictest compiler settings real projects
 * use (`noUncheckedIndexedAccess` among them) without a single `!`: tables are
 * typed `PerState<T>`, which a state indexes without `undefined`, and the
 * working sets of the path search are Maps, whose misses are explicit.
 */

/**
 * Every reason the module refuses for, in the order the checks run, with its
 * meaning. One word a case: `nextStep` and `path` say the same word for the
 * same request, and `toState` the first one.
 */
export const REFUSALS: readonly (readonly [word: string, meaning: (sink: string) => string])[] = [
  ['not-a-state', () => 'The number is not a state value: `toState` says so; `nextStep` and `path` say so too to a caller the type system does not reach.'],
  ['sink', (sink) => `The request starts or ends in the sink, ${sink}: only a device reset leaves it, and no one may ask for it.`],
  ['current-unsupported', () => 'The device lacks the state it is said to be in: its caller has lost track of it.'],
  ['target-unsupported', () => 'The device lacks the state asked for.'],
  ['blocked', () => 'The spec refuses this request although the device has both states.'],
  [
    'no-path',
    () =>
      "`nextStep` only: the lookup reached a table cell that holds the sink for a request that is none of the above, because the spec selects no single path for it, or for a state the lookup passes on the way (`path` answers 'unreachable' or 'ambiguous' there). The lookup of a spec that passes `vfio-fsm check` never gets there.",
  ],
];

export function nextStepBody(variant: LookupVariant, S: string): string {
  const guards = `// For callers the type system does not reach (JavaScript, casts).
if (!inTable(current) || !inTable(target)) return { kind: 'refused', reason: 'not-a-state' };
// Every era refuses a request that starts or ends in the sink (through its flags
// entry or through its row and column of the table); naming that case first gives
// it the word \`path\` uses.
if (current === SINK || target === SINK) return { kind: 'refused', reason: 'sink' };`;
  switch (variant) {
    case 'v2':
      return `${guards}
// This lookup reads no flags (\`flags\` is there so that every era's nextStep is
// called alike): one read of the table answers.
void flags;
return finish(current, target, nextStepTable[current][target]);`;
    case 'seed-v6':
      return `${guards}
const word = flags >>> 0;
// Only optional states count: a state is unusable when it needs an optional
// flag the device lacks. The mandatory flag is never tested.
const usable = (state: ${S}): boolean => state === SINK || ((requiredFlags[state] & ~MANDATORY & ~word) >>> 0) === 0;
if (!usable(current)) return { kind: 'refused', reason: 'current-unsupported' };
if (!usable(target)) return { kind: 'refused', reason: 'target-unsupported' };
return skip(current, target, (state) => !usable(state));`;
    case 'linux-5.18':
    case 'linux-7.2':
      return `${guards}
const word = flags >>> 0;
// The sink's entry is all ones, as in the kernel's flags table: no device has
// every bit, so the sink never counts as a state the device has.
const required = (state: ${S}): number => (state === SINK ? 0xffffffff : requiredFlags[state]);
const ok = (state: ${S}): boolean => ((required(state) & word) >>> 0) === required(state);
if (!ok(current)) return { kind: 'refused', reason: 'current-unsupported' };
if (!ok(target)) return { kind: 'refused', reason: 'target-unsupported' };
${
  variant === 'linux-7.2'
    ? '// The loop stops at the sink, which the table answers for a refused request.\nreturn skip(current, target, (state) => state !== SINK && !ok(state));'
    : '// The loop does not stop at the sink: if the table answers it, the loop goes round.\nreturn skip(current, target, (state) => !ok(state));'
}`;
  }
}

export const TO_STATE_BODY = "return inTable(value) ? { kind: 'state', state: value } : { kind: 'refused', reason: 'not-a-state' };";

export const FINISH_BODY = `if (next !== SINK) return { kind: 'next', state: next };
// The table holds the sink for a blocked request; any other cell that holds it
// has no path behind it.
return { kind: 'refused', reason: isBlocked(current, target) ? 'blocked' : 'no-path' };`;

export const IN_TABLE_BODY = 'return Number.isInteger(value) && value >= 0 && value < STATE_COUNT;';

export const IS_BLOCKED_BODY = 'return BLOCKED.some(([from, to]) => from === current && to === target);';

export const SKIP_BODY = `let next = nextStepTable[current][target];
for (let steps = 0; unusable(next); steps++) {
  // More steps than states: the walk is caught in a loop that never ends.
  if (steps > STATE_COUNT) return { kind: 'diverges', cycle: cycleFrom(next, target) };
  next = nextStepTable[next][target];
}
return finish(current, target, next);`;

export const CYCLE_BODY = `const cycle = [start];
for (let n = nextStepTable[start][target]; n !== start; n = nextStepTable[n][target]) cycle.push(n);
return cycle;`;

export const EXISTS_BODY = `return state === SINK || ((requiredFlags[state] & flags) >>> 0) === requiredFlags[state];`;

export function successorsBody(S: string): string {
  return `const next = new Map<${S}, ${S}[]>();
for (const [from, to, require, forbid] of ARCS) {
  const holds = ((flags & require) >>> 0) === require && (flags & forbid) === 0;
  if (!holds || !exists(from, flags) || !exists(to, flags)) continue;
  const list = next.get(from);
  if (list === undefined) next.set(from, [to]);
  else if (!list.includes(to)) list.push(to);
}
return next;`;
}

export const INTERIOR_BODY = `return INTERIOR.every(
  (rule) => !rule.members.includes(state) || (rule.mode === 'only-within' && rule.members.includes(current) && rule.members.includes(target)),
);`;

export function pathBody(S: string): string {
  return `// For callers the type system does not reach (JavaScript, casts).
if (!inTable(current) || !inTable(target)) return { kind: 'refused', reason: 'not-a-state' };
if (current === SINK || target === SINK) return { kind: 'refused', reason: 'sink' };
if (!exists(current, flags)) return { kind: 'refused', reason: 'current-unsupported' };
if (!exists(target, flags)) return { kind: 'refused', reason: 'target-unsupported' };
if (isBlocked(current, target)) return { kind: 'refused', reason: 'blocked' };
if (current === target) return { kind: 'path', path: [current] };
// Breadth-first from current: each state reached keeps its first (shortest) path
// and how many shortest paths reach it, counted up to two. Only states the
// interior rules allow for this request are passed through. A Map's iterator
// also visits the entries added while it runs, so \`reached\` is its own queue.
const next = successors(flags);
const reached = new Map<${S}, { readonly path: readonly ${S}[]; count: number }>([[current, { path: [current], count: 1 }]]);
for (const [at, here] of reached) {
  if (at !== current && (at === target || !interiorAllowed(at, current, target))) continue;
  for (const to of next.get(at) ?? []) {
    const there = reached.get(to);
    if (there === undefined) reached.set(to, { path: [...here.path, to], count: here.count });
    else if (there.path.length === here.path.length + 1) there.count = Math.min(2, there.count + here.count);
  }
}
const end = reached.get(target);
if (end === undefined) return { kind: 'unreachable' };
return end.count > 1 ? { kind: 'ambiguous' } : { kind: 'path', path: end.path };`;
}

export const SUPPORTED_BODY = 'return STATES.filter((state) => state !== SINK && exists(state, flags));';

export function requiredArcsBody(S: string): string {
  return `if (((flags & ASSUMES) >>> 0) !== ASSUMES) return [];
const seen = new Map<number, readonly [${S}, ${S}]>();
for (const current of STATES) {
  for (const target of STATES) {
    const found = current === target ? undefined : path(current, target, flags);
    if (found?.kind !== 'path') continue;
    let from: ${S} | undefined;
    for (const to of found.path) {
      if (from !== undefined) seen.set(from * STATE_COUNT + to, [from, to]);
      from = to;
    }
  }
}
return [...seen.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);`;
}
