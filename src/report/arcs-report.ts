import type { DriverArcs, Pair } from '../analysis/driver-arcs.js';
import type { Painter } from '../diagnostics/format.js';
import { plain } from '../diagnostics/format.js';
import type { Model } from '../model/model.js';
import { flagNames } from '../model/model.js';
import { cubesPhrase } from './flag-phrase.js';
import { flagWordSet } from '../model/spelling.js';

const pairText = (model: Model, p: Pair): string => `${model.states[p[0]]!.name} -> ${model.states[p[1]]!.name}`;
const pairJson = (model: Model, p: Pair): [string, string] => [model.states[p[0]]!.name, model.states[p[1]]!.name];

/**
 * The kernel comment's layout: a heading per condition, one arc a line. With
 * one flag set, its own lists follow: what it implements, and what it must
 * never be asked to take.
 */
export function arcsText(model: Model, d: DriverArcs, single: boolean, notes: readonly string[], paint: Painter = plain): string {
  const lines: string[] = [];
  const device = single && d.flagSets[0] ? `a driver with ${flagWordSet(model, d.flagSets[0].flags)}` : 'a driver';
  lines.push(paint.bold(`${model.file}: arcs ${device} must implement (lookup ${model.lookup.variant})`));
  for (const n of notes) lines.push(`${paint.yellow('note')}: ${n}`);
  if (d.checkFails) lines.push(`${paint.yellow('warning')}: the spec fails \`vfio-fsm check\`; requests without a unique path add no arcs here`);
  lines.push('');
  for (const g of d.groups) {
    lines.push(`${cubesPhrase(model, g.cubes)}:`);
    for (const p of g.arcs) lines.push(`    ${pairText(model, p)}`);
  }
  const blocked = single ? (d.flagSets[0]?.blocked ?? []) : d.blocked;
  if (blocked.length) {
    lines.push('blocked (must fail):');
    for (const p of blocked) lines.push(`    ${pairText(model, p)}`);
  }
  lines.push('');
  if (single) {
    const f = d.flagSets[0];
    if (!f) return lines.join('\n');
    lines.push(`must implement: ${f.implement.length} arcs`);
    lines.push(`must never be asked to take: ${f.blocked.length ? `the blocked requests above, and ` : ''}${f.otherArcs.length ? 'these arcs of other flag sets between states it has:' : 'no arc of another flag set (none joins two states it has)'}`);
    for (const p of f.otherArcs) lines.push(`    ${pairText(model, p)}`);
    return lines.join('\n');
  }
  lines.push(paint.bold('per flag set:'));
  // Once per group, not once per flag set and group.
  const phrases = d.groups.map((g) => cubesPhrase(model, g.cubes));
  const width = d.flagSets.reduce((w, f) => Math.max(w, flagWordSet(model, f.flags).length), 0);
  for (const f of d.flagSets) {
    const head = `  ${flagWordSet(model, f.flags).padEnd(width)}  `;
    if (!f.consulted) {
      lines.push(`${head}not consulted: the caller requires ${flagWordSet(model, model.lookup.assumes)}`);
      continue;
    }
    const mine = new Set(f.implement.map((p) => `${p[0]}/${p[1]}`));
    const heads = d.groups.flatMap((g, i) => (g.arcs.some((p) => mine.has(`${p[0]}/${p[1]}`)) ? [phrases[i]!] : []));
    const never = f.otherArcs.map((p) => pairText(model, p));
    lines.push(`${head}${f.implement.length} arcs (${heads.join('; ')})${never.length ? `; never asked for ${never.join(', ')}` : ''}${f.blocked.length ? `; ${f.blocked.length} blocked` : ''}`);
  }
  return lines.join('\n');
}

/** The stable `arcs --json` shape documented in the README. */
export function arcsJson(model: Model, d: DriverArcs, notes: readonly string[]) {
  return {
    spec: model.file,
    lookup: model.lookup.variant,
    notes,
    checkFails: d.checkFails,
    groups: d.groups.map((g) => ({
      condition: cubesPhrase(model, g.cubes),
      when: g.cubes.map((c) => ({ require: flagNames(model, c.require), forbid: flagNames(model, c.forbid) })),
      arcs: g.arcs.map((p) => pairJson(model, p)),
    })),
    blocked: d.blocked.map((p) => pairJson(model, p)),
    flagSets: d.flagSets.map((f) => ({
      flags: flagNames(model, f.flags),
      consulted: f.consulted,
      implement: f.implement.map((p) => pairJson(model, p)),
      blocked: f.blocked.map((p) => pairJson(model, p)),
      otherArcs: f.otherArcs.map((p) => pairJson(model, p)),
    })),
  };
}
