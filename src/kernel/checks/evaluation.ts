import type { KernelTable } from '../../analysis/kernel-table.js';
import type { LookupOutcome } from '../../analysis/lookup.js';
import { describeOutcome, DIVERGES, lookupCode } from '../../analysis/lookup.js';
import { traceLookup } from '../../analysis/lookup-trace.js';
import { outOfTableValues } from '../../analysis/out-of-table.js';
import { flagNames } from '../../model/model.js';
import type { BoundFunction } from '../bind/bind-function.js';
import type { KernelOutcome, RuntimeArray } from '../evaluate/outcome.js';
import { Evaluator } from '../evaluate/evaluator.js';
import { STEP_BOUND, TOTAL_STEP_BUDGET } from '../c/limits.js';
import type { CheckContext, Locate } from './context.js';
import type { EvaluationBudget, EvaluationMismatch, EvaluationReport, NonTerminating } from './result.js';
import type { KernelTables } from './tables.js';

/** Every state value in the table, then the out-of-table probes the checker uses too (from the table's size). */
export function inputValues(size: number): number[] {
  return [...Array.from({ length: size }, (_, i) => i), ...outOfTableValues(size)];
}

export function kernelOutcomeText(cx: CheckContext, o: KernelOutcome, where: Locate): string {
  switch (o.kind) {
    case 'next':
      return cx.state(o.state);
    case 'refused':
      return `refused (${o.detail})`;
    case 'diverges':
      return o.cycle.length ? `never ends (goes round ${o.cycle.map(cx.state).join(', ')})` : 'never ends';
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

function specText(cx: CheckContext, o: LookupOutcome): string {
  if (o.kind === 'next') return cx.state(o.state);
  if (o.kind === 'refused') return 'refused';
  return `never ends (goes round ${o.cycle.map(cx.state).join(', ')})`;
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
 * spec's lookup over the spec's table (with `untilDisagreement`, only until
 * the first input on which they differ: all that telling an era needs). A mismatch is explained by the table
 * when the spec's lookup run over the kernel's own table (only the cells the
 * kernel defines) answers as the code did, and by the code otherwise; the
 * explanation says which cell, or what the code does instead, in words.
 *
 * Bounded twice: each run by the step bound, all of them together by the
 * total budget. A run that reaches the step bound is undecided, not a
 * finding; when the total runs out, the evaluation stops where it is. Either
 * way the report names the budget, and the evaluation is inconclusive.
 */
export function evaluateAll(
  cx: CheckContext,
  bound: BoundFunction,
  statics: ReadonlyMap<string, RuntimeArray>,
  kernel: KernelTables,
  tableSize: number,
  budgets: StepBudgets = BUDGETS,
  untilDisagreement = false,
): EvaluationReport {
  const { model, spec, where } = cx;
  const words = cx.evaluated;
  const variant = model.lookup.variant;
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
          if (untilDisagreement) return unfinished(inputs, agreed, undetermined);
          continue;
        }
        inputs++;
        if (k.kind === 'unknown') {
          undetermined++;
          if (untilDisagreement) return unfinished(inputs, agreed, undetermined);
          continue;
        }
        // The lookup's code, described only for a report: most inputs agree.
        const s = lookupCode(variant, spec, current, target, flags);
        if (k.kind === 'diverges') {
          nonTerminating.push({ current: cx.state(current), target: cx.state(target), flags: flagNames(model, flags), cycle: k.cycle.map(cx.state), expected: s === DIVERGES });
        }
        if (agrees(k, s)) {
          agreed++;
          continue;
        }
        // Only whether every input agrees was asked: the first that does not answers it.
        if (untilDisagreement) return unfinished(inputs, agreed, undetermined);
        const own = lookupCode(variant, kernel.own, current, target, flags);
        const byTable = agrees(k, own);
        const kernelText = kernelOutcomeText(cx, k, where);
        mismatches.push({
          current: cx.state(current),
          target: cx.state(target),
          flags: flagNames(model, flags),
          kernel: kernelText,
          spec: specText(cx, describeOutcome(spec, s, target, current)),
          cause: byTable ? 'table' : 'code',
          explanation: byTable ? tableExplanation(cx, kernel.own, current, target, flags) : codeExplanation(cx, kernel.own, own, current, target, kernelText),
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
    skippedFlagSets: cx.skipped.map((w) => flagNames(model, w)),
    nonTerminating,
    mismatches,
    budget,
  };
}

/** An evaluation stopped at the first input the code and the spec disagree on: its counts so far (fewer agreed than run). */
function unfinished(inputs: number, agreed: number, undetermined: number): EvaluationReport {
  return { performed: true, note: 'stopped at the first input the code and the spec disagree on', inputs, agreed, undetermined, skippedFlagSets: [], nonTerminating: [], mismatches: [], budget: null };
}

/**
 * Why the spec's lookup, run over the kernel's table, answers otherwise than
 * over the spec's: the first cell it reads that the two tables hold
 * differently, a state the kernel's table has no room for, or a state whose
 * flags-table word differs.
 */
function tableExplanation(cx: CheckContext, own: KernelTable, current: number, target: number, flags: number): string {
  const { spec } = cx;
  if (current >= own.size || target >= own.size) {
    const missing = current >= own.size ? current : target;
    return `the table explains it: the kernel's table has no row or column for ${cx.state(missing)} (it is ${own.size} x ${own.size})`;
  }
  const trace = traceLookup(cx.model.lookup.variant, own, current, target, flags);
  for (const read of trace.reads) {
    const expected = spec.cells[read.current * spec.size + read.target]!;
    if (read.value !== expected) return `the table explains it: [${cx.state(read.current)}][${cx.state(read.target)}] is ${cx.state(read.value)}, the spec's table says ${cx.state(expected)}`;
    if (read.value >= own.size) return `the table explains it: the walk reaches ${cx.state(read.value)}, which the kernel's table has no row for`;
  }
  for (const s of [current, target, ...trace.reads.map((r) => r.value)]) {
    if (s < own.size && s !== spec.sink && own.needs[s] !== spec.needs[s]) return `the table explains it: the flags table gives ${cx.state(s)} another word than the states it needs in the spec`;
  }
  return 'the table explains it: the spec\'s lookup over the kernel\'s table answers as the code does';
}

/** What the code does that the spec's lookup, over the very same table, does not. */
function codeExplanation(cx: CheckContext, own: KernelTable, ownCode: number, current: number, target: number, kernelText: string): string {
  const same = specText(cx, describeOutcome(own, ownCode, target, current));
  return `the code explains it: over the kernel's own table the spec's lookup (${cx.model.lookup.variant}) answers ${same}, the code ${kernelText}`;
}
