import type { KernelTable } from '../../analysis/kernel-table.js';
import type { LookupOutcome } from '../../analysis/lookup.js';
import { describeOutcome, DIVERGES, lookupCode } from '../../analysis/lookup.js';
import type { Model } from '../../model/model.js';
import { flagNames } from '../../model/model.js';
import type { BoundFunction } from '../bind/bind-function.js';
import type { Locate } from './tables.js';
import type { KernelOutcome, RuntimeArray } from '../evaluate/outcome.js';
import { Evaluator } from '../evaluate/evaluator.js';
import { stateName } from '../../model/spelling.js';
import type { EvaluationBudget, EvaluationMismatch, EvaluationReport, NonTerminating } from './result.js';
import { STEP_BOUND, TOTAL_STEP_BUDGET } from '../c/limits.js';

/** State values outside every table that a request may still carry. */
const OUTSIDE = [255, 0x7fffffff, 0xffffffff];

/** Every state value in the table, the first one past it, and a few far outside. */
export function inputValues(size: number): number[] {
  const values = Array.from({ length: size + 1 }, (_, i) => i);
  for (const v of OUTSIDE) if (!values.includes(v)) values.push(v);
  return values;
}


export function kernelOutcomeText(model: Model, o: KernelOutcome, where: Locate): string {
  switch (o.kind) {
    case 'next':
      return stateName(model, o.state);
    case 'refused':
      return `refused (${o.detail})`;
    case 'diverges':
      return o.cycle.length ? `never ends (goes round ${o.cycle.map((s) => stateName(model, s)).join(', ')})` : 'never ends';
    case 'step-bound':
      return `undecided (no end after ${STEP_BOUND} steps)`;
    case 'fault': {
      const w = where(o.at);
      return `undefined behaviour at line ${w.line}: ${o.message}`;
    }
    case 'unknown':
      return 'not shown by the patch';
  }
}

function specText(model: Model, o: LookupOutcome): string {
  if (o.kind === 'next') return stateName(model, o.state);
  if (o.kind === 'refused') return 'refused';
  return `never ends (goes round ${o.cycle.map((s) => stateName(model, s)).join(', ')})`;
}

/** Whether the kernel's outcome is the lookup's, given as lookupCode() gives it (a state, or a refusal or divergence code). */
function agrees(k: KernelOutcome, code: number): boolean {
  if (k.kind === 'next') return code >= 0 && code === k.state;
  if (k.kind === 'refused') return code < 0 && code !== DIVERGES;
  if (k.kind === 'diverges') return code === DIVERGES;
  return false;
}

/** The step budgets of one evaluation (src/kernel/c/limits.ts); tests give smaller ones. */
export interface StepBudgets {
  readonly perInput: number;
  readonly total: number;
}

const BUDGETS: StepBudgets = { perInput: STEP_BOUND, total: TOTAL_STEP_BUDGET };

/**
 * Runs the function on every input and compares each outcome with the
 * spec's lookup over the spec's table. A mismatch also says whether the same
 * lookup over the kernel's own table answers as the code did: if so the
 * table explains it, if not the code itself differs from the spec's lookup.
 *
 * Bounded twice: each run by the step bound, all of them together by the
 * total budget. A run that reaches the step bound is undecided, not a
 * finding; when the total runs out, the evaluation stops where it is. Either
 * way the report names the budget, and the evaluation is inconclusive.
 */
export function evaluateAll(
  model: Model,
  bound: BoundFunction,
  statics: ReadonlyMap<string, RuntimeArray>,
  spec: KernelTable,
  kernel: KernelTable,
  words: readonly number[],
  skipped: readonly number[],
  tableSize: number,
  where: Locate,
  budgets: StepBudgets = BUDGETS,
): EvaluationReport {
  const evaluator = new Evaluator(bound, statics, spec.sink);
  const values = inputValues(Math.max(spec.size, tableSize));
  const nonTerminating: NonTerminating[] = [];
  const mismatches: EvaluationMismatch[] = [];
  const total = words.length * values.length * values.length;
  let inputs = 0;
  let agreed = 0;
  let undetermined = 0;
  let undecided = 0;
  let used = 0;
  let stopped = false;
  // Indexed loops: this one runs a thousand times before it is optimised, and `for...of` allocates as it goes.
  for (let w = 0; w < words.length && !stopped; w++) {
    const flags = words[w]!;
    for (let c = 0; c < values.length && !stopped; c++) {
      const current = values[c]!;
      for (let t = 0; t < values.length; t++) {
        const target = values[t]!;
        const left = budgets.total - used;
        if (left <= 0) {
          stopped = true;
          break;
        }
        const limit = Math.min(budgets.perInput, left);
        const k = evaluator.run({ current, target, flags }, limit);
        used += Math.min(evaluator.steps, limit);
        if (k.kind === 'step-bound') {
          // Cut short by what was left of the total: the evaluation ends here, this input unrun.
          if (limit < budgets.perInput) {
            stopped = true;
            break;
          }
          inputs++;
          undecided++;
          continue;
        }
        inputs++;
        if (k.kind === 'unknown') {
          undetermined++;
          continue;
        }
        // The lookup's code, described only for a report: most inputs agree.
        const s = lookupCode(model.lookup.variant, spec, current, target, flags);
        if (k.kind === 'diverges') {
          nonTerminating.push({ current: stateName(model, current), target: stateName(model, target), flags: flagNames(model, flags), cycle: k.cycle.map((v) => stateName(model, v)), expected: s === DIVERGES });
        }
        if (agrees(k, s)) {
          agreed++;
          continue;
        }
        const own = lookupCode(model.lookup.variant, kernel, current, target, flags);
        mismatches.push({
          current: stateName(model, current),
          target: stateName(model, target),
          flags: flagNames(model, flags),
          kernel: kernelOutcomeText(model, k, where),
          spec: specText(model, describeOutcome(spec, s, target, current)),
          cause: agrees(k, own) ? 'table' : 'code',
        });
      }
    }
  }
  let budget: EvaluationBudget | null = null;
  if (stopped) budget = { kind: 'total-steps', limit: budgets.total, inputsRun: inputs, inputs: total, undecided };
  else if (undecided > 0) budget = { kind: 'per-input-steps', limit: budgets.perInput, inputsRun: inputs, inputs: total, undecided };
  return {
    performed: true,
    note: null,
    inputs,
    agreed,
    undetermined,
    skippedFlagSets: skipped.map((w) => flagNames(model, w)),
    nonTerminating,
    mismatches,
    budget,
  };
}
