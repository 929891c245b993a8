import type { Explanation, Flaw } from '../analysis/explain.js';
import type { CellRead } from '../analysis/lookup-trace.js';
import type { Refusal } from '../analysis/paths.js';
import type { Painter } from '../diagnostics/format.js';
import { plain } from '../diagnostics/format.js';
import type { Model } from '../model/model.js';
import type { Condition } from '../model/model.js';
import { flagNames } from '../model/model.js';
import { flagWordSet, pathText, stateName } from '../model/spelling.js';

const arcs = (n: number): string => `${n} arc${n === 1 ? '' : 's'}`;

function refusalText(model: Model, e: Explanation, reason: Refusal): string {
  const cur = stateName(model, e.current);
  const tgt = stateName(model, e.target);
  switch (reason) {
    case 'sink':
      return `the request is refused: it involves the sink ${stateName(model, model.sink)}`;
    case 'unsupported': {
      const absent = [e.current, e.target].filter((s) => s !== model.sink && (model.states[s]!.needs & e.flags) >>> 0 !== model.states[s]!.needs);
      return `the request is refused: ${absent.map((s) => stateName(model, s)).join(' and ')} ${absent.length > 1 ? 'do' : 'does'} not exist under these flags`;
    }
    case 'blocked':
      return `the request is refused: the spec blocks ${cur} -> ${tgt}`;
  }
}

/** A guard as a spec author writes it: the flags it needs, then the ones it excludes. */
function guardText(model: Model, c: Condition): string {
  return [...flagNames(model, c.require), ...flagNames(model, c.forbid).map((n) => `not ${n}`)].join(' and ');
}

function ruleText(model: Model, index: number, states: readonly number[]): string {
  const rule = model.interior[index]!;
  const group = model.groups[rule.group]!.name;
  const why = rule.mode === 'never' ? `no path may pass through group ${group}` : `only a path with both ends in group ${group} may pass through it`;
  return `breaks rule \`interior ${group} ${rule.mode}\` at ${states.map((s) => stateName(model, s)).join(' and ')} (${why})`;
}

/** The reasons a candidate lost, one line each; one rule broken at several states is one line. */
export function flawTexts(model: Model, e: Explanation, flaws: readonly Flaw[]): string[] {
  const lines: (string | { readonly rule: number; readonly states: number[] })[] = [];
  for (const f of flaws) {
    if (f.kind !== 'rule') lines.push(flawText(model, e, f));
    else {
      const same = lines.find((l) => typeof l !== 'string' && l.rule === f.rule);
      if (same && typeof same !== 'string') same.states.push(f.state);
      else lines.push({ rule: f.rule, states: [f.state] });
    }
  }
  return lines.map((l) => (typeof l === 'string' ? l : ruleText(model, l.rule, l.states)));
}

export function flawText(model: Model, e: Explanation, f: Flaw): string {
  switch (f.kind) {
    case 'refused':
      return refusalText(model, e, f.reason);
    case 'absent-state':
      return `passes through ${stateName(model, f.state)}, which does not exist under these flags (it needs ${flagNames(model, f.missing).join(' and ')})`;
    case 'absent-arc':
      return `uses ${stateName(model, f.from)} -> ${stateName(model, f.to)}, an arc absent under these flags (declared ${f.conditions.map((c) => (c.require || c.forbid ? `\`when ${guardText(model, c)}\`` : 'unconditionally')).join(' and ')})`;
    case 'rule':
      return ruleText(model, f.rule, [f.state]);
    case 'longer':
      return `longer: ${arcs(f.arcs)}, the selected path has ${f.selected}`;
    case 'tie':
      return `as short as another rule-abiding path (${arcs(f.arcs)}): the spec does not choose between them`;
  }
}

function readText(model: Model, r: CellRead): string {
  const head = `T[${stateName(model, r.current)}][${stateName(model, r.target)}] = ${stateName(model, r.value)}`;
  if (!r.skip) return head;
  if (r.skip.kind === 'sink') return `${head}, skipped: this loop counts ${stateName(model, r.value)} as a state the device lacks`;
  return `${head}, skipped: it needs ${flagNames(model, r.skip.missing).join(' and ')}`;
}

function selectionText(model: Model, e: Explanation): string[] {
  const s = e.selection;
  switch (s.kind) {
    case 'path': {
      if (s.path.length === 1) return ['selected: nothing to do, the device is already there'];
      const rules = model.interior.map((r) => `interior ${model.groups[r.group]!.name} ${r.mode}`);
      return [
        `selected: ${pathText(model, s.path)} (${arcs(s.path.length - 1)})`,
        `  the one shortest path over the arcs present under these flags${rules.length ? ` that obeys ${rules.map((r) => `\`${r}\``).join(' and ')}` : ''}`,
      ];
    }
    case 'refused':
      return [`selected: none; ${refusalText(model, e, s.reason)}`];
    case 'unreachable':
      return ['selected: none; no path that obeys the rules leads there under these flags (a reachability violation)'];
    case 'ambiguous':
      return [`selected: none; ${s.paths.length} equally short paths obey the rules (an ambiguity violation)`];
  }
}

/** The end of the caller's walk, and whether it is what the spec selects. */
function walkEndText(model: Model, e: Explanation): string {
  const w = e.walk;
  const states = pathText(model, w.states);
  switch (w.end.kind) {
    case 'not-consulted':
      return `the lookup is not consulted: its caller requires ${flagWordSet(model, model.lookup.assumes)}`;
    case 'reached':
      return `reaches ${stateName(model, e.target)} by ${states}: ${e.agrees ? 'the selected path' : 'NOT what the spec selects'}`;
    case 'refused': {
      const where = w.states.length > 1 ? ` after ${states}, leaving the device half way` : '';
      return `refused (${w.end.reason})${where}: ${e.agrees ? 'as the spec says' : 'NOT what the spec says'}`;
    }
    case 'diverges':
      return `the lookup loop never ends: it goes round ${pathText(model, [...w.end.cycle, w.end.cycle[0]!])} ...: NOT what the spec says`;
    case 'loops':
      return `the walk comes back to ${stateName(model, w.states[w.states.length - 1]!)} and would go round for ever: ${states}`;
  }
}

export function explainText(model: Model, e: Explanation, notes: readonly string[], paint: Painter = plain): string {
  const lines: string[] = [];
  lines.push(paint.bold(`${pathText(model, [e.current, e.target])} under ${flagWordSet(model, e.flags)} (${model.file}, lookup ${model.lookup.variant})`));
  for (const n of notes) lines.push(`${paint.yellow('note')}: ${n}`);
  lines.push('');
  lines.push(...selectionText(model, e));
  if (e.current !== e.target) {
    lines.push('');
    lines.push(paint.bold(`candidates considered: simple paths of up to ${arcs(e.maxArcs)} over every declared arc`));
    if (e.alternatives.length === 0) lines.push(e.selection.kind === 'path' ? '  none other than the selected path' : '  none: no declared arcs lead there');
    for (const a of e.alternatives) {
      lines.push(`  ${paint.red('✗')} ${pathText(model, a.path)}`);
      for (const t of flawTexts(model, e, a.flaws)) lines.push(`      ${t}`);
    }
    if (e.omitted > 0) lines.push(`  ... and ${e.omitted} longer candidates not shown`);
    lines.push('');
    lines.push(paint.bold(`lookup walk (${model.lookup.variant}), one call per step as the driver's caller makes them:`));
    e.walk.calls.forEach((call, i) => {
      const reads = call.reads.length ? call.reads : undefined;
      if (!reads) lines.push(`  step ${i + 1}: refused before reading the table (${call.outcome.kind === 'refused' ? call.outcome.reason : call.outcome.kind})`);
      reads?.forEach((r, j) => lines.push(`  ${j === 0 ? `step ${i + 1}:` : ' '.repeat(`step ${i + 1}:`.length)} ${readText(model, r)}`));
      if (call.outcome.kind === 'next') {
        const stray = e.walk.stray.includes(i + 1);
        lines.push(`  ${' '.repeat(`step ${i + 1}:`.length)} -> the driver takes ${stateName(model, e.walk.states[i]!)} -> ${stateName(model, call.outcome.state)}${stray ? paint.red(' (not an arc under these flags)') : ''}`);
      }
    });
    lines.push(`  ${walkEndText(model, e)}`);
  }
  return lines.join('\n');
}

/** The stable `explain --json` shape documented in the README. */
export function explainJson(model: Model, e: Explanation, notes: readonly string[]) {
  const names = (p: readonly number[]): string[] => p.map((v) => stateName(model, v));
  const sel = e.selection;
  return {
    spec: model.file,
    lookup: model.lookup.variant,
    current: stateName(model, e.current),
    target: stateName(model, e.target),
    flags: flagNames(model, e.flags),
    notes,
    selection: sel.kind,
    ...(sel.kind === 'refused' ? { refusal: sel.reason } : {}),
    path: sel.kind === 'path' ? names(sel.path) : [],
    alternatives: e.alternatives.map((a) => ({
      path: names(a.path),
      reason: flawTexts(model, e, a.flaws).join('; '),
      flaws: a.flaws.map((f) => f.kind),
    })),
    maxArcs: e.maxArcs,
    omitted: e.omitted,
    walk: e.walk.calls.flatMap((call, i) =>
      call.reads.map((r) => ({
        step: i + 1,
        cell: [stateName(model, r.current), stateName(model, r.target)],
        value: stateName(model, r.value),
        skipped: r.skip !== undefined,
      })),
    ),
    walkEnd: {
      kind: e.walk.end.kind,
      states: names(e.walk.states),
      stray: e.walk.stray.map((i) => [stateName(model, e.walk.states[i - 1]!), stateName(model, e.walk.states[i]!)]),
      agrees: e.agrees,
      summary: walkEndText(model, e),
    },
  };
}
