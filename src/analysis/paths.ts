import type { Model } from '../model/model.js';
import type { FlagSetView } from './flag-sets.js';

/** Why a request is refused before any path is looked for. */
export type Refusal = 'sink' | 'unsupported' | 'blocked';

export type Selection =
  | { readonly kind: 'refused'; readonly reason: Refusal }
  | { readonly kind: 'path'; readonly path: readonly number[] }
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'ambiguous'; readonly paths: readonly (readonly number[])[] };

/** Enough alternatives to show an ambiguity; more only lengthen the report. */
const MAX_ALTERNATIVES = 8;

/**
 * Rule-abiding shortest paths under one flag set.
 *
 * Every interior rule depends only on the two ends of a request, so for a
 * fixed target the states allowed as interior depend only on which groups the
 * current state belongs to (its "context"). One reverse breadth-first search
 * per (target, context) gives the distance and the number of shortest paths
 * from every state at once; a request then reads its answer off it. Nothing
 * enumerates paths except to print an ambiguity.
 */
export class PathSelector {
  private readonly searches = new Map<string, Search>();
  /** Requests are asked again for step consistency; answer each once. */
  private readonly memo: (Selection | undefined)[];
  private readonly blocked: Set<number>;
  private readonly n: number;

  constructor(
    private readonly model: Model,
    readonly view: FlagSetView,
  ) {
    this.n = model.states.length;
    this.blocked = new Set(model.blocked.map((b) => b.from * this.n + b.to));
    this.memo = new Array<Selection | undefined>(this.n * this.n);
  }

  refusal(current: number, target: number): Refusal | undefined {
    const { model, view } = this;
    if (current === model.sink || target === model.sink) return 'sink';
    if (!view.exists[current] || !view.exists[target]) return 'unsupported';
    if (this.blocked.has(current * this.n + target)) return 'blocked';
    return undefined;
  }

  select(current: number, target: number): Selection {
    // Values outside the table are refused before they can alias a memo slot.
    if (!(current >= 0 && target >= 0 && current < this.n && target < this.n)) return { kind: 'refused', reason: 'unsupported' };
    const key = current * this.n + target;
    return (this.memo[key] ??= this.compute(current, target));
  }

  private compute(current: number, target: number): Selection {
    const reason = this.refusal(current, target);
    if (reason) return { kind: 'refused', reason };
    const search = this.search(current, target);
    if (search.dist[current]! < 0) return { kind: 'unreachable' };
    if (search.count[current] === 1) return { kind: 'path', path: this.follow(search, current, target) };
    return { kind: 'ambiguous', paths: this.enumerate(search, current, target) };
  }

  /** May `state` be an interior state of a path from `current` to `target`? */
  interiorAllowed(state: number, current: number, target: number): boolean {
    for (const rule of this.model.interior) {
      const members = this.model.groups[rule.group]!.members;
      if (!members.includes(state)) continue;
      if (rule.mode === 'never') return false;
      if (!members.includes(current) || !members.includes(target)) return false;
    }
    return true;
  }

  private search(current: number, target: number): Search {
    // Which only-within rules hold for both ends, one character per rule: a
    // bit word would wrap past 31 rules and mix up searches.
    let context = '';
    for (const rule of this.model.interior) {
      const members = this.model.groups[rule.group]!.members;
      context += rule.mode === 'only-within' && members.includes(target) && members.includes(current) ? '1' : '0';
    }
    const key = `${target}:${context}`;
    let s = this.searches.get(key);
    if (!s) {
      s = this.reverseSearch(target, (state) => this.interiorAllowed(state, current, target));
      this.searches.set(key, s);
    }
    return s;
  }

  private reverseSearch(target: number, allowed: (state: number) => boolean): Search {
    const dist = new Int32Array(this.n).fill(-1);
    const count = new Float64Array(this.n);
    const relay = new Uint8Array(this.n);
    for (let s = 0; s < this.n; s++) relay[s] = s === target || (this.view.exists[s] && allowed(s)) ? 1 : 0;
    const queue = new Int32Array(this.n);
    let head = 0;
    let tail = 0;
    dist[target] = 0;
    count[target] = 1;
    queue[tail++] = target;
    while (head < tail) {
      const x = queue[head++]!;
      if (!relay[x]) continue; // reachable as a start, but no path may pass through it
      for (const p of this.view.predecessors[x]!) {
        if (p === target) continue;
        if (dist[p]! < 0) {
          dist[p] = dist[x]! + 1;
          count[p] = count[x]!;
          queue[tail++] = p;
        } else if (dist[p] === dist[x]! + 1) count[p]! += count[x]!;
      }
    }
    return { dist, count, relay };
  }

  private follow(s: Search, current: number, target: number): number[] {
    const path = [current];
    let x = current;
    while (x !== target) {
      x = this.view.successors[x]!.find((y) => s.relay[y] && s.dist[y] === s.dist[x]! - 1 && s.count[y]! > 0)!;
      path.push(x);
    }
    return path;
  }

  private enumerate(s: Search, current: number, target: number): number[][] {
    const out: number[][] = [];
    const walk = (x: number, prefix: number[]): void => {
      if (out.length >= MAX_ALTERNATIVES) return;
      if (x === target) {
        out.push(prefix);
        return;
      }
      for (const y of this.view.successors[x]!) {
        if (s.relay[y] && s.dist[y] === s.dist[x]! - 1) walk(y, [...prefix, y]);
      }
    };
    walk(current, [current]);
    return out;
  }
}

interface Search {
  readonly dist: Int32Array;
  readonly count: Float64Array;
  readonly relay: Uint8Array;
}
