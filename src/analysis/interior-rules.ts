import type { Model } from '../model/model.js';

/**
 * The first interior rule that forbids `state` inside a path from `current`
 * to `target`, as an index into model.interior; undefined when every rule
 * allows it. Mirrors PathSelector.interiorAllowed, but names the rule so an
 * explanation can say which one a candidate path breaks.
 */
export function brokenRule(model: Model, state: number, current: number, target: number): number | undefined {
  for (let i = 0; i < model.interior.length; i++) {
    const rule = model.interior[i]!;
    const members = model.groups[rule.group]!.members;
    if (!members.includes(state)) continue;
    if (rule.mode === 'never') return i;
    if (!members.includes(current) || !members.includes(target)) return i;
  }
  return undefined;
}
