import type { KernelTable } from '../../analysis/kernel-table.js';
import { lookupCode } from '../../analysis/lookup.js';
import type { Model } from '../../model/model.js';
import type { Span } from '../../common/source.js';
import type { Locate } from './tables.js';
import { flagWordSet, pathText, stateName } from '../../model/spelling.js';
import type { CommentMismatch, CommentReport } from './result.js';

/**
 * The comment above the table lists, in prose headers and `A -> B` lines,
 * the arcs a driver implements under which features, the multi-step
 * "combination transitions", and (6.2 on) the blocked requests. Here those
 * claims are read back and held against the paths the table produces under
 * the spec's lookup. Headers are prose, so only what they say about flags is
 * read: which flags they name, and whether "without"/"not" comes first.
 */

type SectionKind = 'arcs' | 'paths' | 'blocked';

interface Item {
  readonly states: readonly number[];
  readonly text: string;
  readonly span: Span;
}

interface Section {
  readonly kind: SectionKind;
  readonly header: string;
  readonly require: number;
  readonly forbid: number;
  /** "if all optional features are supported" */
  readonly all: boolean;
  readonly items: Item[];
}

export interface CommentText {
  /** The comment's text with its delimiters, and where it starts. */
  readonly text: string;
  readonly start: number;
  /** Patch mode: lines of the comment are not shown (known from the view's gaps, never from the text). */
  readonly hidden: boolean;
}

const ITEM = /^([A-Za-z_][A-Za-z0-9_]*)((?:\s*->\s*[A-Za-z_][A-Za-z0-9_]*)+)\s*$/;
const NEGATION = /\b(without|not|no|unless|neither|nor)\b/i;

const aliasCache = new Map<string, RegExp>();

/** How prose names a flag: `PRE_COPY`, `precopy`, `pre-copy`, `pre copy`. */
function aliases(name: string): RegExp {
  const cached = aliasCache.get(name);
  if (cached) return cached;
  const words = name.toLowerCase().split('_').filter(Boolean);
  const forms = new Set([name.toLowerCase(), words.join(''), words.join('-'), words.join(' ')]);
  const re = new RegExp(`(^|[^a-z0-9_])(${[...forms].map((f) => f.replace(/[-]/g, '\\-')).join('|')})(?![a-z0-9_])`, 'i');
  aliasCache.set(name, re);
  return re;
}

function sectionOf(model: Model, header: string): Omit<Section, 'items'> {
  const lower = header.toLowerCase();
  const kind: SectionKind = /\bblocked\b|\brefused\b|\bnot allowed\b/.test(lower) ? 'blocked' : /\bcombination\b|\bmultiple states\b|\bseveral steps\b/.test(lower) ? 'paths' : 'arcs';
  let require = 0;
  let forbid = 0;
  for (const clause of header.split(/[,;:.]|\bthen\b|\bhowever\b|\bbut\b/i)) {
    // "without P2P" negates what follows; "if P2P is not supported" the whole clause.
    const neg = NEGATION.exec(clause);
    const wholeClause = /\b(not|never) (supported|present|available)\b|\bunsupported\b|\blacks?\b/i.test(clause);
    for (const f of model.flags) {
      const m = aliases(f.name).exec(clause);
      if (!m) continue;
      if (wholeClause || (neg && neg.index < m.index + m[1]!.length)) forbid |= f.bit;
      else require |= f.bit;
    }
  }
  return { kind, header: header.trim(), require: require >>> 0, forbid: forbid >>> 0, all: /\ball optional\b|\bevery optional\b/i.test(header) };
}

/** Splits the comment into sections: prose starts one, `A -> B` lines belong to it. */
function readSections(model: Model, comment: CommentText, report: (m: CommentMismatch) => void, where: Locate): { sections: Section[]; partial: boolean } {
  const sections: Section[] = [];
  let header = '';
  let current: Section | null = null;
  let lastWasItem = true;
  const partial = comment.hidden;
  let offset = comment.start;
  for (const raw of comment.text.split('\n')) {
    const lineStart = offset;
    offset += raw.length + 1;
    const body = raw.replace(/^\s*\/\*+|\*+\/\s*$/g, '').replace(/^\s*\*/, '');
    const text = body.trim();
    if (!text) continue;
    const m = ITEM.exec(text);
    if (!m) {
      header = lastWasItem ? text : `${header} ${text}`;
      current = null;
      lastWasItem = false;
      continue;
    }
    lastWasItem = true;
    if (!current) {
      current = { ...sectionOf(model, header), items: [] };
      sections.push(current);
    }
    const names = text.split(/\s*->\s*/);
    const states: number[] = [];
    for (const name of names) {
      const s = model.states.find((x) => x.name === name);
      if (s) states.push(s.value);
    }
    const start = lineStart + raw.indexOf(text);
    const span = { start, end: start + text.length };
    if (states.length !== names.length) {
      const unknown = names.find((name) => !model.states.some((x) => x.name === name));
      report({ at: where(span), text, message: `\`${unknown}\` names no state of ${model.file}` });
      continue;
    }
    current.items.push({ states, text, span });
  }
  return { sections, partial };
}

function holds(s: Section, flags: number): boolean {
  return (flags & s.require) === s.require && (flags & s.forbid) === 0;
}

/** The states the lookup steps through from `from` to `to`, as far as it gets. */
function walk(model: Model, t: KernelTable, from: number, to: number, flags: number): number[] {
  const path = [from];
  let x = from;
  while (x !== to && path.length <= t.size) {
    // The outcome's code alone: a step is a state (>= 0), anything else stops the walk.
    const next = lookupCode(model.lookup.variant, t, x, to, flags);
    if (next < 0) break;
    x = next;
    path.push(x);
  }
  return path;
}


/**
 * `states` bounds the state values the kernel's table has rows for: states
 * past it (a table older than the spec) are the dimension check's business.
 */
export function checkComment(model: Model, comment: CommentText | null, t: KernelTable, words: readonly number[], where: Locate, states = t.size): CommentReport {
  if (!comment) return { found: false, at: null, partial: false, arcs: 0, paths: 0, blocked: 0, mismatches: [] };
  const mismatches: CommentMismatch[] = [];
  const add = (m: CommentMismatch): void => {
    mismatches.push(m);
  };
  const { sections, partial } = readSections(model, comment, add, where);
  const n = t.size;
  const m = Math.min(n, states);
  const full = words.includes(model.flagMask) ? model.flagMask : (words[words.length - 1] ?? model.flagMask);

  // Arcs each flag word's requests take: the first step of every request.
  const used = new Map<number, Set<number>>();
  for (const w of words) {
    const set = new Set<number>();
    for (let x = 0; x < m; x++) {
      for (let y = 0; y < m; y++) {
        if (x === y) continue;
        const next = lookupCode(model.lookup.variant, t, x, y, w);
        if (next >= 0 && next !== x) set.add(x * n + next);
      }
    }
    used.set(w, set);
  }

  const arcSections = sections.filter((s) => s.kind === 'arcs');
  for (const s of arcSections) {
    const applies = words.filter((w) => holds(s, w));
    for (const item of s.items) {
      if (item.states.length !== 2) {
        add({ at: where(item.span), text: item.text, message: 'an arc list names single arcs; this line has several steps' });
        continue;
      }
      const key = item.states[0]! * n + item.states[1]!;
      if (applies.length && !applies.some((w) => used.get(w)!.has(key))) {
        add({ at: where(item.span), text: item.text, message: `listed under "${s.header}", but the table never takes this arc with ${applies.map((w) => flagWordSet(model, w)).join(' or ')}` });
      }
    }
  }
  if (arcSections.length && !partial) {
    const unlisted = new Map<number, number[]>();
    for (const w of words) {
      const listed = new Set(arcSections.filter((s) => holds(s, w)).flatMap((s) => s.items.filter((i) => i.states.length === 2).map((i) => i.states[0]! * n + i.states[1]!)));
      for (const key of used.get(w)!) if (!listed.has(key)) unlisted.set(key, [...(unlisted.get(key) ?? []), w]);
    }
    for (const [key, ws] of unlisted) {
      const text = pathText(model, [Math.floor(key / n), key % n]);
      add({ at: null, text, message: `the table takes ${text} with ${ws.map((w) => flagWordSet(model, w)).join(', ')}, but no arc list of the comment that applies to those flags names it` });
    }
  }

  const pathSections = sections.filter((s) => s.kind === 'paths');
  const pathWord = (s: Section): number => (s.all || (s.require === 0 && s.forbid === 0) ? full : (s.require | model.mandatory.bit) >>> 0);
  const listedPaths = new Map<number, Set<number>>();
  for (const s of pathSections) {
    const w = pathWord(s);
    const seen = listedPaths.get(w) ?? new Set<number>();
    listedPaths.set(w, seen);
    for (const item of s.items) {
      const from = item.states[0]!;
      const to = item.states[item.states.length - 1]!;
      seen.add(from * n + to);
      const actual = walk(model, t, from, to, w);
      if (actual.join() !== item.states.join()) {
        const got = actual[actual.length - 1] === to ? pathText(model, actual) : `${pathText(model, actual)} and stops there`;
        add({ at: where(item.span), text: item.text, message: `with ${flagWordSet(model, w)} the table goes ${got}` });
      }
    }
  }
  if (pathSections.length && !partial) {
    for (const [w, seen] of listedPaths) {
      for (let x = 0; x < m; x++) {
        for (let y = 0; y < m; y++) {
          if (x === y || seen.has(x * n + y)) continue;
          const p = walk(model, t, x, y, w);
          if (p.length > 2 && p[p.length - 1] === y) add({ at: null, text: pathText(model, p), message: `a combination transition with ${flagWordSet(model, w)} that the comment does not list` });
        }
      }
    }
  }

  const blockedSections = sections.filter((s) => s.kind === 'blocked');
  const listedBlocked = new Set<number>();
  for (const s of blockedSections) {
    for (const item of s.items) {
      const [x, y] = [item.states[0]!, item.states[item.states.length - 1]!];
      listedBlocked.add(x * n + y);
      const cell = t.cells[x * n + y]!;
      if (item.states.length !== 2 || cell !== t.sink) {
        add({ at: where(item.span), text: item.text, message: `listed as blocked, but the table answers ${stateName(model, cell)}` });
      }
    }
  }
  if ((arcSections.length || pathSections.length) && !partial) {
    for (let x = 0; x < m; x++) {
      for (let y = 0; y < m; y++) {
        if (x === y || x === t.sink || y === t.sink || listedBlocked.has(x * n + y) || t.cells[x * n + y] !== t.sink) continue;
        const text = pathText(model, [x, y]);
        add({ at: null, text, message: `the table refuses ${text} (its cell is ${stateName(model, t.sink)}), but the comment does not list it as blocked` });
      }
    }
  }

  const count = (k: SectionKind): number => sections.filter((s) => s.kind === k).reduce((a, s) => a + s.items.length, 0);
  return { found: true, at: where({ start: comment.start, end: comment.start + 2 }), partial, arcs: count('arcs'), paths: count('paths'), blocked: count('blocked'), mismatches };
}
