import type { Behaviour, KernelAnswer, NamePair, NewFlagSet, OldFlagSetDiff, RequestChange, SpecAnswer, SpecDiff } from '../analysis/spec-diff.js';
import { conforms } from '../analysis/spec-diff.js';
import type { Painter } from '../diagnostics/format.js';
import { plain } from '../diagnostics/format.js';
import { flagSetText } from '../model/spelling.js';
import { failedText } from '../analysis/check-summary.js';

const pairs = (ps: readonly NamePair[]): string => ps.map(([a, b]) => `${a} -> ${b}`).join(', ');
const requests = (rs: readonly { current: string; target: string }[]): string => rs.map((r) => `${r.current} -> ${r.target}`).join(', ');
const bit = (w: number): string => `1 << ${Math.log2(w)}`;

function specText(s: SpecAnswer): string {
  switch (s.kind) {
    case 'path':
      return s.path.join(' -> ');
    case 'refused':
      return `refused, ${s.reason}`;
    case 'unreachable':
      return 'no path (unreachable)';
    case 'ambiguous':
      return 'no unique path (ambiguous)';
  }
}

function kernelText(k: KernelAnswer): string {
  const stray = k.stray.length ? `, handing the driver ${pairs(k.stray)}, not ${k.stray.length > 1 ? 'arcs' : 'an arc'} under these flags` : '';
  return `${walkText(k)}${stray}`;
}

function walkText(k: KernelAnswer): string {
  switch (k.kind) {
    case 'reached':
      return k.states.join(' -> ');
    case 'refused':
      return k.states.length > 1 ? `refused after ${k.states.join(' -> ')}` : 'refused';
    case 'diverges':
      return k.states.length > 1 ? `${k.states.join(' -> ')}, then the lookup never returns` : 'the lookup never returns';
    case 'loops':
      return `goes round for ever: ${k.states.join(' -> ')}`;
    case 'not-consulted':
      return 'not asked (the caller filters it)';
  }
}

/** What a device sees, and what the spec says when the two differ. */
export function behaviourText(b: Behaviour): string {
  return conforms(b) || b.kernel.kind === 'not-consulted' ? kernelText(b.kernel) : `${kernelText(b.kernel)} (the spec: ${specText(b.spec)})`;
}

function changeLines(c: RequestChange, paint: Painter): string[] {
  const tag = c.kind === 'fix' ? 'fixed' : paint.red('CHANGED');
  return [`      ${tag} ${c.current} -> ${c.target}`, `          was: ${behaviourText(c.old)}`, `          now: ${behaviourText(c.new)}`];
}

function oldFlagSetLines(f: OldFlagSetDiff, width: number, paint: Painter, total: number): string[] {
  const head = `  ${flagSetText(f.flags).padEnd(width)}  `;
  if (!f.mapped) return [`${head}${paint.red('GONE')}: a flag of it is no longer declared, so its devices have no flag set in the new spec`];
  const lines: string[] = [];
  const changes = f.changes.filter((c) => c.kind === 'change').length;
  const fixes = f.changes.length - changes;
  const parts: string[] = [];
  if (changes) parts.push(paint.red(`BEHAVIOUR CHANGE in ${changes} request${changes > 1 ? 's' : ''}`));
  if (fixes) parts.push(`${fixes} request${fixes > 1 ? 's now follow' : ' now follows'} the spec (fixes)`);
  if (f.consulted.old !== f.consulted.new) {
    parts.push(
      f.consulted.new
        ? `now answered by the lookup itself (its caller used to filter it)${f.newRefusals.length === total ? `: it refuses all ${total} requests` : ''}`
        : 'no longer consulted: its caller must refuse these requests itself',
    );
  }
  lines.push(`${head}${parts.length ? parts.join('; ') : 'unchanged'}`);
  for (const c of f.changes) lines.push(...changeLines(c, paint));
  const newRefusalsShown = f.consulted.old !== f.consulted.new && f.newRefusals.length === total;
  if (f.newRefusals.length && !newRefusalsShown) lines.push(`      new refusals: ${requests(f.newRefusals)}`);
  if (f.removedRefusals.length) lines.push(`      no longer refused: ${requests(f.removedRefusals)}`);
  if (f.arcs.added.length) lines.push(`      a driver newly implements: ${pairs(f.arcs.added)}`);
  if (f.arcs.removed.length) lines.push(`      a driver is no longer asked for: ${pairs(f.arcs.removed)}`);
  return lines;
}

function newFlagSetLines(f: NewFlagSet, width: number, paint: Painter): string[] {
  const head = `  ${flagSetText(f.flags).padEnd(width)}  `;
  if (!f.consulted) return [`${head}not consulted by the lookup's caller`];
  if (f.states.length === 0) return [`${head}no migration: every request refused`];
  const added = f.flags.filter((n) => !f.base.includes(n));
  const lines = [`${head}${flagSetText(f.base)} plus ${added.join(', ')}${f.newStates.length ? `: ${f.newStates.length} new state${f.newStates.length > 1 ? 's' : ''} (${f.newStates.join(', ')})` : ''}`];
  lines.push(`      a driver newly implements: ${f.newArcs.length ? pairs(f.newArcs) : 'nothing'}`);
  if (f.droppedArcs.length) lines.push(`      and is no longer asked for: ${pairs(f.droppedArcs)}`);
  if (f.refusals.length) lines.push(`      new refusals: ${f.refusals.map((r) => `${r.current} -> ${r.target} (${r.reason})`).join(', ')}`);
  for (const d of f.disagreements) lines.push(`      ${paint.red('the lookup breaks the spec')}: ${d.current} -> ${d.target}: ${behaviourText(d)}`);
  return lines;
}

export function diffText(d: SpecDiff, paint: Painter = plain): string {
  const lines: string[] = [];
  lines.push(paint.bold(`${d.old.file} -> ${d.new.file}`));
  lines.push('');
  const list = (added: readonly string[], removed: readonly string[]): string => [...added.map((x) => `+ ${x}`), ...removed.map((x) => paint.red(`- ${x}`))].join(', ');
  if (d.flags.added.length || d.flags.removed.length) lines.push(`flags:   ${list(d.flags.added, d.flags.removed)}`);
  for (const r of d.flags.rebit) lines.push(paint.red(`flags:   ${r.name} moves from ${bit(r.old)} to ${bit(r.new)}: an ABI change`));
  if (d.states.added.length || d.states.removed.length) lines.push(`states:  ${list(d.states.added, d.states.removed)}`);
  for (const r of d.states.renumbered) lines.push(paint.red(`states:  ${r.name} is renumbered from ${r.old} to ${r.new}: an ABI change`));
  for (const n of d.needs) lines.push(`needs:   ${n.state} needed ${n.old.join(', ') || 'nothing'}, now ${n.new.join(', ') || 'nothing'}`);
  lines.push(`lookup:  ${d.old.lookup === d.new.lookup ? `${d.new.lookup} (unchanged)` : `${d.old.lookup} -> ${d.new.lookup}`}`);
  const blocked = [...d.blocked.added.map(([a, b]) => `+ ${a} -> ${b}`), ...d.blocked.removed.map(([a, b]) => `- ${a} -> ${b}`)];
  if (blocked.length) lines.push(`blocked: ${blocked.join(', ')}`);
  if (d.cells.length === 0) lines.push(`table:   no cell changed among the ${d.sharedStates.length} shared states`);
  else {
    lines.push(`table:   ${d.cells.length} cell${d.cells.length > 1 ? 's' : ''} changed among the ${d.sharedStates.length} shared states:`);
    for (const c of d.cells) lines.push(`           T[${c.current}][${c.target}]: ${c.old} -> ${c.new}`);
  }
  const verdict = (s: SpecDiff['old']): string => (s.checkOk ? 'passes check' : paint.red(`fails check (${s.violations} violation${s.violations > 1 ? 's' : ''})`));
  lines.push(`check:   old ${verdict(d.old)}; new ${verdict(d.new)}`);

  lines.push('');
  lines.push(paint.bold('existing flag sets (matched by flag name):'));
  const total = d.sharedStates.length + d.states.added.length + d.states.removed.length;
  const requestsPerSet = total * (total - 1);
  const w1 = d.oldFlagSets.reduce((w, f) => Math.max(w, flagSetText(f.flags).length), 0);
  for (const f of d.oldFlagSets) lines.push(...oldFlagSetLines(f, w1, paint, requestsPerSet));

  lines.push('');
  if (d.newFlagSets.length === 0) lines.push(paint.bold('new flag sets: none'));
  else {
    lines.push(paint.bold('new flag sets:'));
    const w2 = d.newFlagSets.reduce((w, f) => Math.max(w, flagSetText(f.flags).length), 0);
    for (const f of d.newFlagSets) lines.push(...newFlagSetLines(f, w2, paint));
  }

  lines.push('');
  if (d.behaviourChanges > 0) {
    lines.push(paint.red(paint.bold(`BEHAVIOUR CHANGE: ${d.behaviourChanges} change${d.behaviourChanges > 1 ? 's' : ''} that existing devices would see; pass --allow-behaviour-change if that is intended`)));
  } else lines.push(paint.bold('no behaviour change for existing flag sets'));
  if (d.fixes > 0) lines.push(`${d.fixes} request${d.fixes > 1 ? 's' : ''} on which the old lookup broke its own spec now follow${d.fixes > 1 ? '' : 's'} it (fixes, not behaviour changes)`);
  // Last, so that no reader stops at "no behaviour change": a new spec that fails its own check is not ready.
  if (!d.new.checkOk) lines.push(paint.red(paint.bold(`FAIL: the new spec fails check (${failedText(d.new.failed)}); run vfio-fsm check ${d.new.file}`)));
  return lines.join('\n');
}

/** The stable `diff --json` shape documented in the README. */
export function diffJson(d: SpecDiff, allowed: boolean) {
  return { ok: (d.behaviourChanges === 0 || allowed) && d.new.checkOk, behaviourChange: d.behaviourChanges > 0, newSpecFailsCheck: !d.new.checkOk, ...d };
}
