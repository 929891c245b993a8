import type { CheckResult } from '../analysis/check.js';
import type { Model } from '../model/model.js';
import { emitC } from './c-file.js';
import { EmitError } from './emit-error.js';
import { diagramGraphs } from './diagram.js';
import { dotGraph, emitDot } from './dot.js';
import { flagSetFacts } from './facts.js';
import { emitJson } from './json.js';
import type { OutputKind } from './layout.js';
import { FAILING_SPEC_KINDS, outputPath } from './layout.js';
import { emitMermaid } from './mermaid.js';
import { emitPromela } from './promela.js';
import { renderSvg } from './svg.js';
import { emitTsModule } from './ts-module.js';

export interface GeneratedFile {
  readonly kind: OutputKind;
  /** Relative to the output directory, with forward slashes. */
  readonly path: string;
  readonly text: string;
}

/**
 * Everything `vfio-fsm gen` writes for one checked spec, in memory. The
 * model's file name is the spec path the headers record and the output paths
 * derive from. Pure apart from loading the TypeScript printer and Graphviz.
 * A spec that fails the check gets its Promela model only (FAILING_SPEC_KINDS).
 */
export async function generateOutputs(model: Model, result: CheckResult): Promise<GeneratedFile[]> {
  const facts = flagSetFacts(model, result);
  if (!result.ok) return FAILING_SPEC_KINDS.map((kind) => ({ kind, path: outputPath(model.file, kind), text: emitPromela(model, result, facts) }));
  const graphs = diagramGraphs(model, result, facts);
  const dot = emitDot(model, graphs);
  const [ts, svg] = await Promise.all([emitTsModule(model, result), renderSvg(dotGraph(model, graphs[0]!, model.machine), model.file)]);
  const texts: Record<OutputKind, string> = {
    ts,
    c: emitC(model, result, facts),
    json: emitJson(model, result, facts),
    dot,
    mmd: emitMermaid(model, graphs),
    svg,
    pml: emitPromela(model, result, facts),
  };
  return (Object.keys(texts) as OutputKind[]).map((kind) => ({ kind, path: outputPath(model.file, kind), text: texts[kind] }));
}

/**
 * One of the files `generateOutputs` makes, alone: only what that kind needs
 * is computed. A spec that fails the check has its Promela model only; asking
 * for another kind is an EmitError.
 */
export async function generateOutput(model: Model, result: CheckResult, kind: OutputKind): Promise<string> {
  if (!result.ok && !FAILING_SPEC_KINDS.includes(kind)) {
    throw new EmitError(`${model.file} does not pass the check, so only its Promela model is generated, not its ${kind}`);
  }
  const facts = flagSetFacts(model, result);
  const graphs = (): ReturnType<typeof diagramGraphs> => diagramGraphs(model, result, facts);
  switch (kind) {
    case 'ts':
      return emitTsModule(model, result);
    case 'c':
      return emitC(model, result, facts);
    case 'json':
      return emitJson(model, result, facts);
    case 'dot':
      return emitDot(model, graphs());
    case 'mmd':
      return emitMermaid(model, graphs());
    case 'svg':
      return renderSvg(dotGraph(model, graphs()[0]!, model.machine), model.file);
    case 'pml':
      return emitPromela(model, result, facts);
  }
}
