import type { CheckResult } from '../analysis/check.js';
import type { Arc, Model } from '../model/model.js';
import { conditionText } from '../model/model.js';
import type { FlagSetFacts } from './facts.js';
import { andList } from './facts.js';

/**
 * What the DOT and Mermaid emitters draw, decided once: one graph with every
 * arc and its condition, then one graph per flag set that has states, with the
 * states and arcs that exist under it. Both formats draw the same graphs.
 */
export type EdgeStyle =
  /** An arc some selected path takes: a driver implements it. */
  | 'taken'
  /** An arc that exists but that no selected path takes. */
  | 'idle'
  /** A blocked request: drawn as a refusal, not as an arc. */
  | 'blocked';

export interface Edge {
  readonly from: number;
  readonly to: number;
  /** Drawn with arrowheads at both ends: the same arc exists both ways. */
  readonly both: boolean;
  readonly label: string;
  readonly style: EdgeStyle;
}

export interface Graph {
  readonly title: string;
  /** State values, in the spec's order. */
  readonly states: readonly number[];
  readonly edges: readonly Edge[];
  /** Groups drawn as boxes; a state in several groups is drawn in the first. */
  readonly groups: readonly { readonly name: string; readonly members: readonly number[] }[];
}

export function diagramGraphs(model: Model, result: CheckResult, facts: readonly FlagSetFacts[]): Graph[] {
  const unused = new Set(result.warnings.map((w) => w.arc));
  const everything: Graph = {
    title: `${model.machine}: every arc, labelled with the flags it needs`,
    states: model.order,
    edges: edges(model, model.arcs, (a) => (unused.has(a) ? 'idle' : 'taken'), () => true),
    groups: groups(model, () => true),
  };
  // A flag set without the mandatory flag has the sink alone: nothing to draw.
  const perSet = facts.filter((f) => f.report.states > 0).map((f): Graph => {
    const taken = new Set(f.report.requiredArcs.map(([a, b]) => `${a},${b}`));
    const exists = (s: number): boolean => f.view.exists[s] === true;
    const set = f.names.length ? `with ${andList(f.names)}` : 'with no flag';
    const note = f.report.consulted ? '' : ' (the lookup is not consulted)';
    return {
      title: `${model.machine} ${set}${note}`,
      states: model.order.filter(exists),
      edges: edges(model, f.view.arcs, (a) => (taken.has(`${a.from},${a.to}`) ? 'taken' : 'idle'), exists),
      groups: groups(model, exists),
    };
  });
  return [everything, ...perSet];
}

/** Arcs as edges, pairs with the same label and style merged into one two-headed edge; blocked pairs last. */
function edges(model: Model, arcs: readonly Arc[], style: (a: Arc) => EdgeStyle, exists: (s: number) => boolean): Edge[] {
  const out: Edge[] = [];
  const merged = new Set<number>();
  arcs.forEach((a, i) => {
    if (merged.has(i)) return;
    const label = conditionText(model, a.when);
    const s = style(a);
    const back = arcs.findIndex((b, j) => j > i && !merged.has(j) && b.from === a.to && b.to === a.from && conditionText(model, b.when) === label && style(b) === s);
    if (back >= 0) merged.add(back);
    out.push({ from: a.from, to: a.to, both: back >= 0, label, style: s });
  });
  for (const b of model.blocked) {
    if (exists(b.from) && exists(b.to)) out.push({ from: b.from, to: b.to, both: false, label: 'blocked', style: 'blocked' });
  }
  return out;
}

function groups(model: Model, exists: (s: number) => boolean): Graph['groups'] {
  const placed = new Set<number>();
  return model.groups
    .map((g) => {
      const members = g.members.filter((m) => exists(m) && !placed.has(m));
      for (const m of members) placed.add(m);
      return { name: g.name, members };
    })
    .filter((g) => g.members.length > 0);
}
