import type { CommentReport, EvaluationReport, Judgement, TableReport, UapiReport, Unchecked } from './result.js';

/** What a verdict is decided from: the reports on one view, and what the input left unseen. */
export interface VerdictInput {
  readonly table: TableReport;
  readonly evaluation: EvaluationReport;
  readonly comment: CommentReport;
  readonly uapi: UapiReport | null;
  readonly kernelOnly: { readonly states: readonly string[]; readonly flags: readonly string[] };
  /** Read from a patch's hunks without a base. */
  readonly hunks: boolean;
  /** Lines of the lookup's code the patch changes (patch mode without a base). */
  readonly changedCode: readonly { readonly at: { readonly line: number } }[];
  /** The comment's warnings count against agreement (--strict-comment). */
  readonly strictComment: boolean;
}

const BASE = 'pass --base FILE, the file the patch applies to';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Three verdicts. `disagree` when anything shown contradicts the spec: a
 * cell, an entry of the flags table, an outcome, a request that never ends
 * (a soft lockup, whatever the spec's own lookup does), a uapi value, a
 * state one side lacks. Otherwise `inconclusive` when anything was not seen
 * or not run: cells the hunks leave out, a lookup not evaluated on every
 * input; each with what would decide it. `agree` only when the tables were
 * read whole and the lookup was evaluated on every input. The comment is
 * documentation: its warnings decide nothing unless asked to.
 */
export function judge(v: VerdictInput): Judgement {
  const reasons: string[] = [];
  const unchecked: Unchecked[] = [];
  const t = v.table;
  const f = t.flagsTable;
  const e = v.evaluation;

  if (v.kernelOnly.states.length) reasons.push(`the kernel has states the spec lacks: ${v.kernelOnly.states.join(', ')}`);
  if (v.kernelOnly.flags.length) reasons.push(`the kernel has flags the spec lacks: ${v.kernelOnly.flags.join(', ')}`);
  if (t.missingStates.length) reasons.push(`the kernel lacks states the spec has: ${t.missingStates.join(', ')} (its table is ${t.dimensions.kernel.join(' x ')})`);
  else if (t.found && !t.dimensions.agree && !v.kernelOnly.states.length) reasons.push(`the table is ${t.dimensions.kernel.join(' x ')}, but the spec has ${t.dimensions.spec} states`);
  if (t.differences.length) reasons.push(`${plural(t.differences.length, 'table cell')} differ${t.differences.length === 1 ? 's' : ''} from the spec's table`);
  const leftOut = t.implicit.filter((i) => !t.differences.some((d) => d.row === i.row && d.column === i.column));
  if (leftOut.length) reasons.push(`${plural(leftOut.length, 'table cell')} left out of the initializer (zero, that is ERROR, by omission)`);
  if (t.duplicates.length) reasons.push(`${plural(t.duplicates.length, 'table cell')} initialized twice`);
  if (f) {
    if (f.found) {
      if (f.differences.length) reasons.push(`${plural(f.differences.length, 'flags-table entry', 'flags-table entries')} differ${f.differences.length === 1 ? 's' : ''} from the states' needs`);
      const fLeftOut = f.implicit.filter((s) => !f.differences.some((d) => d.state === s));
      if (fLeftOut.length) reasons.push(`${plural(fLeftOut.length, 'flags-table entry', 'flags-table entries')} left out: ${fLeftOut.join(', ')}`);
      if (f.duplicates.length) reasons.push(`${plural(f.duplicates.length, 'flags-table entry', 'flags-table entries')} initialized twice`);
      if (f.dimension !== null && f.dimension !== t.dimensions.spec && !t.missingStates.length && !v.kernelOnly.states.length) reasons.push(`the flags table has ${f.dimension} entries, but the spec has ${t.dimensions.spec} states`);
    } else if (f.expected && !v.hunks) reasons.push(`no \`${f.name}\`, though the spec's lookup reads one`);
  }
  if (e.nonTerminating.length) {
    const expected = e.nonTerminating.every((n) => n.expected);
    reasons.push(`the lookup never ends on ${plural(e.nonTerminating.length, 'request')}: a request that never returns is a soft lockup${expected ? ` (the spec's own lookup never ends there either: the spec fails its check)` : ''}`);
  }
  const wrong = e.mismatches.length;
  if (wrong) {
    const byTable = e.mismatches.filter((m) => m.cause === 'table').length;
    reasons.push(`${plural(wrong, 'outcome')} differ${wrong === 1 ? 's' : ''} from the spec's lookup (${byTable} explained by the table, ${wrong - byTable} by the code)`);
  }
  const u = v.uapi;
  if (u?.mismatches.length) reasons.push(`${plural(u.mismatches.length, 'uapi value')} differ${u.mismatches.length === 1 ? 's' : ''} from the spec`);
  if (v.strictComment && v.comment.warnings.length) reasons.push(`the comment above the table does not describe it (${plural(v.comment.warnings.length, 'warning')}; --strict-comment)`);

  if (v.hunks) {
    if (!t.found) unchecked.push({ what: `the hunks show no entry of \`${t.name}\``, decide: BASE });
    if (t.hiddenCells?.length) unchecked.push({ what: `${plural(t.hiddenCells.length, 'table cell')} ${t.hiddenCells.length === 1 ? 'is' : 'are'} not shown by the hunks`, decide: BASE });
    if (t.unplaced?.length) unchecked.push({ what: `${plural(t.unplaced.length, 'shown table entry', 'shown table entries')} cannot be placed in a row`, decide: BASE });
    if (f?.hidden.length) unchecked.push({ what: `${plural(f.hidden.length, 'flags-table entry', 'flags-table entries')} not shown: ${f.hidden.join(', ')}`, decide: BASE });
  }
  if (!e.performed) unchecked.push({ what: `the lookup was not evaluated: ${e.note ?? 'it could not be read whole'}`, decide: v.hunks ? BASE : 'give the whole function' });
  else if (e.budget?.kind === 'total-steps') unchecked.push({ what: `the evaluation stopped: the total step budget of ${e.budget.limit} ran out after ${e.budget.inputsRun} of ${e.budget.inputs} inputs`, decide: 'read the loop by hand: no lookup needs that many steps' });
  else if (e.budget) unchecked.push({ what: `${plural(e.budget.undecided, 'input')} reached the step bound of ${e.budget.limit} steps without ending or repeating a state`, decide: 'read the loop by hand: no lookup needs that many steps' });
  else if (e.undetermined) unchecked.push({ what: `${plural(e.undetermined, 'input')} of the evaluation read cells the hunks do not show`, decide: BASE });
  if (v.changedCode.length && !e.performed) {
    const lines = v.changedCode.map((c) => c.at.line);
    unchecked.push({ what: `the patch changes the lookup's code (${plural(lines.length, 'line')}: ${lines.join(', ')}), which cannot be run from the hunks alone`, decide: BASE });
  }
  const verdict = reasons.length ? 'disagree' : unchecked.length ? 'inconclusive' : 'agree';
  return { verdict, reasons, unchecked };
}

const RANK = { agree: 0, inconclusive: 1, disagree: 2 } as const;

/** The worst of several verdicts: one disagreeing patch makes a series disagree. */
export function worst(verdicts: readonly Judgement['verdict'][]): Judgement['verdict'] {
  return verdicts.reduce<Judgement['verdict']>((a, b) => (RANK[b] > RANK[a] ? b : a), 'agree');
}
