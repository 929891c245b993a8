import type { Model } from '../model/model.js';
import type { Graph } from './diagram.js';
import { stateName } from '../model/spelling.js';
import { headerText } from './header.js';

/**
 * A Mermaid flowchart holding the same graphs as the DOT file, each as a
 * subgraph (a Mermaid file holds one diagram). Node ids carry the graph's
 * number, since one state appears in several subgraphs.
 */
export function emitMermaid(model: Model, graphs: readonly Graph[]): string {
  const lines = [`%% ${headerText(model.file)}`, '%% The first subgraph has every arc with its condition; then one subgraph per flag set with states.', 'flowchart TB'];
  const sinks: string[] = [];
  graphs.forEach((g, i) => {
    const id = (v: number): string => `g${i}_${stateName(model, v)}`;
    lines.push(`  subgraph g${i}["${g.title}"]`, '    direction LR');
    const grouped = new Set(g.groups.flatMap((x) => x.members));
    const node = (v: number, indent: string): string => {
      if (v === model.sink) {
        sinks.push(id(v));
        return `${indent}${id(v)}[["${stateName(model, v)} (sink)"]]`;
      }
      return `${indent}${id(v)}("${stateName(model, v)}")`;
    };
    g.groups.forEach((group, k) => {
      lines.push(`    subgraph g${i}_group${k}["group ${group.name}"]`);
      for (const m of group.members) lines.push(node(m, '      '));
      lines.push('    end');
    });
    for (const s of g.states) if (!grouped.has(s)) lines.push(node(s, '    '));
    for (const e of g.edges) {
      const label = e.label ? `|"${e.label}"|` : '';
      const arrow = e.style === 'blocked' ? '--x' : e.style === 'idle' ? '-.->' : e.both ? '<-->' : '-->';
      lines.push(`    ${id(e.from)} ${arrow}${label} ${id(e.to)}`);
      // Mermaid has no two-headed dotted arrow in every version: draw the way back as its own link.
      if (e.both && e.style === 'idle') lines.push(`    ${id(e.to)} ${arrow}${label} ${id(e.from)}`);
    }
    lines.push('  end');
  });
  lines.push('  classDef sink fill:#f4cccc,stroke:#990000,color:#990000');
  if (sinks.length) lines.push(`  class ${sinks.join(',')} sink`);
  lines.push('');
  return lines.join('\n');
}
