import type { Condition, Model } from './model.js';
import { flagNames } from './model.js';

/** The model with names in place of values: what `parse --json` prints and generated JSON embeds. */
export function modelToJson(model: Model) {
  const state = (v: number): string => model.states[v]!.name;
  const condition = (c: Condition) => ({ require: flagNames(model, c.require), forbid: flagNames(model, c.forbid) });
  return {
    machine: model.machine,
    names: { c: model.c, ts: model.ts },
    flags: model.flags.map((f) => ({ name: f.name, bit: f.bit, mandatory: f.mandatory })),
    states: model.states.map((s) => ({ name: s.name, value: s.value, sink: s.sink, needs: flagNames(model, s.needs) })),
    order: model.order.map(state),
    arcs: model.arcs.map((a) => ({ from: state(a.from), to: state(a.to), when: condition(a.when) })),
    blocked: model.blocked.map((b) => ({ from: state(b.from), to: state(b.to) })),
    groups: model.groups.map((g) => ({ name: g.name, members: g.members.map(state) })),
    rules: { shortest: true, interior: model.interior.map((r) => ({ group: model.groups[r.group]!.name, mode: r.mode })) },
    lookup: { variant: model.lookup.variant, assuming: flagNames(model, model.lookup.assumes) },
  };
}
