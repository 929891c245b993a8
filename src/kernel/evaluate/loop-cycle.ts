import type * as c from '../c/ast.js';
import { walk } from '../c/walk.js';
import type { RunState, Slot } from './run-state.js';
import { Stop } from './run-state.js';

/**
 * The variables a run can change are a handful of integers, so a loop
 * whose head is reached twice with the same values never ends: one
 * LoopHeads per entry into a loop records every head and stops the run
 * when a state repeats, naming the states the loop goes round.
 */
export class LoopHeads {
  // Where each state was first seen. Most loops here end at their first or
  // second head, so the map is made only when a second state comes.
  private firstKey: string | undefined;
  private seen: Map<string, number> | undefined;
  private readonly history: (number | undefined)[][] = [];

  constructor(
    private readonly loop: c.Stmt,
    private readonly state: RunState,
  ) {}

  /** Records one head; throws a `diverges` Stop when its state was seen before. */
  visit(): void {
    const snapshot = this.state.values();
    const key = snapshot.join(',');
    const at = this.seen ? this.seen.get(key) : key === this.firstKey ? 0 : undefined;
    if (at !== undefined) throw new Stop({ kind: 'diverges', cycle: cycle(this.state.liveSlots(), this.history.slice(at), this.loop), at: this.loop.span });
    if (this.firstKey === undefined) this.firstKey = key;
    else (this.seen ??= new Map([[this.firstKey, 0]])).set(key, this.history.length);
    this.history.push(snapshot);
  }
}

/**
 * The states a never-ending loop goes round: the values of the variable
 * that changes in it, or, when nothing changes, of the one the loop keeps
 * writing (in its body, its test, or a `for` loop's update clause).
 */
function cycle(slots: readonly Slot[], history: readonly (readonly (number | undefined)[])[], loop: c.Stmt): number[] {
  const first = history[0];
  let index = first ? slots.findIndex((_, i) => history.some((h) => h[i] !== first[i])) : -1;
  if (index < 0) {
    const written = assignedNames(loop);
    index = slots.findIndex((x) => written.has(x.name));
  }
  if (index < 0) return [];
  const values: number[] = [];
  for (const h of history) {
    const v = h[index];
    if (v !== undefined && !values.includes(v)) values.push(v);
  }
  return values;
}

/** Names a statement assigns to anywhere inside it, `*p` spelled with its star. */
function assignedNames(s: c.Stmt): Set<string> {
  const names = new Set<string>();
  walk(s, (node) => {
    if (node.kind !== 'assign' && node.kind !== 'step') return;
    const t = node.target;
    if (t.kind === 'name') names.add(t.name.text);
    else if (t.kind === 'unary' && t.op === '*' && t.operand.kind === 'name') names.add(`*${t.operand.name.text}`);
  });
  return names;
}
