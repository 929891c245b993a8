import type { LookupVariant } from '../model/model.js';

/**
 * The statements of the generated module's functions, as TypeScript source.
 * They mirror src/analysis/lookup.ts (one call of the kernel's lookup per era)
 * and src/analysis/paths.ts (the rule-abiding shortest path), and a test runs
 * both on every input to prove they agree. `S` is the name of the state type.
 */
/** The reasons the checker's lookup gives, so that both say the same words. */
export interface Reasons {
  readonly range: string;
  readonly current: string;
  readonly target: string;
  readonly sink: string;
}

export function nextStepBody(variant: LookupVariant, S: string, why: Reasons): string {
  const q = (s: string): string => JSON.stringify(s);
  const guard = `if (!inTable(current) || !inTable(target)) return { kind: 'refused', reason: ${q(why.range)} };`;
  switch (variant) {
    case 'v2':
      return `${guard}
// This lookup reads no flags: one read of the table answers.
return finish(nextStepTable[current][target]);`;
    case 'seed-v6':
      return `${guard}
const word = flags >>> 0;
// Only optional states count: a state is unusable when it needs an optional
// flag the device lacks. The mandatory flag is never tested.
const usable = (state: ${S}): boolean => state === SINK || ((requiredFlags[state] & ~MANDATORY & ~word) >>> 0) === 0;
if (!usable(current)) return { kind: 'refused', reason: ${q(why.current)} };
if (!usable(target)) return { kind: 'refused', reason: ${q(why.target)} };
return skip(current, target, (state) => !usable(state));`;
    case 'linux-5.18':
    case 'linux-7.2':
      return `${guard}
const word = flags >>> 0;
// The sink's entry is all ones, as in the kernel's flags table: no device has
// every bit, so the sink never counts as a state the device has.
const required = (state: ${S}): number => (state === SINK ? 0xffffffff : requiredFlags[state]);
const ok = (state: ${S}): boolean => ((required(state) & word) >>> 0) === required(state);
if (!ok(current)) return { kind: 'refused', reason: ${q(why.current)} };
if (!ok(target)) return { kind: 'refused', reason: ${q(why.target)} };
${
  variant === 'linux-7.2'
    ? '// The loop stops at the sink, which the table answers for a refused request.\nreturn skip(current, target, (state) => state !== SINK && !ok(state));'
    : '// The loop does not stop at the sink: if the table answers it, the loop goes round.\nreturn skip(current, target, (state) => !ok(state));'
}`;
  }
}

export function finishBody(why: Reasons): string {
  return `return next === SINK ? { kind: 'refused', reason: ${JSON.stringify(why.sink)} } : { kind: 'next', state: next };`;
}

export const IN_TABLE_BODY = 'return Number.isInteger(value) && value >= 0 && value < STATE_COUNT;';

export const SKIP_BODY = `let next = nextStepTable[current][target];
for (let steps = 0; unusable(next); steps++) {
  // More steps than states: the walk is caught in a loop that never ends.
  if (steps > STATE_COUNT) return { kind: 'diverges', cycle: cycleFrom(next, target) };
  next = nextStepTable[next][target];
}
return finish(next);`;

export const CYCLE_BODY = `const cycle = [start];
for (let n = nextStepTable[start][target]; n !== start; n = nextStepTable[n][target]) cycle.push(n);
return cycle;`;

export const EXISTS_BODY = `return state === SINK || ((requiredFlags[state] & flags) >>> 0) === requiredFlags[state];`;

export function successorsBody(S: string): string {
  return `const next: ${S}[][] = STATES.map(() => []);
for (const [from, to, require, forbid] of ARCS) {
  const holds = ((flags & require) >>> 0) === require && (flags & forbid) === 0;
  if (holds && exists(from, flags) && exists(to, flags) && !next[from].includes(to)) next[from].push(to);
}
return next;`;
}

export const INTERIOR_BODY = `return INTERIOR.every(
  (rule) => !rule.members.includes(state) || (rule.mode === 'only-within' && rule.members.includes(current) && rule.members.includes(target)),
);`;

export function pathBody(S: string): string {
  return `if (current === SINK || target === SINK) return { kind: 'refused', reason: 'sink' };
if (!inTable(current) || !inTable(target) || !exists(current, flags) || !exists(target, flags)) {
  return { kind: 'refused', reason: 'unsupported' };
}
if (BLOCKED.some(([from, to]) => from === current && to === target)) return { kind: 'refused', reason: 'blocked' };
if (current === target) return { kind: 'path', path: [current] };
// Breadth-first from current, counting shortest paths up to two. Only states
// the interior rules allow for this request are passed through.
const next = successors(flags);
const dist: number[] = STATES.map(() => -1);
const count: number[] = STATES.map(() => 0);
const parent: ${S}[] = STATES.map(() => current);
dist[current] = 0;
count[current] = 1;
const queue: ${S}[] = [current];
for (let head = 0; head < queue.length; head++) {
  const at = queue[head];
  if (at !== current && (at === target || !interiorAllowed(at, current, target))) continue;
  for (const to of next[at]) {
    if (dist[to] < 0) {
      dist[to] = dist[at] + 1;
      count[to] = count[at];
      parent[to] = at;
      queue.push(to);
    } else if (dist[to] === dist[at] + 1) count[to] = Math.min(2, count[to] + count[at]);
  }
}
if (dist[target] < 0) return { kind: 'unreachable' };
if (count[target] > 1) return { kind: 'ambiguous' };
const steps: ${S}[] = [target];
while (steps[0] !== current) steps.unshift(parent[steps[0]]);
return { kind: 'path', path: steps };`;
}

export const SUPPORTED_BODY = 'return STATES.filter((state) => state !== SINK && exists(state, flags));';

export function requiredArcsBody(S: string): string {
  return `if (((flags & ASSUMES) >>> 0) !== ASSUMES) return [];
const seen = new Map<number, readonly [${S}, ${S}]>();
for (const current of STATES) {
  for (const target of STATES) {
    const found = current === target ? undefined : path(current, target, flags);
    if (found?.kind !== 'path') continue;
    for (let i = 0; i + 1 < found.path.length; i++) {
      const from = found.path[i];
      const to = found.path[i + 1];
      seen.set(from * STATE_COUNT + to, [from, to]);
    }
  }
}
return [...seen.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);`;
}
