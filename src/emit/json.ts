import type { CheckResult } from '../analysis/check.js';
import { cell } from '../analysis/kernel-table.js';
import type { Selection } from '../analysis/paths.js';
import { modelToJson } from '../model/model-json.js';
import type { Model } from '../model/model.js';
import type { FlagSetFacts } from './facts.js';
import { stateName } from '../model/spelling.js';
import { headerText } from './header.js';
import type { Json } from './json-format.js';
import { formatJson } from './json-format.js';

/**
 * The model for consumers in other languages: everything `parse --json`
 * prints, plus the derived table and, for every flag set, the path the spec
 * selects for every request. The README documents the shape.
 */
export function emitJson(model: Model, result: CheckResult, facts: readonly FlagSetFacts[]): string {
  const name = (v: number): string => stateName(model, v);
  const n = model.states.length;
  const table: Record<string, Record<string, string>> = {};
  for (const row of model.order) {
    const cells: Record<string, string> = {};
    for (const col of model.order) cells[name(col)] = name(cell(result.table, row, col));
    table[name(row)] = cells;
  }
  const flagSets = facts.map((f) => {
    const requests: Json[] = [];
    for (const cur of model.order) {
      for (const target of model.order) {
        if (cur !== target) requests.push({ from: name(cur), to: name(target), ...selectionJson(f.selections[cur * n + target]!, name) });
      }
    }
    return {
      flags: [...f.names],
      word: f.flags,
      consulted: f.report.consulted,
      states: model.order.filter((s) => f.view.exists[s] && s !== model.sink).map(name),
      requiredArcs: f.report.requiredArcs.map(([a, b]) => [name(a), name(b)]),
      requests,
    };
  });
  const value = { $comment: headerText(model.file), spec: model.file, ...modelToJson(model), table, flagSets };
  return formatJson(value);
}

function selectionJson(sel: Selection, name: (v: number) => string): { [key: string]: Json } {
  switch (sel.kind) {
    case 'path':
      return { path: sel.path.map(name) };
    case 'refused':
      return { refused: sel.reason };
    case 'unreachable':
      return { unreachable: true };
    case 'ambiguous':
      return { ambiguous: sel.paths.map((p) => p.map(name)) };
  }
}
