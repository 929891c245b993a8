import type { CheckResult } from '../analysis/check.js';
import { cell } from '../analysis/kernel-table.js';
import type { Condition, Model } from '../model/model.js';
import type { FlagSetFacts } from './facts.js';
import { headerText } from './header.js';
import { requestClass } from './promela-data.js';

/**
 * A Promela model of one spec, for SPIN: an oracle that checks, with a second
 * and independent engine, what `vfio-fsm check` says about the lookup. The
 * kernel's table (in the spec's order), the required-flags table and the
 * era's lookup loop are written out as the kernel has them; one process picks
 * a flag word, a property and a request nondeterministically, runs the lookup
 * as the kernel's caller does, and asserts the property. Each assertion's line
 * ends with a comment `property NAME`, which is how a trail of SPIN's is mapped
 * back onto the checker's properties (src/oracle/trail.ts).
 *
 * Every failing assertion ends its run of the process: the model is written so
 * that no execution can fail two assertions, because a replayed trail stops at
 * the first one it meets.
 */

/** Values a request may carry that lie outside the table (as 32-bit ints; -1 is 0xffffffff). */
const OUT_OF_RANGE = ['NSTATES', '255', '2147483647', '-1'];

/** Codes of the selection table; the states themselves are >= 0. */
const CODES = { refused: -1, 'no-path': -2, tie: -3, split: -4, unfollowable: -5 } as const;

const CODE_MEANING: Record<keyof typeof CODES, string> = {
  refused: 'the spec refuses the request',
  'no-path': 'no rule-abiding path (reachability)',
  tie: 'several shortest paths (ambiguity)',
  split: 'after the first step the spec selects another way (step-consistency)',
  unfollowable: 'a later step of the path is not consistent: that request carries it',
};

/** Which property a run of the process examines (printed into the trail as a number). */
export const PROMELA_CHECKS = { termination: 1, spec: 2, walk: 3, range: 4, widened: 5 } as const;

/** A 32-bit word as a Promela int literal (Promela ints are signed 32-bit, like C's). */
function intLiteral(word: number): string {
  const v = word | 0;
  if (v === -2147483648) return '(-2147483647 - 1)';
  return v < 0 ? `(${v})` : String(v);
}

function flagLiteral(bit: number): string {
  const k = Math.log2(bit >>> 0);
  return Number.isInteger(k) && k < 31 ? `(1 << ${k})` : intLiteral(bit);
}

/** The state constant for a value; values are checked names from the model. */
function st(model: Model, value: number): string {
  return `S_${model.states[value]!.name}`;
}

function flagSetText(facts: FlagSetFacts): string {
  return `{${facts.names.join(',')}}`;
}

/** `(w & require) == require && (w & forbid) == 0`, spelled with the flag constants. */
function conditionText(model: Model, c: Condition): string {
  const terms: string[] = [];
  const bits = (word: number): string =>
    model.flags
      .filter((f) => (word & f.bit) !== 0)
      .map((f) => `F_${f.name}`)
      .join(' | ');
  if (c.require) terms.push(`((w) & (${bits(c.require)})) == (${bits(c.require)})`);
  if (c.forbid) terms.push(`((w) & (${bits(c.forbid)})) == 0`);
  return terms.length ? terms.join(' && ') : 'true';
}

/** The Promela model of `model`, with the generated-file header. */
export function emitPromela(model: Model, result: CheckResult, facts: readonly FlagSetFacts[]): string {
  const n = model.states.length;
  const undeclared = ~model.flagMask >>> 0;
  const lowest = (undeclared & -undeclared) >>> 0;
  const out: string[] = [];
  const put = (...lines: string[]): void => {
    out.push(...lines);
  };

  put(
    `/* ${headerText(model.file)} */`,
    '',
    '/*',
    ` * A Promela model of ${model.machine} (lookup ${model.lookup.variant}) for SPIN, run by`,
    ' * `vfio-fsm check --oracle spin`. One process picks a declared flag word, the',
    ' * property to examine and a request (current and target values, including',
    ' * values outside the table), then runs the kernel table with the lookup below',
    ' * as the kernel\'s caller does and asserts the property. Each assertion ends',
    ' * with the comment `property NAME`: the checker property its failure stands for.',
    ' * A failed assertion ends its run, so no execution fails two of them.',
    ' *',
    ' * SPIN decides here, on its own: that the lookup\'s loop ends (termination),',
    ' * that refused requests and values outside the table are refused (sink),',
    ' * that the caller\'s walk hands the driver only arcs of A(F) and follows the',
    ' * spec\'s selected path to the target, and that undeclared flag bits change no',
    ' * answer (table). Which requests are allowed, S(F) and A(F) it computes itself',
    ' * from the states\' needs, the blocked pairs and the arcs\' conditions. The',
    ' * selected paths are the checker\'s (data): reachability, ambiguity and step',
    ' * consistency are reported from them, not decided here.',
    ' */',
    '',
    '/* The states, by uapi value. */',
    `#define NSTATES ${n}`,
    ...model.states.map((s) => `#define ${st(model, s.value)} ${s.value}${s.sink ? '\t/* the sink */' : ''}`),
    `#define SINK ${st(model, model.sink)}`,
    '',
    '/* The flags, by bit. */',
    ...model.flags.map((f) => `#define F_${f.name} ${flagLiteral(f.bit)}${f.mandatory ? '\t/* mandatory */' : ''}`),
    `#define DECLARED ${intLiteral(model.flagMask)}`,
    `#define MANDATORY F_${model.mandatory.name}`,
    `/* Flags the caller guarantees before it consults the lookup at all. */`,
    `#define ASSUMED ${model.lookup.assumes ? model.flags.filter((f) => (model.lookup.assumes & f.bit) !== 0).map((f) => `F_${f.name}`).join(' | ') : '0'}`,
    `#define UNDECLARED_ALL (~DECLARED)`,
    `#define UNDECLARED_LOWEST ${intLiteral(lowest)}`,
    `#define NWORDS ${facts.length}`,
    '',
    '/* Answers of the lookup that are not a state. */',
    '#define REFUSED (-1)',
    '#define DIVERGED (-2)\t/* its own loop went round more than NSTATES times: it never ends */',
    '',
    '/* What the spec selects for a request, when it is not the next state of a path. */',
    ...Object.entries(CODES).map(([k, v]) => `#define C_${k.toUpperCase().replace('-', '_')} (${v})\t/* ${CODE_MEANING[k as keyof typeof CODES]} */`),
    '',
    '/* Which property a run examines. */',
    ...Object.entries(PROMELA_CHECKS).map(([k, v]) => `#define CK_${k.toUpperCase()} ${v}`),
    '',
    '/*',
    ' * Constant tables. They are hidden (outside the state vector): they are',
    ' * filled once, before the first choice, and never written again.',
    ' */',
    'hidden byte T[NSTATES * NSTATES];\t/* the kernel\'s next-step table */',
    'hidden int R[NSTATES];\t\t\t/* the required flags the lookup tests */',
    'hidden int NEEDS[NSTATES];\t\t/* the flags each state needs: S(F) of the spec */',
    'hidden int WORD[NWORDS];\t\t/* the declared flag words */',
    'hidden short E[NWORDS * NSTATES * NSTATES];\t/* the spec\'s selection, per word */',
    '',
    '#define NEXT(c, t) T[(c) * NSTATES + (t)]',
    '#define SEL(i, c, t) E[((i) * NSTATES + (c)) * NSTATES + (t)]',
    '#define SUPPORTED(w, s) ((R[s] & (w)) == R[s])',
    '#define EXISTS(w, s) ((s) == SINK || (NEEDS[s] & (w)) == NEEDS[s])',
    '#define IN_TABLE(s) ((s) >= 0 && (s) < NSTATES)',
    '#define CONSULTED(w) (((w) & ASSUMED) == ASSUMED)',
    '',
  );

  // The tables, filled in one deterministic step.
  put('inline load_tables(i)', '{');
  put('\t/* The next-step table, rows and columns in the spec\'s order. */');
  for (const row of model.order) {
    put(`\t/* row ${model.states[row]!.name} */`);
    for (const col of model.order) put(`\tNEXT(${st(model, row)}, ${st(model, col)}) = ${st(model, cell(result.table, row, col))};`);
  }
  const stopsAtSink = model.lookup.variant === 'linux-5.18' || model.lookup.variant === 'linux-7.2';
  put(
    '',
    stopsAtSink
      ? "\t/* The required flags, as the kernel's table has them: the sink needs every bit (~0U). */"
      : '\t/* The required flags: what each state needs (this era\'s lookup tests them its own way). */',
  );
  for (const s of model.order) {
    const state = model.states[s]!;
    const needs = state.sink ? '0' : flagWords(model, state.needs);
    put(`\tR[${st(model, s)}] = ${state.sink && stopsAtSink ? '~0' : needs};`, `\tNEEDS[${st(model, s)}] = ${needs};`);
  }
  put('', '\t/* The declared flag words. */');
  facts.forEach((f, i) => put(`\tWORD[${i}] = ${intLiteral(f.flags)};\t/* ${flagSetText(f)} */`));
  put(
    '',
    '\t/* The selection table: refused until said otherwise. */',
    '\ti = 0;',
    '\tdo',
    '\t:: i < NWORDS * NSTATES * NSTATES -> E[i] = C_REFUSED; i++',
    '\t:: else -> break',
    '\tod;',
    '\t/*',
    "\t * The spec's selection for each allowed request (from the checker's path",
    '\t * selection): the next state of the selected path, or why there is none.',
    '\t */',
  );
  facts.forEach((f, i) => {
    put(`\t/* word ${i}: ${flagSetText(f)} */`);
    for (const cur of model.order) {
      const cells: string[] = [];
      for (const target of model.order) {
        if (cur === target) continue;
        const cls = requestClass(f, n, cur, target);
        if (!cls) continue;
        const value = cls.kind === 'path' ? st(model, cls.next) : `C_${cls.kind.toUpperCase().replace('-', '_')}`;
        cells.push(`SEL(${i}, ${st(model, cur)}, ${st(model, target)}) = ${value};`);
      }
      if (cells.length) put(`\t${cells.join(' ')}`);
    }
  });
  put('}', '');

  put(...lookupInline(model), '');

  put(
    '/* Does the spec allow the request under w: both states exist, neither is the sink, not blocked? */',
    'inline allowed(w, c, t, ok)',
    '{',
    '\tok = (c != SINK && t != SINK && EXISTS(w, c) && EXISTS(w, t));',
    '\tif',
    ...model.blocked.map((b) => `\t:: ok && c == ${st(model, b.from)} && t == ${st(model, b.to)} -> ok = false\t/* blocked */`),
    '\t:: else -> skip',
    '\tfi',
    '}',
    '',
    '/* Is a -> b an arc of A(F): both states exist under w and the arc\'s condition holds? */',
    'inline is_arc(w, a, b, ok)',
    '{',
    '\tok = false;',
    '\tif',
    ...model.arcs.map((a) => `\t:: a == ${st(model, a.from)} && b == ${st(model, a.to)} && ${conditionText(model, a.when)} -> ok = true`),
    '\t:: else -> skip',
    '\tfi;',
    '\tok = (ok && EXISTS(w, a) && EXISTS(w, b))',
    '}',
    '',
  );

  put(...requestProcess(model, facts.length, undeclared !== 0));
  return `${out.join('\n')}\n`;
}

function flagWords(model: Model, word: number): string {
  const names = model.flags.filter((f) => (word & f.bit) !== 0).map((f) => `F_${f.name}`);
  return names.length ? names.join(' | ') : '0';
}

/** One call of the era's lookup: res gets the next state, REFUSED or DIVERGED. Printing is for trails only. */
function lookupInline(model: Model): string[] {
  const head = [
    `/* One call of the lookup, as the ${model.lookup.variant} kernel makes it. */`,
    'inline lookup(w, c, t, res, loop)',
    '{',
    '\tprintf("oracle call\\n");',
    '\tloop = 0;',
    '\tif',
    '\t:: !(IN_TABLE(c) && IN_TABLE(t)) -> res = REFUSED',
  ];
  const tail = ['\tfi', '}'];
  const walkLoop = (unsupported: string): string[] => [
    '\t\tres = NEXT(c, t);',
    '\t\tdo',
    `\t\t:: ${unsupported} ->`,
    '\t\t\tprintf("oracle loop %d\\n", res);',
    '\t\t\tloop++;',
    '\t\t\tif',
    '\t\t\t:: loop > NSTATES -> res = DIVERGED; break\t/* a state came round again: it never ends */',
    '\t\t\t:: else -> res = NEXT(res, t)',
    '\t\t\tfi',
    '\t\t:: else -> break',
    '\t\tod;',
    '\t\tif',
    '\t\t:: res == SINK -> res = REFUSED',
    '\t\t:: else -> skip',
    '\t\tfi',
  ];
  switch (model.lookup.variant) {
    case 'v2':
      return [...head, '\t:: else ->', '\t\tres = NEXT(c, t);', '\t\tif', '\t\t:: res == SINK -> res = REFUSED', '\t\t:: else -> skip', '\t\tfi', ...tail];
    case 'seed-v6':
      // The seed only knows optional states: a state is unusable when it needs
      // an optional flag the device lacks; it never tests the mandatory flag.
      return [
        ...head,
        '\t:: IN_TABLE(c) && IN_TABLE(t) && ((c != SINK && (NEEDS[c] & ~(w) & ~MANDATORY) != 0) || (t != SINK && (NEEDS[t] & ~(w) & ~MANDATORY) != 0)) -> res = REFUSED',
        '\t:: else ->',
        ...walkLoop('res != SINK && (NEEDS[res] & ~(w) & ~MANDATORY) != 0'),
        ...tail,
      ];
    case 'linux-5.18':
    case 'linux-7.2':
      return [
        ...head,
        '\t:: IN_TABLE(c) && IN_TABLE(t) && !(SUPPORTED(w, c) && SUPPORTED(w, t)) -> res = REFUSED',
        '\t:: else ->',
        ...walkLoop(model.lookup.variant === 'linux-7.2' ? 'res != SINK && !SUPPORTED(w, res)' : '!SUPPORTED(w, res)'),
        ...tail,
      ];
  }
}

function requestProcess(model: Model, words: number, hasUndeclared: boolean): string[] {
  const states = model.order.map((s) => st(model, s));
  const pick = (v: string, range: boolean): string[] => [
    '\tif',
    ...states.map((s) => `\t:: ${v} = ${s}`),
    ...(range ? OUT_OF_RANGE.map((x) => `\t:: check == CK_RANGE -> ${v} = ${x}`) : []),
    '\tfi;',
  ];
  return [
    'active proctype request()',
    '{',
    '\tbyte wi;\t/* which declared flag word */',
    '\tint w;\t\t/* the flag word the lookup reads */',
    '\tint extra;\t/* undeclared bits also set (CK_WIDENED), else 0 */',
    '\tbyte check;\t/* the property this run examines */',
    '\tint cur, tgt;\t/* the request */',
    '\tint first, res, wide;\t/* answers of the lookup */',
    '\tint at;\t\t/* where the walk stands */',
    '\tshort loop, steps;',
    '\tshort cls;\t/* what the spec selects for the request */',
    '\tbool ok, onpath;',
    '\tint i;',
    '',
    '\td_step { load_tables(i); i = 0 };',
    '',
    '\t/* A flag word over the declared bits. */',
    '\tif',
    ...Array.from({ length: words }, (_, i) => `\t:: wi = ${i}`),
    '\tfi;',
    '\tw = WORD[wi];',
    '',
    '\t/* The property to examine; the caller consults the lookup only when CONSULTED. */',
    '\tif',
    '\t:: check = CK_TERMINATION',
    '\t:: check = CK_SPEC',
    '\t:: CONSULTED(w) -> check = CK_WALK',
    '\t:: CONSULTED(w) -> check = CK_RANGE',
    ...(hasUndeclared ? ['\t:: check = CK_WIDENED; extra = UNDECLARED_ALL', '\t:: check = CK_WIDENED; extra = UNDECLARED_LOWEST'] : []),
    '\tfi;',
    '',
    '\t/* The request: any two states, and for CK_RANGE values outside the table too. */',
    ...pick('cur', true),
    ...pick('tgt', true),
    '\tprintf("oracle request %d %d %d %d %d\\n", check, w, extra, cur, tgt);',
    '',
    '\tif',
    '\t:: check == CK_TERMINATION ->',
    '\t\td_step { lookup(w, cur, tgt, first, loop) };',
    '\t\tassert(first != DIVERGED)\t/* property termination: the lookup\'s loop ends within NSTATES rounds */',
    '',
    '\t:: check == CK_SPEC && cur != tgt ->',
    '\t\td_step { allowed(w, cur, tgt, ok); cls = SEL(wi, cur, tgt) };',
    '\t\tif',
    '\t\t:: !ok -> assert(cls == C_REFUSED)\t/* property model: the spec refuses the request, so the data must say so */',
    '\t\t:: ok && cls == C_REFUSED -> assert(cls != C_REFUSED)\t/* property model: the spec allows the request, so the data must say what it selects */',
    '\t\t:: ok && cls != C_REFUSED ->',
    '\t\t\t/* These three come from the spec\'s path selection (data), not from the lookup. */',
    '\t\t\tif',
    '\t\t\t:: cls == C_NO_PATH -> assert(cls != C_NO_PATH)\t/* property reachability: an allowed request has a rule-abiding path */',
    '\t\t\t:: cls == C_TIE -> assert(cls != C_TIE)\t/* property ambiguity: exactly one rule-abiding path is shortest */',
    '\t\t\t:: cls == C_SPLIT -> assert(cls != C_SPLIT)\t/* property step-consistency: after the first step the spec selects the rest of the path */',
    '\t\t\t:: else -> skip',
    '\t\t\tfi',
    '\t\tfi',
    '',
    '\t:: check == CK_WALK && cur != tgt ->',
    '\t\td_step { lookup(w, cur, tgt, first, loop) };',
    '\t\tif',
    '\t\t:: first == DIVERGED -> skip\t/* examined under CK_TERMINATION */',
    '\t\t:: else ->',
    '\t\t\td_step { allowed(w, cur, tgt, ok); cls = SEL(wi, cur, tgt) };',
    '\t\t\tif',
    '\t\t\t:: !ok ->',
    '\t\t\t\tif',
    '\t\t\t\t:: first >= 0 -> printf("oracle step %d\\n", first)',
    '\t\t\t\t:: else -> skip',
    '\t\t\t\tfi;',
    '\t\t\t\tassert(first < 0)\t/* property sink: a request the spec refuses is refused */',
    '\t\t\t:: ok && cls < 0 -> skip\t/* no path to follow: examined under CK_SPEC */',
    '\t\t\t:: ok && cls >= 0 ->',
    '\t\t\t\t/* The caller\'s loop: one lookup per step until the target. */',
    '\t\t\t\tat = cur; res = first; steps = 1; onpath = true;',
    '\t\t\t\tdo',
    '\t\t\t\t:: res < 0 -> break\t/* refused, or its loop never ends: the walk stops here */',
    '\t\t\t\t:: res >= 0 ->',
    '\t\t\t\t\tprintf("oracle step %d\\n", res);',
    '\t\t\t\t\td_step { is_arc(w, at, res, ok) };',
    '\t\t\t\t\tassert(ok)\t/* property table: each step handed to the driver is an arc of A(F) */',
    '\t\t\t\t\tif',
    '\t\t\t\t\t:: !ok -> goto done',
    '\t\t\t\t\t:: else -> skip',
    '\t\t\t\t\tfi;',
    '\t\t\t\t\td_step { onpath = (onpath && res == SEL(wi, at, tgt)); at = res; steps++ };',
    '\t\t\t\t\tassert(steps <= NSTATES + 1)\t/* property table: the walk does not go round */',
    '\t\t\t\t\tif',
    '\t\t\t\t\t:: steps > NSTATES + 1 -> goto done',
    '\t\t\t\t\t:: at == tgt -> break',
    '\t\t\t\t\t:: else -> d_step { lookup(w, at, tgt, res, loop) }',
    '\t\t\t\t\tfi',
    '\t\t\t\tod;',
    '\t\t\t\tassert(at == tgt && onpath)\t/* property table: the walk reaches the target, along the spec\'s selected path */',
    '\t\t\tfi',
    '\t\tfi',
    '',
    '\t:: check == CK_RANGE && !(IN_TABLE(cur) && IN_TABLE(tgt)) ->',
    '\t\td_step { lookup(w, cur, tgt, first, loop) };',
    '\t\tassert(first == REFUSED)\t/* property sink: a state value outside the table is refused */',
    '',
    '\t:: check == CK_WIDENED && IN_TABLE(cur) && IN_TABLE(tgt) ->',
    '\t\td_step { lookup(w, cur, tgt, first, loop) };',
    '\t\tif',
    '\t\t:: first == DIVERGED -> skip\t/* examined under CK_TERMINATION */',
    '\t\t:: else ->',
    '\t\t\td_step { lookup(w | extra, cur, tgt, wide, loop) };',
    '\t\t\tassert(wide != DIVERGED)\t/* property termination: the loop ends with undeclared bits also set */',
    '\t\t\tif',
    '\t\t\t:: wide == DIVERGED -> goto done',
    '\t\t\t:: else -> skip',
    '\t\t\tfi;',
    '\t\t\tassert(wide == first)\t/* property table: undeclared bits change no answer */',
    '\t\tfi',
    '',
    '\t:: else -> skip',
    '\tfi;',
    'done:',
    '\tskip',
    '}',
  ];
}

/** How to size SPIN's search for a model: pan's hash table, depth bound, state vector and memory. */
export interface PromelaBounds {
  /** An upper estimate of the states pan stores. */
  readonly states: number;
  /** log2 of the hash table's slots (pan -w). */
  readonly hashBits: number;
  /** The depth bound (pan -m): the longest run of the process, with room to spare. */
  readonly depth: number;
  /** -DVECTORSZ: the process's locals only, since the tables are hidden. */
  readonly vectorBytes: number;
  /** -DMEMLIM, in MB. */
  readonly memoryMb: number;
}

/**
 * Bounds from the model's size. A run of the process is a handful of choices
 * and at most NSTATES + 1 steps of a walk, a few statements each; each
 * (word, property, request) choice is one such run. The estimates are
 * generous (several times what pan stores for the bundled specs); pan says
 * when a bound was hit, and the oracle then reports the search inconclusive.
 */
export function promelaBounds(model: Model, words: number): PromelaBounds {
  const n = model.states.length;
  const values = n + OUT_OF_RANGE.length;
  // One more than the properties: CK_WIDENED is chosen twice (all undeclared bits, and the lowest).
  const runs = words * (Object.keys(PROMELA_CHECKS).length + 1) * values * values;
  const states = runs * (4 * n + 16);
  const hashBits = Math.min(28, Math.max(16, Math.ceil(Math.log2(states)) + 1));
  const depth = 100 + 12 * (n + 2);
  const vectorBytes = 256;
  // Each stored state costs the vector plus pan's overhead; the hash table is 8 bytes a slot.
  const memoryMb = Math.min(4096, Math.max(256, Math.ceil((states * (vectorBytes + 64) + 8 * 2 ** hashBits) / 2 ** 20) + 64));
  return { states, hashBits, depth, vectorBytes, memoryMb };
}
