// The pipeline runs one way: text -> syntax tree -> validated model ->
// analyses -> emitters and reports, with I/O only at the CLI edge. This test
// holds every import of src/ to that direction, so the rule holds without
// anyone remembering it: a new import against it fails here with its file.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve('src');

/**
 * Each room and the rooms it may import. The kernel reader's rooms are told
 * apart: the C language and the reviewer's inputs know nothing of the spec;
 * only bind/, checks/ and the entry point meet the model and the analyses.
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  common: [],
  diagnostics: ['common'],
  syntax: ['common', 'diagnostics'],
  model: ['common', 'diagnostics', 'syntax'],
  analysis: ['common', 'diagnostics', 'model'],
  'kernel/c': ['common', 'diagnostics'],
  'kernel/source': ['common', 'diagnostics', 'kernel/c'],
  'kernel/bind': ['common', 'diagnostics', 'kernel/c', 'model', 'analysis'],
  'kernel/evaluate': ['common', 'kernel/c', 'kernel/bind'],
  'kernel/checks': ['common', 'diagnostics', 'kernel/c', 'kernel/source', 'kernel/bind', 'kernel/evaluate', 'model', 'analysis'],
  // The driver reader (vfio-fsm driver): C functions of a driver, read against the spec's required arcs.
  'kernel/driver': ['common', 'diagnostics', 'kernel/c', 'kernel/bind', 'model', 'analysis'],
  kernel: ['common', 'diagnostics', 'kernel/c', 'kernel/source', 'kernel/bind', 'kernel/evaluate', 'kernel/checks', 'kernel/driver', 'model', 'analysis'],
  oracle: ['common', 'diagnostics', 'model', 'analysis', 'emit'],
  emit: ['common', 'diagnostics', 'model', 'analysis'],
  report: ['common', 'diagnostics', 'model', 'analysis', 'kernel', 'kernel/checks', 'kernel/driver', 'oracle'],
  // A kernel tree's history: the sweep over commits, reading each version's function (kernel/c) and judging it (kernel).
  history: ['common', 'diagnostics', 'model', 'analysis', 'kernel', 'kernel/c', 'kernel/checks'],
  // The library's file-system edge: reading specs from files and the bundled specs from the package.
  node: ['common', 'diagnostics', 'model'],
  cli: ['common', 'diagnostics', 'syntax', 'model', 'analysis', 'kernel', 'kernel/checks', 'kernel/driver', 'oracle', 'emit', 'report', 'history', 'node'],
  // The library's public entry (src/index.ts): everything pure, never the I/O rooms.
  'index.ts': ['common', 'diagnostics', 'syntax', 'model', 'analysis', 'kernel', 'kernel/checks', 'kernel/driver', 'oracle', 'emit', 'report', 'history'],
};

/** The rooms that may do I/O: the CLI, and the library's Node entry (src/node/index.ts, `vfio-fsm/node`). */
const IO_ROOMS: readonly string[] = ['cli', 'node'];

/** Node's own modules may be used only in the I/O rooms, and for pure helpers (URLs, paths) where named. */
const NODE_ALLOWED_OUTSIDE_CLI: Readonly<Record<string, readonly string[]>> = {
  // The grammar loader reads the .ohm recipe shipped beside it; the build step writes them.
  'common/grammar-loader.ts': ['node:fs', 'node:module'],
  'common/compile-grammars.ts': ['node:fs', 'node:path', 'node:url'],
};

interface Import {
  readonly from: string;
  readonly to: string;
}

function sourceFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));
}

function roomOf(file: string): string {
  const parts = relative(SRC, file).split('/');
  return parts[0] === 'kernel' && parts.length > 2 ? `kernel/${parts[1]}` : parts[0]!;
}

const files = sourceFiles(SRC);
const imports: Import[] = [];
const nodeImports: Import[] = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const spec = m[1] ?? m[2]!;
    if (spec.startsWith('.')) imports.push({ from: file, to: resolve(dirname(file), spec).replace(/\.js$/, '.ts') });
    else if (spec.startsWith('node:')) nodeImports.push({ from: file, to: spec });
  }
}

/** A cycle in a directed graph, as the list of its nodes, or null. */
function findCycle(edges: ReadonlyMap<string, ReadonlySet<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (n: string): string[] | null => {
    if (state.get(n) === 'done') return null;
    if (state.get(n) === 'open') return [...path.slice(path.indexOf(n)), n];
    state.set(n, 'open');
    path.push(n);
    for (const m of edges.get(n) ?? []) {
      const found = visit(m);
      if (found) return found;
    }
    path.pop();
    state.set(n, 'done');
    return null;
  };
  for (const n of edges.keys()) {
    const found = visit(n);
    if (found) return found;
  }
  return null;
}

function graph(pairs: readonly (readonly [string, string])[]): Map<string, Set<string>> {
  const g = new Map<string, Set<string>>();
  for (const [a, b] of pairs) {
    if (a === b) continue;
    if (!g.has(a)) g.set(a, new Set());
    g.get(a)!.add(b);
  }
  return g;
}

describe('imports flow one way', () => {
  it('finds the source files and their imports', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(imports.length).toBeGreaterThan(200);
  });

  it('every room is listed', () => {
    const rooms = [...new Set(files.map(roomOf))].sort();
    expect(rooms.filter((r) => !(r in ALLOWED))).toEqual([]);
  });

  it('no import goes against the allowed direction', () => {
    const wrong = imports
      .map((i) => ({ ...i, a: roomOf(i.from), b: roomOf(i.to) }))
      .filter((i) => i.a !== i.b && !(ALLOWED[i.a] ?? []).includes(i.b))
      .map((i) => `${relative(SRC, i.from)} imports ${relative(SRC, i.to)} (${i.a} -> ${i.b})`);
    expect(wrong).toEqual([]);
  });

  it('no file outside the I/O rooms uses node: modules, but for the grammar loader and build step', () => {
    const wrong = nodeImports
      .filter((i) => !IO_ROOMS.includes(roomOf(i.from)) && !(NODE_ALLOWED_OUTSIDE_CLI[relative(SRC, i.from)] ?? []).includes(i.to))
      .map((i) => `${relative(SRC, i.from)} imports ${i.to}`);
    expect(wrong).toEqual([]);
  });

  it('no file outside the I/O rooms touches the process: no exit, no console, no environment, no working directory', () => {
    const wrong = files
      .filter((f) => !IO_ROOMS.includes(roomOf(f)))
      .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\b(?:process|console)\.\w+/g)].map((m) => `${relative(SRC, f)}: ${m[0]}`));
    expect(wrong).toEqual([]);
  });

  it('no file cycle', () => {
    expect(findCycle(graph(imports.map((i) => [relative(SRC, i.from), relative(SRC, i.to)] as const)))).toBeNull();
  });

  it('no room cycle', () => {
    expect(findCycle(graph(imports.map((i) => [roomOf(i.from), roomOf(i.to)] as const)))).toBeNull();
  });

  it('the library entry imports no I/O room, and no room imports the entry', () => {
    expect(IO_ROOMS.filter((r) => ALLOWED['index.ts']!.includes(r))).toEqual([]);
    expect(Object.entries(ALLOWED).filter(([, to]) => to.includes('index.ts'))).toEqual([]);
  });

  it('the checker itself finds a cycle and a wrong edge when there is one', () => {
    expect(findCycle(graph([['a', 'b'], ['b', 'c'], ['c', 'a']]))).toEqual(['a', 'b', 'c', 'a']);
    expect(ALLOWED['kernel/c']).not.toContain('model');
  });
});
