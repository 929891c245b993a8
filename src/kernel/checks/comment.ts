import type { KernelTable } from '../../analysis/kernel-table.js';
import { lookupCode } from '../../analysis/lookup.js';
import type { Span } from '../../common/source.js';
import type { Model } from '../../model/model.js';
import { flagNames } from '../../model/model.js';
import { flagWordSet } from '../../model/spelling.js';
import type { CheckContext } from './context.js';
import type { CommentReport, CommentWarning } from './result.js';

/**
 * The comment above the table lists, in prose headings and `A -> B` lines,
 * the arcs a driver implements under which features, the multi-step
 * "combination transitions", and (6.2 on) the blocked requests. Here those
 * claims are read back and held against the paths the table produces under
 * the spec's lookup. Headings are prose, so only what they say about flags
 * is read: which flags they name, and whether "without"/"not" comes first.
 * What does not match is a warning, never a disagreement: the comment
 * documents the table, it does not define it. Each warning quotes the
 * heading or line it read, says the flag condition it took it as, and
 * points at it.
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
  /** Where the heading's first line starts (the comment's start when there is none). */
  readonly headerSpan: Span;
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

function sectionOf(model: Model, header: string, headerSpan: Span): Omit<Section, 'items'> {
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
  return { kind, header: header.trim(), headerSpan, require: require >>> 0, forbid: forbid >>> 0, all: /\ball optional\b|\bevery optional\b/i.test(header) };
}

/** The flag condition a heading was read as, in words: `with P2P, without PRE_COPY`. */
function readAs(model: Model, s: Section): string {
  if (s.all) return 'with every optional flag';
  const parts = [...flagNames(model, s.require).map((n) => `with ${n}`), ...flagNames(model, s.forbid).map((n) => `without ${n}`)];
  return parts.length ? parts.join(', ') : 'always';
}

/** Splits the comment into sections: prose starts one, `A -> B` lines belong to it. */
function readSections(cx: CheckContext, comment: CommentText, warn: (span: Span, line: string, message: string) => void): { sections: Section[]; partial: boolean } {
  const { model } = cx;
  const sections: Section[] = [];
  let header = '';
  let headerSpan: Span = { start: comment.start, end: comment.start + 2 };
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
    const start = lineStart + raw.indexOf(text);
    const span = { start, end: start + text.length };
    const m = ITEM.exec(text);
    if (!m) {
      if (lastWasItem) {
        header = text;
        headerSpan = span;
      } else header = `${header} ${text}`;
      current = null;
      lastWasItem = false;
      continue;
    }
    lastWasItem = true;
    if (!current) {
      current = { ...sectionOf(model, header, headerSpan), items: [] };
      sections.push(current);
    }
    const names = text.split(/\s*->\s*/);
    const states: number[] = [];
    for (const name of names) {
      const s = model.states.find((x) => x.name === name);
      if (s) states.push(s.value);
    }
    if (states.length !== names.length) {
      const unknown = names.filter((name) => !model.states.some((x) => x.name === name));
      // A state of a later era (a newer kernel against an older spec) is reported once, as the kernel's own; its lines are not the spec's business.
      if (unknown.every((u) => cx.foreign.states.has(u))) continue;
      warn(span, text, `\`${unknown.find((u) => !cx.foreign.states.has(u))}\` names no state of ${model.file}`);
      continue;
    }
    current.items.push({ states, text, span });
  }
  return { sections, partial };
}

function holds(s: Section, flags: number): boolean {
  return (flags & s.require) >>> 0 === s.require >>> 0 && (flags & s.forbid) === 0;
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
export function checkComment(cx: CheckContext, comment: CommentText | null, t: KernelTable, states = t.size): CommentReport {
  if (!comment) return { found: false, at: null, partial: false, arcs: 0, paths: 0, blocked: 0, warnings: [] };
  const { model, words } = cx;
  const warnings: CommentWarning[] = [];
  const warn = (span: Span, line: string, message: string, read?: string): void => {
    warnings.push({ at: cx.where(span), line, ...(read === undefined ? {} : { readAs: read }), message });
    cx.warn('VF241', span, message);
  };
  const { sections, partial } = readSections(cx, comment, warn);
  const commentSpan: Span = { start: comment.start, end: comment.start + 2 };
  const n = t.size;
  const m = Math.min(n, states);
  const full = words.includes(model.flagMask) ? model.flagMask : (words[words.length - 1] ?? model.flagMask);
  const path = (p: readonly number[]): string => p.map(cx.state).join(' -> ');
  const arcList = (keys: readonly number[]): string => keys.map((k) => path([Math.floor(k / n), k % n])).join(', ');

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
        warn(item.span, item.text, `${item.text}: listed under "${s.header}", a list of single arcs, but this line has several steps`);
        continue;
      }
      const key = item.states[0]! * n + item.states[1]!;
      if (applies.length && !applies.some((w) => used.get(w)!.has(key))) {
        warn(item.span, item.text, `${item.text}: listed under "${s.header}" (read as: ${readAs(model, s)}), but the table never takes this arc with ${applies.map((w) => flagWordSet(model, w)).join(' or ')}`, readAs(model, s));
      }
    }
  }
  if (arcSections.length && !partial) {
    // Arcs the table takes under a flag set that no heading applying to it lists, grouped by the heading that lists them for other flags.
    const groups = new Map<string, { section: Section | null; word: number; keys: number[] }>();
    for (const w of words) {
      const listed = new Set(arcSections.filter((s) => holds(s, w)).flatMap((s) => s.items.filter((i) => i.states.length === 2).map((i) => i.states[0]! * n + i.states[1]!)));
      for (const key of [...used.get(w)!].sort((a, b) => a - b)) {
        if (listed.has(key)) continue;
        const section = arcSections.find((s) => s.items.some((i) => i.states.length === 2 && i.states[0]! * n + i.states[1]! === key)) ?? null;
        const id = `${section ? sections.indexOf(section) : -1}:${w}`;
        const g = groups.get(id) ?? { section, word: w, keys: [] };
        g.keys.push(key);
        groups.set(id, g);
      }
    }
    for (const g of groups.values()) {
      const set = flagWordSet(model, g.word);
      if (g.section) {
        const s = g.section;
        warn(s.headerSpan, s.header, `the heading "${s.header}" is read as: ${readAs(model, s)}; with ${set} the table also takes ${arcList(g.keys)}, which no heading that applies to those flags lists`, readAs(model, s));
      } else warn(commentSpan, '', `with ${set} the table takes ${arcList(g.keys)}, which no heading of the comment lists`);
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
        const got = actual[actual.length - 1] === to ? path(actual) : `${path(actual)} and stops there`;
        warn(item.span, item.text, `${item.text}: listed under "${s.header}" (read as: ${flagWordSet(model, w)}), but with those flags the table goes ${got}`, flagWordSet(model, w));
      }
    }
  }
  if (pathSections.length && !partial) {
    for (const [w, seen] of listedPaths) {
      const s = pathSections.find((p) => pathWord(p) === w)!;
      for (let x = 0; x < m; x++) {
        for (let y = 0; y < m; y++) {
          if (x === y || seen.has(x * n + y)) continue;
          const p = walk(model, t, x, y, w);
          if (p.length > 2 && p[p.length - 1] === y) warn(s.headerSpan, s.header, `the table takes the combination transition ${path(p)} with ${flagWordSet(model, w)}, which the list under "${s.header}" does not give`, flagWordSet(model, w));
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
      if (item.states.length !== 2 || cell !== t.sink) warn(item.span, item.text, `${item.text}: listed as blocked under "${s.header}", but the table answers ${cx.state(cell)}`);
    }
  }
  if ((arcSections.length || pathSections.length) && !partial) {
    const at = blockedSections[0];
    for (let x = 0; x < m; x++) {
      for (let y = 0; y < m; y++) {
        if (x === y || x === t.sink || y === t.sink || listedBlocked.has(x * n + y) || t.cells[x * n + y] !== t.sink) continue;
        const text = path([x, y]);
        const message = `the table refuses ${text} (its cell is ${cx.state(t.sink)}), but the comment does not list it as blocked`;
        if (at) warn(at.headerSpan, at.header, message);
        else warn(commentSpan, '', message);
      }
    }
  }

  const count = (k: SectionKind): number => sections.filter((s) => s.kind === k).reduce((a, s) => a + s.items.length, 0);
  return { found: true, at: cx.where(commentSpan), partial, arcs: count('arcs'), paths: count('paths'), blocked: count('blocked'), warnings };
}
