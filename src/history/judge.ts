import type { SourceText } from '../common/source.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Verdict } from '../kernel/checks/result.js';
import type { Reference } from '../kernel/cross-check.js';
import { crossCheck } from '../kernel/cross-check.js';
import type { Model } from '../model/model.js';
import type { Atom } from './findings.js';
import { findingsOf } from './findings.js';

/**
 * What one version of the file says, in the few words a history keeps of a
 * kernel report: nothing in it names the file, so a result can be reused
 * for the same blob under another name (a rename).
 */
export type Outcome =
  | { readonly status: 'absent'; readonly files: readonly string[] }
  | { readonly status: 'unreadable'; readonly diagnostics: readonly Diagnostic[] }
  | {
      readonly status: 'judged';
      readonly verdict: Verdict;
      readonly matches: readonly string[];
      readonly reasons: readonly string[];
      readonly unchecked: readonly string[];
      readonly missingFixes: readonly string[];
      /** False when the lookup was not run: findings about requests are then undecided. */
      readonly evaluated: boolean;
      readonly atoms: readonly Atom[];
    };

export type Judge = (source: SourceText) => Promise<Outcome>;

export interface JudgeOptions {
  readonly specName: string | null;
  readonly references: readonly Reference[];
}

/** The kernel cross-check of one whole file against the chosen spec, as `vfio-fsm kernel <file>` runs it. */
export function kernelJudge(model: Model, options: JudgeOptions): Judge {
  return async (source) => {
    const r = await crossCheck(model, { input: source }, { specName: options.specName, references: options.references });
    if (!r.ok) return { status: 'unreadable', diagnostics: r.diagnostics };
    const k = r.report;
    return {
      status: 'judged',
      verdict: k.verdict,
      matches: k.matches,
      reasons: k.reasons,
      unchecked: k.unchecked.map((u) => u.what),
      missingFixes: k.missingFixes,
      evaluated: k.evaluation.performed,
      atoms: findingsOf(k),
    };
  };
}
