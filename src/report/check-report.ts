import type { CheckResult, Violation, Warning } from '../analysis/check.js';
import type { Painter } from '../diagnostics/format.js';
import { plain } from '../diagnostics/format.js';
import type { Model } from '../model/model.js';
import { flagNames } from '../model/model.js';
import { flagWordSet, pathText, stateName } from '../model/spelling.js';


/** The stable `check --json` shape documented in the README. */
export function checkJson(model: Model, result: CheckResult) {
  const names = (path: readonly number[]): string[] => path.map((v) => stateName(model, v));
  return {
    ok: result.ok,
    spec: model.file,
    flagSets: result.flagSets.map((f) => ({
      flags: flagNames(model, f.flags),
      consulted: f.consulted,
      states: f.states,
      requests: f.requests,
      multiStep: f.multiStep,
      violations: f.violations,
      requiredArcs: f.requiredArcs.map(([a, b]) => [stateName(model, a), stateName(model, b)]),
    })),
    violations: result.violations.map((v: Violation) => ({
      property: v.property,
      flags: flagNames(model, v.flags),
      current: stateName(model, v.current),
      target: stateName(model, v.target),
      paths: v.paths.map(names),
      walk: names(v.walk),
      message: v.message,
    })),
    warnings: result.warnings.map((w: Warning) => ({ kind: w.kind, from: stateName(model, w.arc.from), to: stateName(model, w.arc.to), message: w.message })),
  };
}

function verdict(model: Model, f: CheckResult['flagSets'][number]): string {
  if (f.violations > 0) return `${f.violations} violation${f.violations > 1 ? 's' : ''}`;
  if (!f.consulted) return `not consulted: the caller requires ${flagWordSet(model, model.lookup.assumes)}`;
  if (f.states === 0) return `no migration: every request refused`;
  return 'ok';
}

/** The text report: one row per flag set, then every violation with its counterexample. */
export function checkText(model: Model, result: CheckResult, paint: Painter = plain): string {
  const lines: string[] = [];
  lines.push(
    paint.bold(`${model.file}: ${model.machine}, ${model.states.length} states, ${model.flags.length} flags, ${model.arcs.length} arcs, lookup ${model.lookup.variant}`),
  );
  const rows = result.flagSets.map((f) => [flagWordSet(model, f.flags), String(f.states), String(f.requests), String(f.multiStep), verdict(model, f)]);
  const header = ['flags', 'states', 'requests', 'multi-step', 'verdict'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]): string => `  ${r.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`.trimEnd();
  lines.push(paint.dim(fmt(header)));
  for (const r of rows) lines.push(fmt(r));
  for (const v of result.violations) {
    lines.push('');
    lines.push(`${paint.red('✗')} ${paint.bold(v.property)} under ${flagWordSet(model, v.flags)}: ${stateName(model, v.current)} -> ${stateName(model, v.target)}`);
    for (const p of v.paths) lines.push(`    path: ${pathText(model, p)}`);
    if (v.walk.length) lines.push(`    ${v.property === 'termination' ? 'loop' : 'walk'}: ${pathText(model, v.walk)}${v.property === 'termination' ? ` -> ${stateName(model, v.walk[0]!)} ...` : ''}`);
    lines.push(`    ${v.message}`);
  }
  for (const w of result.warnings) lines.push(`${paint.yellow('warning')}: ${w.message}`);
  const total = result.flagSets.reduce((n, f) => n + f.requests, 0);
  lines.push('');
  lines.push(
    result.ok
      ? `${paint.bold('ok')}: every property holds for ${result.flagSets.length} flag sets (${total} requests)`
      : `${paint.red('FAIL')}: ${result.violations.length} violation${result.violations.length > 1 ? 's' : ''} of ${[...new Set(result.violations.map((v) => v.property))].join(', ')}`,
  );
  return lines.join('\n');
}
