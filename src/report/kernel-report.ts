import type { Painter } from '../diagnostics/format.js';
import { plain } from '../diagnostics/format.js';
import type { Where } from '../common/source.js';
import type { CellRef, KernelReport } from '../kernel/checks/result.js';
import { flagSetText } from '../model/spelling.js';

/** How many items of one kind a text report lists before it says "and N more". */
const LIST = 12;

function w(at: Where | null): string {
  return at ? `${at.file}:${at.line}:${at.column}` : '';
}


function some<T>(items: readonly T[], show: (t: T) => string, limit = LIST): string[] {
  const lines = items.slice(0, limit).map(show);
  if (items.length > limit) lines.push(`      ... and ${items.length - limit} more`);
  return lines;
}

function cells(refs: readonly CellRef[]): string {
  return refs.map((r) => `[${r.row}][${r.column}]`).join(' ');
}

/** The text summary: one section per check, findings first, counts always. */
export function kernelText(r: KernelReport, paint: Painter = plain): string {
  const out: string[] = [];
  const bad = (s: string): string => paint.red(s);
  const good = (s: string): string => s;
  out.push(paint.bold(`${r.function.name}() in ${r.input}${r.function.at ? ` (line ${r.function.at.line})` : ''} against ${r.spec}`));
  for (const n of r.notes) out.push(paint.dim(`  note: ${n}`));

  const t = r.table;
  out.push(paint.bold(`table ${t.name}`));
  if (!t.found) out.push(t.visibleCells ? '  not shown by the hunks' : bad('  not found'));
  else {
    const dims = t.dimensions;
    out.push(`  dimensions [${dims.kernel.join('][')}], spec ${dims.spec} states: ${dims.agree ? 'agree' : bad('differ')}`);
    if (t.visibleCells && t.hiddenCells) {
      const listed = t.hiddenCells.length > LIST ? `, among them ${cells(t.hiddenCells.slice(0, LIST))} ...` : t.hiddenCells.length ? `: ${cells(t.hiddenCells)}` : '';
      out.push(`  the hunks show ${t.visibleCells.length} cell(s); ${t.hiddenCells.length} cell(s) are not shown${listed}`);
      if (t.unplaced?.length) out.push(`  ${t.unplaced.length} shown entr(ies) follow unshown lines and cannot be placed in a row`);
    }
    const within = dims.agree ? '' : ` within [${dims.kernel.join('][')}]`;
    if (t.differences.length === 0) out.push(good(`  every ${t.visibleCells ? 'shown ' : ''}cell${within} agrees with the spec`));
    for (const d of t.differences) {
      out.push(bad(`  [${d.row}][${d.column}] is ${d.kernel}${d.implicit ? ' (left out of the initializer)' : ''}, the spec says ${d.spec}${d.at ? `  ${w(d.at)}` : ''}`));
      out.push(...some(d.affects, (a) => `      ${a.current} -> ${a.target} with ${flagSetText(a.flags)}: ${a.kernel} instead of ${a.spec}`, 6));
    }
    const implicitOnly = t.implicit.filter((i) => !t.differences.some((d) => d.row === i.row && d.column === i.column));
    if (t.implicit.length) out.push(bad(`  ${t.implicit.length} cell(s) left out of the initializer (zero, that is ERROR)${implicitOnly.length ? `: ${cells(implicitOnly)}` : ''}`));
    for (const d of t.duplicates) out.push(bad(`  [${d.index.join('][')}] is initialized twice: ${w(d.first)} and ${w(d.second)} (the last wins)`));
  }
  const f = t.flagsTable;
  if (f) {
    out.push(paint.bold(`flags table ${f.name}`));
    if (!f.found) out.push(t.visibleCells ? '  not shown by the hunks' : f.expected ? bad('  not found, but the spec\'s lookup reads one') : '  not declared (the spec\'s lookup needs none)');
    else {
      if (f.dimension !== null && f.dimension !== t.dimensions.spec) out.push(bad(`  dimension ${f.dimension}, spec ${t.dimensions.spec} states`));
      if (f.differences.length === 0) out.push('  every entry agrees with the states\' needs');
      for (const d of f.differences) out.push(bad(`  [${d.state}] is ${d.kernel}${d.implicit ? ' (left out)' : ''}, the spec says ${d.spec}${d.at ? `  ${w(d.at)}` : ''}`));
      for (const d of f.duplicates) out.push(bad(`  [${d.index.join('][')}] is initialized twice: ${w(d.first)} and ${w(d.second)}`));
      if (f.hidden.length) out.push(`  ${f.hidden.length} entr(ies) not shown: ${f.hidden.join(', ')}`);
    }
  }

  const e = r.evaluation;
  out.push(paint.bold('evaluation'));
  if (!e.performed) out.push(`  not performed: ${e.note}`);
  else {
    const skipped = e.skippedFlagSets.length ? `; flag sets the caller refuses first are not run: ${e.skippedFlagSets.map(flagSetText).join(', ')}` : '';
    const undecided = e.budget?.undecided ? `, ${e.budget.undecided} undecided (no end within the step bound)` : '';
    out.push(`  ${e.inputs} inputs (current x target x flag set): ${e.agreed} agree${e.undetermined ? `, ${e.undetermined} undetermined (they read cells not shown)` : ''}${undecided}, ${e.mismatches.length} differ${skipped}`);
    const expected = e.nonTerminating.filter((n) => n.expected);
    const unexpected = e.nonTerminating.filter((n) => !n.expected);
    if (expected.length) out.push(`  ${expected.length} input(s) never end, as the spec's lookup (${r.spec}) expects:`);
    out.push(...some(expected, (n) => `      ${n.current} -> ${n.target} with ${flagSetText(n.flags)}: goes round ${n.cycle.join(', ')}`));
    if (unexpected.length) out.push(bad(`  ${unexpected.length} input(s) never end:`));
    out.push(...some(unexpected, (n) => bad(`      ${n.current} -> ${n.target} with ${flagSetText(n.flags)}: goes round ${n.cycle.join(', ')}`)));
    const byTable = e.mismatches.filter((m) => m.cause === 'table').length;
    if (e.mismatches.length) out.push(bad(`  ${e.mismatches.length} outcome(s) differ from the spec (${byTable} explained by the table, ${e.mismatches.length - byTable} by the code):`));
    out.push(...some(e.mismatches, (m) => bad(`      ${m.current} -> ${m.target} with ${flagSetText(m.flags)}: ${m.kernel}, the spec says ${m.spec} [${m.cause}]`)));
    const b = e.budget;
    if (b?.kind === 'total-steps') out.push(bad(`  evaluation stopped: the total step budget of ${b.limit} ran out after ${b.inputsRun} of ${b.inputs} inputs; inconclusive`));
    else if (b) out.push(bad(`  evaluation undecided: ${b.undecided} of ${b.inputs} inputs reached the step bound of ${b.limit} steps per input without ending or repeating a state; inconclusive`));
  }

  const c = r.comment;
  out.push(paint.bold('comment above the table'));
  if (!c.found) out.push('  none');
  else {
    out.push(`  ${c.arcs} arc(s), ${c.paths} combination transition(s), ${c.blocked} blocked request(s) listed${c.partial ? ' (partly shown: only the shown lines are checked)' : ''}`);
    if (c.mismatches.length === 0) out.push('  agrees with the paths the table produces');
    out.push(...some(c.mismatches, (m) => bad(`  ${m.at ? `${w(m.at)}: ` : ''}${m.text}: ${m.message}`)));
  }

  if (r.uapi) {
    out.push(paint.bold(`uapi header ${r.uapi.file}`));
    out.push(`  ${r.uapi.states} enumerator(s), ${r.uapi.flags} flag macro(s)`);
    if (r.uapi.mismatches.length === 0) out.push('  agrees with the spec');
    out.push(...some(r.uapi.mismatches, (m) => bad(`  ${m.at ? `${w(m.at)}: ` : ''}${m.message}`)));
  }
  if (r.evaluation.budget) out.push(paint.bold(bad('inconclusive: the evaluation ran out of steps before it decided every input')));
  else out.push(r.ok ? paint.bold('kernel and spec agree') : paint.bold(bad('kernel and spec disagree')));
  return out.join('\n');
}
