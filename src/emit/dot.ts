import type { Model } from '../model/model.js';
import type { Edge, Graph } from './diagram.js';
import { stateName } from '../model/spelling.js';
import { headerText } from './header.js';

const SINK = 'shape=doubleoctagon, style=filled, fillcolor="#f4cccc", color="#990000"';
const GROUP = 'style="rounded,dashed", color="#3465a4", fontcolor="#3465a4"';
const EDGE: Record<Edge['style'], string> = {
  taken: '',
  idle: 'style=dashed, color="#888888", fontcolor="#888888"',
  blocked: 'style=dotted, color="#cc0000", fontcolor="#cc0000", arrowhead=tee',
};

/** One DOT graph: states as rounded boxes, the sink as a red double octagon, groups as dashed clusters. */
export function dotGraph(model: Model, graph: Graph, id: string): string {
  const q = (s: string): string => JSON.stringify(s);
  const node = (v: number): string => q(stateName(model, v));
  const lines = [
    `digraph ${q(id)} {`,
    `  graph [label=${q(graph.title)}, labelloc=t, fontname="Helvetica", rankdir=LR];`,
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  const declare = (s: number, indent: string): string => (s === model.sink ? `${indent}${node(s)} [label=${q(`${stateName(model, s)}\nsink`)}, ${SINK}];` : `${indent}${node(s)};`);
  graph.groups.forEach((g, i) => {
    lines.push(`  subgraph ${q(`cluster_${i}`)} {`, `    graph [label=${q(`group ${g.name}`)}, ${GROUP}];`);
    for (const m of g.members) lines.push(declare(m, '    '));
    lines.push('  }');
  });
  const grouped = new Set(graph.groups.flatMap((g) => g.members));
  for (const s of graph.states) if (!grouped.has(s)) lines.push(declare(s, '  '));
  for (const e of graph.edges) {
    const attrs = [e.both ? 'dir=both' : '', e.label ? `label=${q(e.label)}` : '', EDGE[e.style]].filter(Boolean);
    lines.push(`  ${node(e.from)} -> ${node(e.to)}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  lines.push('}');
  return lines.join('\n');
}

/**
 * The DOT file: the graph of every arc first (the one the SVG shows), then
 * one graph per flag set that has states, smallest first. `dot -Tsvg` renders
 * the first; tools that read every graph (e.g. `gvpack`) see them all.
 */
export function emitDot(model: Model, graphs: readonly Graph[]): string {
  const body = graphs.map((g, i) => dotGraph(model, g, i === 0 ? model.machine : `${model.machine}_${i}`));
  return [`// ${headerText(model.file)}`, '// The first graph has every arc with its condition; then one graph per flag set with states.', ...body, ''].join('\n');
}
