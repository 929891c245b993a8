import type { Model } from '../../model/model.js';
import type * as c from '../c/ast.js';
import type { Report } from '../c/const-eval.js';
import { walk } from '../c/walk.js';
import { meaning } from '../bind/names.js';

/**
 * The flag sets a driver can advertise, read from the assignments to
 * `migration_flags` (`=`, `|=`, `&=`) in one function. Every path through
 * the function is followed, `if` and `else` both taken, loops run zero times
 * or once, each `case` entered from the `switch`, `break` and `goto` going
 * where they go: each path that assigns something ends
 * with one flag word. A path that assigns nothing (an early return, a `goto`
 * past the assignment) leaves a device that is not migratable and gives no
 * set. Paths are merged by the word they carry, so their number is bounded
 * by the number of distinct words, not of paths.
 */

/** The device's field that holds the advertised flags. */
export const FLAGS_FIELD = 'migration_flags';

export interface FlagWord {
  readonly word: number;
  /** Where the assignments that made it start, in source order (paths with the same word are merged). */
  readonly from: readonly number[];
}

/** The flags on one path: null until the path assigns them. */
interface PathState {
  readonly word: number | null;
  readonly from: readonly number[];
}

type Live = Map<string, PathState>;

const keyOf = (s: PathState): string => (s.word === null ? 'unset' : String(s.word));

function merge(into: Live, from: Live): void {
  for (const [k, s] of from) {
    const had = into.get(k);
    into.set(k, had ? { word: s.word, from: [...new Set([...had.from, ...s.from])].sort((a, b) => a - b) } : s);
  }
}

/** The flag words the paths of `fn` end with; unreadable values are reported (VF406, VF407). */
export function flagWords(model: Model, fn: c.FunctionDef, report: Report): FlagWord[] {
  const finished: Live = new Map();
  const pending = new Map<string, Live>();
  const walker = new PathWalker(model, report, finished, pending);
  const live = walker.items(fn.body.items, new Map([['unset', { word: null, from: [] }]]));
  merge(finished, live);
  // A `goto` to a label before it (a retry) or to no label: its paths end here.
  for (const l of pending.values()) merge(finished, l);
  return [...finished.values()].filter((s): s is FlagWord => s.word !== null && s.word !== 0);
}

class PathWalker {
  /** Where a `break` goes (the innermost loop or switch), and a `continue` (the innermost loop): the states that reach it. */
  private readonly breaks: Live[] = [];
  private readonly continues: Live[] = [];

  constructor(
    private readonly model: Model,
    private readonly report: Report,
    private readonly finished: Live,
    private readonly pending: Map<string, Live>,
  ) {}

  /** A loop body run zero times or once; a `continue` is taken as leaving the loop, which is where its paths end up. */
  private loop(body: c.Stmt, live: Live, atLeastOnce: boolean): Live {
    const exit: Live = new Map();
    this.breaks.push(exit);
    this.continues.push(exit);
    const out = this.stmt(body, live);
    this.breaks.pop();
    this.continues.pop();
    merge(exit, out);
    if (!atLeastOnce) merge(exit, live);
    return exit;
  }

  /** Each label is entered from the head or falls through from above; a `break` leaves; no `default` lets the head go past. */
  private switchOn(s: Extract<c.Stmt, { kind: 'switch' }>, head: Live): Live {
    const exit: Live = new Map();
    this.breaks.push(exit);
    let now: Live = new Map();
    let hasDefault = false;
    for (const item of s.body.kind === 'block' ? s.body.items : [s.body]) {
      let inner: c.Stmt = item;
      while (inner.kind === 'case') {
        merge(now, head);
        if (inner.value === null) hasDefault = true;
        inner = inner.body;
      }
      now = this.stmt(inner, now);
    }
    this.breaks.pop();
    merge(exit, now);
    if (!hasDefault) merge(exit, head);
    return exit;
  }

  items(items: readonly c.Stmt[], live: Live): Live {
    let now = live;
    for (const item of items) now = this.stmt(item, now);
    return now;
  }

  stmt(s: c.Stmt, live: Live): Live {
    switch (s.kind) {
      case 'block':
        return this.items(s.items, live);
      case 'expr':
        return this.expr(s.expr, live);
      case 'decl':
      case 'empty':
      case 'hole':
        return live;
      case 'break':
      case 'continue': {
        const target = (s.kind === 'break' ? this.breaks : this.continues).at(-1);
        if (!target) return live;
        merge(target, live);
        return new Map();
      }
      case 'if': {
        const out = this.stmt(s.then, live);
        merge(out, s.otherwise ? this.stmt(s.otherwise, live) : live);
        return out;
      }
      case 'while':
      case 'for':
        return this.loop(s.body, live, false);
      case 'do':
        return this.loop(s.body, live, true);
      case 'switch':
        return this.switchOn(s, live);
      case 'case':
        // Outside a switch's own list (a label in a nested block): control falls in from above.
        return this.stmt(s.body, live);
      case 'return':
        merge(this.finished, live);
        return new Map();
      case 'goto': {
        const at = this.pending.get(s.label.text) ?? new Map<string, PathState>();
        merge(at, live);
        this.pending.set(s.label.text, at);
        return new Map();
      }
      case 'label': {
        const now = new Map(live);
        const waiting = this.pending.get(s.name.text);
        if (waiting) {
          merge(now, waiting);
          this.pending.delete(s.name.text);
        }
        return this.stmt(s.body, now);
      }
    }
  }

  /** Assignments to `...migration_flags` anywhere in an expression statement, in order. */
  private expr(e: c.Expr, live: Live): Live {
    let now = live;
    walk(e, (node) => {
      if (node.kind !== 'assign' || node.target.kind !== 'member' || node.target.field.text !== FLAGS_FIELD) return;
      const value = this.value(node.value);
      if (value === null) return;
      const next: Live = new Map();
      for (const s of now.values()) {
        const before = s.word ?? 0;
        const word = node.op === '=' ? value : node.op === '|=' ? before | value : node.op === '&=' ? before & value : node.op === '^=' ? before ^ value : null;
        if (word === null) {
          this.report('VF406', node.span, `\`${node.op}\` on ${FLAGS_FIELD}: only =, |=, &= and ^= are read`);
          return false;
        }
        const state: PathState = { word: word >>> 0, from: [...s.from, node.span.start] };
        merge(next, new Map([[keyOf(state), state]]));
      }
      now = next;
      return false;
    });
    return now;
  }

  /** A combination of the spec's flag names with `|`, `&`, `~` and parentheses; null (reported) for anything else. */
  private value(e: c.Expr): number | null {
    switch (e.kind) {
      case 'name': {
        const m = meaning(this.model, e.name.text);
        if (m?.kind === 'flag') return m.bit;
        if (m?.kind === 'unknown-flag') {
          this.report('VF407', e.span, `\`${e.name.text}\` names no flag of ${this.model.file} (it declares ${this.model.flags.map((f) => f.name).join(', ')})`);
          return null;
        }
        break;
      }
      case 'number':
        if (e.value <= 0xffffffffn) return Number(e.value);
        break;
      case 'cast':
        return this.value(e.operand);
      case 'unary':
        if (e.op === '~') {
          const v = this.value(e.operand);
          return v === null ? null : ~v >>> 0;
        }
        break;
      case 'binary':
        if (e.op === '|' || e.op === '&') {
          const a = this.value(e.left);
          if (a === null) return null;
          const b = this.value(e.right);
          if (b === null) return null;
          return (e.op === '|' ? a | b : a & b) >>> 0;
        }
        break;
      default:
        break;
    }
    this.report('VF406', e.span, `the value given to ${FLAGS_FIELD} is not a combination of the spec's flag names: give the flags with --flags`);
    return null;
  }
}
