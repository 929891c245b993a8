import type { Span } from '../../common/source.js';
import type { TableDecl } from './bind-function.js';
import type * as c from '../c/ast.js';
import type { IntType } from '../c/int-value.js';
import { convert, intType } from '../c/int-value.js';
import type { ConstResolver, Report } from '../c/const-eval.js';
import { constEval } from '../c/const-eval.js';
import { MAX_TABLE_SIDE } from '../c/limits.js';

/**
 * A static array read back from its initializer with C's rules: designators
 * in any order, positional entries after them, the last of two writes wins,
 * everything not written is zero. In patch mode, `@hidden` marks lines not
 * shown; cells they may hold are told apart from cells the C leaves out.
 */
export interface Entry {
  readonly value: number;
  /** The initializer of the cell. */
  readonly span: Span;
  /** The designator naming it, or the value when positional. */
  readonly at: Span;
}

export interface Duplicate {
  /** Index path of the element written twice: [row] or [row, column]. */
  readonly index: readonly number[];
  readonly first: Span;
  readonly second: Span;
}

export interface ExtractedArray {
  readonly name: string;
  readonly nameSpan: Span;
  readonly span: Span;
  /** Evaluated dimensions; an unsized `[]` takes its size from the initializer. */
  readonly dims: readonly number[];
  /** Keyed by the flat index (row * columns + column). */
  readonly entries: ReadonlyMap<number, Entry>;
  readonly duplicates: readonly Duplicate[];
  /** Rows whose own `{ ... }` was seen, with the designator or brace that opens it. */
  readonly rowsSeen: ReadonlyMap<number, Span>;
  /** Rows whose list has lines the patch does not show. */
  readonly rowsWithHoles: ReadonlySet<number>;
  /** Lines not shown between rows (or in a one-dimensional list). */
  readonly outerHole: boolean;
  /** Entries whose place is unknown because they follow unseen lines; left out of `entries`. */
  readonly unplaced: readonly Span[];
}

export function extractArray(table: TableDecl, expectedRank: number, resolve: ConstResolver, report: Report, fallbackDim: number | null): ExtractedArray | null {
  const { declarator, decl } = table;
  const name = declarator.name.text;
  if (declarator.dims.length !== expectedRank || declarator.pointer > 0) {
    report('VF212', declarator.name.span, `\`${name}\` has ${declarator.dims.length} dimension(s); expected ${expectedRank}`);
    return null;
  }
  const elem = intType(decl.specs.type);
  if (elem === 'void' || elem === 'struct') {
    report('VF212', decl.specs.type.span, `\`${name}\` must hold integers`);
    return null;
  }
  const dims: number[] = [];
  for (const d of declarator.dims) {
    if (!d) {
      dims.push(-1);
      continue;
    }
    // In patch mode the dimension's enum may sit in lines the hunks leave out.
    const silent: Report = () => undefined;
    const v = constEval(d, resolve, fallbackDim === null ? report : silent);
    if (!v && fallbackDim !== null) dims.push(fallbackDim);
    else if (!v) return null;
    else if (v.v > MAX_TABLE_SIDE) {
      report('VF252', d.span, `dimension ${v.v} of \`${name}\` is over the reader's limit of ${MAX_TABLE_SIDE} (the table's cells are u8 state values)`);
      return null;
    } else if (v.v <= 0) {
      report('VF212', d.span, `dimension ${v.v} of \`${name}\` is out of range`);
      return null;
    } else dims.push(v.v);
  }
  if (!declarator.init || declarator.init.kind !== 'list') {
    report('VF212', declarator.name.span, `\`${name}\` has no initializer list`);
    return null;
  }
  const state = new Walk(dims, resolve, report, elem);
  state.list(declarator.init, [], 0);
  const unplaced = [...state.unplaced];
  // Entries after a hole inside a row belong to that row only if no row
  // boundary can hide in the hole: that is, when every row header is seen.
  const rowsComplete = dims.length === 1 || (dims[0]! > 0 && state.rowsSeen.size >= dims[0]!);
  if (!rowsComplete) {
    for (const [key, entry] of state.afterHole) {
      if (state.entries.get(key) === entry) {
        state.entries.delete(key);
        unplaced.push(entry.at);
      }
    }
  }
  // C sizes an unsized `[]` by the largest index its initializer writes, plus one (rows and one-dimensional lists alike).
  const finalDims = dims.map((d, i) => (d < 0 ? (i === 0 ? state.outerExtent : 0) : d));
  return {
    name,
    nameSpan: declarator.name.span,
    span: decl.span,
    dims: finalDims,
    entries: state.entries,
    duplicates: state.duplicates,
    rowsSeen: state.rowsSeen,
    rowsWithHoles: state.rowsWithHoles,
    outerHole: state.outerHole,
    unplaced,
  };
}

class Walk {
  readonly entries = new Map<number, Entry>();
  readonly duplicates: Duplicate[] = [];
  readonly rowsSeen = new Map<number, Span>();
  readonly rowsWithHoles = new Set<number>();
  readonly afterHole = new Map<number, Entry>();
  readonly unplaced: Span[] = [];
  outerHole = false;
  /** One past the largest index written at the outer level: the size of an unsized `[]`. */
  outerExtent = 0;

  constructor(
    private readonly dims: readonly number[],
    private readonly resolve: ConstResolver,
    private readonly report: Report,
    private readonly elem: IntType,
  ) {}

  list(init: Extract<c.Initializer, { kind: 'list' }>, path: number[], depth: number): void {
    const size = this.dims[depth]!;
    let index: number | null = 0;
    let holeSeen = false;
    for (const el of init.elems) {
      if (el.kind === 'hole') {
        holeSeen = true;
        if (depth === 0) this.outerHole = true;
        else this.rowsWithHoles.add(path[0]!);
        // A positional entry after unseen lines has no known place.
        index = null;
        continue;
      }
      let at: Span = el.value.span;
      if (el.designators.length > 0) {
        const d = el.designators[0]!;
        if (el.designators.length > 1 || d.kind !== 'index') {
          this.report('VF211', d.span, 'only one array designator per level is supported here; nest the braces instead');
          continue;
        }
        const v = constEval(d.index, this.resolve, this.report);
        if (!v) continue;
        if (v.v < 0 || (size >= 0 && v.v >= size)) {
          this.report('VF211', d.span, `designator [${v.v}] is outside the array's ${size} element(s)`);
          continue;
        }
        // An unsized dimension takes its size from the largest index: bounded here, before anything is sized by it.
        if (size < 0 && v.v >= MAX_TABLE_SIDE) {
          this.report('VF252', d.span, `designator [${v.v}] would give \`[]\` more than the reader's limit of ${MAX_TABLE_SIDE} entries`);
          continue;
        }
        index = v.v;
        at = d.span;
      } else if (index === null) {
        this.unplaced.push(el.span);
        continue;
      } else if (size >= 0 && index >= size) {
        this.report('VF211', el.span, `excess element: the array has ${size} element(s) at this level`);
        continue;
      } else if (size < 0 && index >= MAX_TABLE_SIDE) {
        this.report('VF252', el.span, `element ${index} would give \`[]\` more than the reader's limit of ${MAX_TABLE_SIDE} entries`);
        continue;
      }
      const here = [...path, index];
      if (depth === 0) this.outerExtent = Math.max(this.outerExtent, index + 1);
      if (depth + 1 < this.dims.length) {
        if (el.value.kind !== 'list') {
          this.report('VF211', el.value.span, 'expected a braced row here');
        } else {
          const prev = this.rowsSeen.get(index);
          if (prev) this.duplicates.push({ index: here, first: prev, second: at });
          this.rowsSeen.set(index, at);
          this.list(el.value, here, depth + 1);
        }
      } else this.leaf(el.value, here, at, holeSeen);
      index++;
    }
  }

  private leaf(init: c.Initializer, path: readonly number[], at: Span, afterHole: boolean): void {
    if (init.kind !== 'expr') {
      this.report('VF211', init.span, 'expected a value, found a braced list');
      return;
    }
    const v = constEval(init.expr, this.resolve, this.report);
    if (!v) return;
    const value = convert(v, this.elem).v;
    const key = path.length === 2 ? path[0]! * this.dims[1]! + path[1]! : path[0]!;
    const prev = this.entries.get(key);
    if (prev) this.duplicates.push({ index: path, first: prev.at, second: at });
    const entry = { value, span: init.span, at };
    this.entries.set(key, entry);
    if (afterHole) this.afterHole.set(key, entry);
  }
}
