import type { KernelReport } from '../kernel/checks/result.js';
import { flagSetText } from '../model/spelling.js';

/**
 * The findings a history follows from commit to commit, one per request or
 * state, so that each can be said to appear and to go away: a request whose
 * lookup never ends, one the kernel refuses though the spec answers it, one
 * answered with another state (a changed path), one that meets undefined
 * behaviour; a spec state the kernel lacks, a state it has that the spec
 * lacks. A cell or a flags-table entry that differs is seen through the
 * requests it changes; one that changes none shows in the commit's reasons.
 */
export type FindingKind = 'never-ends' | 'refused' | 'changed-path' | 'undefined-behaviour' | 'lacks-state' | 'extra-state';

/** The kinds about requests: undecided where the lookup was not evaluated. */
export const REQUEST_KINDS: ReadonlySet<FindingKind> = new Set(['never-ends', 'refused', 'changed-path', 'undefined-behaviour']);

export interface Atom {
  readonly kind: FindingKind;
  /** The same in every commit where the finding holds: its kind and what it is about. */
  readonly key: string;
  /** A request (`STOP_COPY -> PRE_COPY with {STOP_COPY, PRE_COPY}`) or a state. */
  readonly subject: string;
  /** What the kernel does there, and what the spec says (requests only). */
  readonly detail: string;
}

interface Request {
  readonly current: string;
  readonly target: string;
  readonly flags: readonly string[];
}

function requestText(r: Request): string {
  return `${r.current} -> ${r.target} with ${flagSetText(r.flags)}`;
}

function atom(kind: FindingKind, subject: string, detail: string): Atom {
  return { kind, key: `${kind} ${subject}`, subject, detail };
}

/** The kind of a mismatch from the kernel's outcome as the evaluation words it; never-ending ones are counted apart. */
function mismatchKind(kernel: string): FindingKind | null {
  if (kernel.startsWith('never ends')) return null;
  if (kernel.startsWith('refused')) return 'refused';
  if (kernel.startsWith('undefined behaviour')) return 'undefined-behaviour';
  if (kernel.startsWith('not shown')) return null;
  return 'changed-path';
}

export function findingsOf(r: KernelReport): Atom[] {
  const out: Atom[] = [];
  for (const s of r.states.specOnly) out.push(atom('lacks-state', s, ''));
  for (const s of r.states.kernelOnly) out.push(atom('extra-state', s, ''));
  for (const n of r.evaluation.nonTerminating) out.push(atom('never-ends', requestText(n), n.cycle.length ? `goes round ${n.cycle.join(', ')}` : 'the step bound was reached'));
  for (const m of r.evaluation.mismatches) {
    const kind = mismatchKind(m.kernel);
    if (kind) out.push(atom(kind, requestText(m), `the kernel: ${m.kernel}; the spec: ${m.spec}`));
  }
  return out;
}
