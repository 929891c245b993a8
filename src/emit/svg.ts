import type { Graphviz } from '@hpcc-js/wasm-graphviz';
import { headerText } from './header.js';

/** One Graphviz instance per process: compiling the wasm is the slow part. */
let loaded: Promise<Graphviz> | undefined;

/**
 * Renders DOT to SVG in-process with Graphviz compiled to WebAssembly: the
 * module carries its own wasm, so nothing is downloaded and no system binary
 * is needed. Loaded on first use only, so commands that draw nothing never
 * pay for it. The output has no timestamp, so it is as deterministic as the
 * pinned Graphviz version.
 */
export async function renderSvg(dot: string, spec: string): Promise<string> {
  const graphviz = await (loaded ??= import('@hpcc-js/wasm-graphviz').then(({ Graphviz }) => Graphviz.load()));
  const svg = graphviz.dot(dot, 'svg');
  // The header goes right after the XML declaration, which must stay first.
  const header = `<!-- ${headerText(spec)} -->`;
  const end = svg.startsWith('<?xml') ? svg.indexOf('\n') + 1 : 0;
  const out = `${svg.slice(0, end)}${header}\n${svg.slice(end)}`;
  return out.endsWith('\n') ? out : `${out}\n`;
}
