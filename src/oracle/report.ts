import type { Violation } from '../analysis/check.js';
import type { Painter } from '../diagnostics/format.js';
import { plain } from '../diagnostics/format.js';
import type { Model } from '../model/model.js';
import { flagNames } from '../model/model.js';
import type { Comparison, Match } from './compare.js';
import type { SpinFinding } from './trail.js';

/** How SPIN's search went, for the report. */
export interface SpinStats {
  readonly states: number;
  readonly depth: number;
  readonly errors: number;
  readonly seconds: number;
}

const stateName = (model: Model, v: number): string => model.states[v]?.name ?? `value ${v}`;

function flagsLabel(model: Model, flags: number): string {
  return `{${flagNames(model, flags).join(',')}}`;
}

type Side = Pick<SpinFinding, 'property' | 'flags' | 'widened' | 'current' | 'target'>;

function title(model: Model, s: Side): string {
  const widened = s.widened ? ` with undeclared bits 0x${s.widened.toString(16)}` : '';
  return `${s.property} under ${flagsLabel(model, s.flags)}${widened}: ${stateName(model, s.current)} -> ${stateName(model, s.target)}`;
}

function walkText(model: Model, property: string, walk: readonly number[]): string {
  if (!walk.length) return '';
  const names = walk.map((s) => stateName(model, s));
  return property === 'termination' ? `loop ${[...names, names[0]!].join(' -> ')} ...` : `walk ${names.join(' -> ')}`;
}

function checkerSide(model: Model, v: Violation): string {
  const walk = walkText(model, v.property, v.walk);
  return `checker: ${walk ? `${walk}; ` : ''}${v.message}`;
}

function spinSide(model: Model, f: SpinFinding): string {
  const walk = walkText(model, f.property, f.walk);
  return `SPIN: trail ${f.trail}, assertion at model line ${f.line} (${f.stands})${walk ? `; ${walk}` : ''}`;
}

/** The oracle's text report for one spec, after the checker's own. */
export function oracleText(model: Model, c: Comparison, stats: SpinStats, paint: Painter = plain): string {
  const lines: string[] = [];
  const search = `SPIN searched ${stats.states} states to depth ${stats.depth} in ${stats.seconds.toFixed(2)} s, ${stats.errors} assertion${stats.errors === 1 ? '' : 's'} failed`;
  if (c.agree) {
    lines.push(
      `${paint.bold('oracle spin')}: SPIN agrees with the checker on ${model.file}: ${c.both.length ? `the same ${c.both.length} violation${c.both.length === 1 ? '' : 's'}` : 'no violation'} (${search})`,
    );
    for (const m of c.both) lines.push(`  = ${title(model, m.checker)}${m.spin.walk.length ? `, ${walkText(model, m.spin.property, m.spin.walk)}` : ''} (trail ${m.spin.trail})`);
    return lines.join('\n');
  }
  lines.push(
    `${paint.red('oracle spin')}: SPIN DISAGREES with the checker on ${model.file}: ${c.both.length} found by both, ${c.onlyChecker.length} only by the checker, ${c.onlySpin.length} only by SPIN, ${c.walkDiffers.length} with another counterexample (${search})`,
  );
  for (const v of c.onlyChecker) {
    lines.push(`  ${paint.red('only the checker')}: ${title(model, v)}`, `      ${checkerSide(model, v)}`, '      SPIN: no assertion failed for this request');
  }
  for (const f of c.onlySpin) {
    lines.push(`  ${paint.red('only SPIN')}: ${title(model, f)}`, `      ${spinSide(model, f)}`, '      checker: no violation for this request');
  }
  for (const m of c.walkDiffers) lines.push(`  ${paint.red('another counterexample')}: ${title(model, m.checker)}`, `      ${checkerSide(model, m.checker)}`, `      ${spinSide(model, m.spin)}`);
  for (const m of c.both) lines.push(`  = ${title(model, m.checker)} (trail ${m.spin.trail})`);
  return lines.join('\n');
}

function findingJson(model: Model, f: SpinFinding) {
  return {
    property: f.property,
    flags: flagNames(model, f.flags),
    ...(f.widened ? { widened: f.widened } : {}),
    current: stateName(model, f.current),
    target: stateName(model, f.target),
    walk: f.walk.map((s) => stateName(model, s)),
    trail: f.trail,
    line: f.line,
    stands: f.stands,
  };
}

function matchJson(model: Model, m: Match) {
  return { spin: findingJson(model, m.spin), checkerWalk: m.checker.walk.map((s) => stateName(model, s)) };
}

/** The `oracle` member of `check --json` for one spec. */
export function oracleJson(model: Model, c: Comparison, stats: SpinStats) {
  return {
    name: 'spin',
    agree: c.agree,
    search: stats,
    both: c.both.map((m) => findingJson(model, m.spin)),
    onlyChecker: c.onlyChecker.map((v) => ({ property: v.property, flags: flagNames(model, v.flags), current: stateName(model, v.current), target: stateName(model, v.target), message: v.message })),
    onlySpin: c.onlySpin.map((f) => findingJson(model, f)),
    walkDiffers: c.walkDiffers.map((m) => matchJson(model, m)),
  };
}
