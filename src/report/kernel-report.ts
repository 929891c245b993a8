import { failedText } from '../analysis/check-summary.js';
import type { Where } from '../common/source.js';
import type { Painter } from '../diagnostics/format.js';
import { plain } from '../diagnostics/format.js';
import type { CellRef, KernelReport, ViewReport } from '../kernel/checks/result.js';
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

/**
 * The text summary: what the spec and the code are, one section per check
 * (findings first, counts always), what was not checked and what would
 * decide it, and the verdict on the last line. A series gets one such
 * section per mail.
 */
export function kernelText(r: KernelReport, paint: Painter = plain): string {
  const out: string[] = [];
  const bad = (s: string): string => paint.red(s);
  const spec = `${r.spec}${r.specName ? ` (${r.specName})` : ''}`;
  if (!r.specCheck.ok) out.push(bad(`this spec fails check: ${failedText(r.specCheck.failed)}; its lookup is no reference to agree with (see vfio-fsm check ${r.spec})`));
  if (r.patches.length === 0) {
    out.push(...viewLines(r, spec, paint));
  } else {
    out.push(paint.bold(`${r.input}: ${r.patches.length} mails against ${spec}`));
    for (const n of r.notes.slice(0, 1)) out.push(paint.dim(`  note: ${n}`));
    for (const p of r.patches) {
      out.push('');
      out.push(paint.bold(`mail ${p.mail}${p.subject ? `: ${p.subject}` : ''} -- ${p.verdict}`));
      out.push(...viewLines(p, spec, paint));
      out.push(verdictLine(p, paint));
    }
    out.push('');
  }
  out.push(verdictLine(r, paint, r.patches.length > 0));
  return out.join('\n');
}

/** The last line: the verdict and, in a few words, why. */
function verdictLine(v: ViewReport, paint: Painter, overall = false): string {
  const of = overall ? ' (the worst of the mails)' : '';
  if (v.verdict === 'agree') return paint.bold(`verdict: agree${of}: kernel and spec agree`);
  if (v.verdict === 'disagree') return paint.bold(paint.red(`verdict: disagree${of}: ${v.reasons.join('; ')}`));
  return paint.bold(paint.yellow(`verdict: inconclusive${of}: ${v.unchecked.map((u) => u.what).join('; ')}`));
}

function viewLines(r: ViewReport, spec: string, paint: Painter): string[] {
  const out: string[] = [];
  const bad = (s: string): string => paint.red(s);
  const at = r.function.at ? ` (line ${r.function.at.line}${r.mode === 'patch-applied' ? ' of the patched file' : ''})` : '';
  out.push(paint.bold(`${r.function.name}() in ${r.source}${at} against ${spec}`));
  for (const m of r.era) out.push(`this is the lookup of ${m.describes} (${m.name}): identical tables and outcomes on ${m.inputs} inputs`);
  for (const f of r.missingFixes) out.push(bad(`${f} is missing`));
  if (r.states.kernelOnly.length) out.push(bad(`the kernel has states the spec lacks: ${r.states.kernelOnly.join(', ')}; what they share is compared below`));
  if (r.states.kernelOnlyFlags.length) out.push(bad(`the kernel has flags the spec lacks: ${r.states.kernelOnlyFlags.join(', ')}`));
  if (r.states.specOnly.length) out.push(bad(`the kernel lacks states the spec has: ${r.states.specOnly.join(', ')}`));
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
    if (t.differences.length === 0) out.push(`  every ${t.visibleCells ? 'shown ' : ''}cell${within} agrees with the spec`);
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
    if (!f.found) out.push(t.visibleCells ? '  not shown by the hunks' : f.expected ? bad("  not found, but the spec's lookup reads one") : "  not declared (the spec's lookup needs none)");
    else {
      if (f.dimension !== null && f.dimension !== t.dimensions.spec) out.push(bad(`  dimension ${f.dimension}, spec ${t.dimensions.spec} states`));
      if (f.differences.length === 0) out.push("  every entry agrees with the states' needs");
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
    if (e.nonTerminating.length) {
      const alsoSpec = e.nonTerminating.every((n) => n.expected) ? " (the spec's lookup never ends there either)" : '';
      out.push(bad(`  ${e.nonTerminating.length} input(s) never end: a request that never returns is a soft lockup${alsoSpec}`));
    }
    out.push(...some(e.nonTerminating, (n) => bad(`      ${n.current} -> ${n.target} with ${flagSetText(n.flags)}: goes round ${n.cycle.join(', ')}`)));
    const byTable = e.mismatches.filter((m) => m.cause === 'table').length;
    if (e.mismatches.length) out.push(bad(`  ${e.mismatches.length} outcome(s) differ from the spec (${byTable} explained by the table, ${e.mismatches.length - byTable} by the code):`));
    out.push(...some(e.mismatches, (m) => bad(`      ${m.current} -> ${m.target} with ${flagSetText(m.flags)}: ${m.kernel}, the spec says ${m.spec}; ${m.explanation}`)));
    const b = e.budget;
    if (b?.kind === 'total-steps') out.push(bad(`  evaluation stopped: the total step budget of ${b.limit} ran out after ${b.inputsRun} of ${b.inputs} inputs; inconclusive`));
    else if (b) out.push(bad(`  evaluation undecided: ${b.undecided} of ${b.inputs} inputs reached the step bound of ${b.limit} steps per input without ending or repeating a state; inconclusive`));
  }

  const c = r.comment;
  out.push(paint.bold('comment above the table'));
  if (!c.found) out.push('  none');
  else {
    out.push(`  ${c.arcs} arc(s), ${c.paths} combination transition(s), ${c.blocked} blocked request(s) listed${c.partial ? ' (partly shown: only the shown lines are checked)' : ''}`);
    if (c.warnings.length === 0) out.push('  agrees with the paths the table produces');
    out.push(...some(c.warnings, (m) => paint.yellow(`  warning: ${w(m.at)}: ${m.message}`)));
  }

  if (r.uapi) {
    out.push(paint.bold(`uapi header ${r.uapi.file}`));
    out.push(`  ${r.uapi.states} enumerator(s), ${r.uapi.flags} flag macro(s)${r.uapi.partial ? ' shown' : ''}`);
    if (r.uapi.mismatches.length === 0) out.push(`  ${r.uapi.partial ? 'what the hunks show ' : ''}agrees with the spec`);
    out.push(...some(r.uapi.mismatches, (m) => bad(`  ${m.at ? `${w(m.at)}: ` : ''}${m.message}`)));
    if (r.uapi.notShown?.length) out.push(paint.dim(`  not shown by the hunks (left as they were): ${r.uapi.notShown.join(', ')}`));
  }

  if (r.unchecked.length) {
    out.push(paint.bold('not checked'));
    for (const u of r.unchecked) out.push(`  ${u.what}; to decide it, ${u.decide}`);
  }
  // The changed lines matter when they could not be run: then they are what a reviewer must read.
  if (!r.evaluation.performed) for (const c of r.changedCode.slice(0, LIST)) out.push(paint.dim(`  changed code: ${w(c.at)}: ${c.text}`));
  return out;
}
