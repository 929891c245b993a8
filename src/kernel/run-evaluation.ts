import type { KernelTable } from '../analysis/kernel-table.js';
import type { LookupOutcome } from '../analysis/lookup.js';
import { describeOutcome, DIVERGES, lookupCode } from '../analysis/lookup.js';
import { outOfTableValues } from '../analysis/out-of-table.js';
import type { Model } from '../model/model.js';
import { flagNames } from '../model/model.js';
import type { BoundFunction } from './bind.js';
import type { Locate } from './compare.js';
import type { KernelOutcome, RuntimeArray } from './evaluate.js';
import { Evaluator } from './evaluate.js';
import { stateLabel } from './names.js';
import type { EvaluationMismatch, EvaluationReport, NonTerminating } from './result.js';

/** Every state value in the table, then the out-of-table probes the checker uses too (from the table's size). */
export function inputValues(size: number): number[] {
  return [...Array.from({ length: size }, (_, i) => i), ...outOfTableValues(size)];
}

function label(model: Model, v: number): string {
  return v < model.states.length ? stateLabel(model, v) : String(v >>> 0);
}

export function kernelOutcomeText(model: Model, o: KernelOutcome, where: Locate): string {
  switch (o.kind) {
    case 'next':
      return label(model, o.state);
    case 'refused':
      return `refused (${o.detail})`;
    case 'diverges':
      return o.cycle.length ? `never ends (goes round ${o.cycle.map((s) => label(model, s)).join(', ')})` : 'never ends (step bound reached)';
    case 'fault': {
      const w = where(o.at);
      return `undefined behaviour at line ${w.line}: ${o.message}`;
    }
    case 'unknown':
      return 'not shown by the patch';
  }
}

function specText(model: Model, o: LookupOutcome): string {
  if (o.kind === 'next') return label(model, o.state);
  if (o.kind === 'refused') return 'refused';
  return `never ends (goes round ${o.cycle.map((s) => label(model, s)).join(', ')})`;
}

/** Whether the kernel's outcome is the lookup's, given as lookupCode() gives it (a state, or a refusal or divergence code). */
function agrees(k: KernelOutcome, code: number): boolean {
  if (k.kind === 'next') return code >= 0 && code === k.state;
  if (k.kind === 'refused') return code < 0 && code !== DIVERGES;
  if (k.kind === 'diverges') return code === DIVERGES;
  return false;
}

/**
 * Runs the function on every input and compares each outcome with the
 * spec's lookup over the spec's table. A mismatch also says whether the same
 * lookup over the kernel's own table answers as the code did: if so the
 * table explains it, if not the code itself differs from the spec's lookup.
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
): EvaluationReport {
  const evaluator = new Evaluator(bound, statics, spec.sink);
  const values = inputValues(Math.max(spec.size, tableSize));
  const nonTerminating: NonTerminating[] = [];
  const mismatches: EvaluationMismatch[] = [];
  let inputs = 0;
  let agreed = 0;
  let undetermined = 0;
  // Indexed loops: this one runs a thousand times before it is optimised, and `for...of` allocates as it goes.
  for (let w = 0; w < words.length; w++) {
    const flags = words[w]!;
    for (let c = 0; c < values.length; c++) {
      const current = values[c]!;
      for (let t = 0; t < values.length; t++) {
        const target = values[t]!;
        inputs++;
        const k = evaluator.run({ current, target, flags });
        if (k.kind === 'unknown') {
          undetermined++;
          continue;
        }
        // The lookup's code, described only for a report: most inputs agree.
        const s = lookupCode(model.lookup.variant, spec, current, target, flags);
        if (k.kind === 'diverges') {
          nonTerminating.push({ current: label(model, current), target: label(model, target), flags: flagNames(model, flags), cycle: k.cycle.map((v) => label(model, v)), expected: s === DIVERGES });
        }
        if (agrees(k, s)) {
          agreed++;
          continue;
        }
        const own = lookupCode(model.lookup.variant, kernel, current, target, flags);
        mismatches.push({
          current: label(model, current),
          target: label(model, target),
          flags: flagNames(model, flags),
          kernel: kernelOutcomeText(model, k, where),
          spec: specText(model, describeOutcome(spec, s, target, current)),
          cause: agrees(k, own) ? 'table' : 'code',
        });
      }
    }
  }
  return {
    performed: true,
    note: null,
    inputs,
    agreed,
    undetermined,
    skippedFlagSets: skipped.map((w) => flagNames(model, w)),
    nonTerminating,
    mismatches,
  };
}
