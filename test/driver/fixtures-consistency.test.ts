// Holds test/fixtures/drivers/expected.json to the specs and to the fixture
// texts, so the acceptance data of `vfio-fsm driver` (issue 12) cannot drift:
// every missing/extra list and note is recomputed from the spec's required
// arcs, every line number must point at a line naming that arc's state, and
// every fixture file is covered. It does not run the command (not built yet).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { driverArcs, type DriverArcs } from '../../src/analysis/driver-arcs.js';
import type { Model } from '../../src/model/model.js';
import { bundled } from '../support/compile.js';

const DIR = 'test/fixtures/drivers';

interface Arc {
  readonly from: string;
  readonly to: string;
  readonly line: number;
}
interface FlagSet {
  readonly flags: string[];
  readonly missing: string[];
  readonly extra: string[];
  readonly extraNotes: Record<string, string>;
}
interface Entry {
  readonly files: string[];
  readonly args: string[];
  readonly function: string;
  readonly functionFile: string;
  readonly functionLine: number;
  readonly handled: Arc[];
  readonly flagSets: FlagSet[];
  readonly fallback: 'warn+einval' | 'warn+error' | 'error' | 'none';
  readonly undecided: { line: number }[];
  readonly loop: { file: string; function: string; line: number } | null;
  readonly verdict: 'conform' | 'missing' | 'undecided';
  readonly exit: 0 | 1 | 3;
  readonly spec: string;
}

const raw = JSON.parse(readFileSync(`${DIR}/expected.json`, 'utf8')) as Record<string, unknown>;
const entries = Object.entries(raw).filter(([k]) => !k.startsWith('$')) as [string, Entry][];

const lines = (path: string): string[] => readFileSync(path, 'utf8').split('\n');
const arcText = (from: string, to: string): string => `${from} -> ${to}`;

function cFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? cFiles(`${dir}/${e.name}`) : e.name.endsWith('.c') ? [`${dir}/${e.name}`] : [],
  );
}

/** The spec's view of every flag set: required arcs as text, blocked pairs, flag order. */
function specView(path: string): { model: Model; arcs: DriverArcs; required: Map<string, Set<string>>; blocked: Set<string> } {
  const model = bundled(path);
  const arcs = driverArcs(model);
  const name = (p: readonly [number, number]): string => arcText(model.states[p[0]]!.name, model.states[p[1]]!.name);
  const required = new Map(arcs.flagSets.map((f) => [flagNames(model, f.flags).join(','), new Set(f.implement.map(name))]));
  return { model, arcs, required, blocked: new Set(arcs.blocked.map(name)) };
}

function flagNames(model: Model, word: number): string[] {
  return model.flags.filter((f) => (word & f.bit) !== 0).map((f) => f.name);
}

/** The note rule written in README.md, recomputed from the spec. */
function note(view: ReturnType<typeof specView>, flags: string[], arc: string): string {
  if (view.blocked.has(arc)) return 'blocked (must fail)';
  const under = [...view.required].filter(([, arcs]) => arcs.has(arc)).map(([k]) => k.split(','));
  if (under.length === 0) return 'never asked for';
  const order = view.model.flags.map((f) => f.name);
  const larger = under.filter((g) => g.length > flags.length && flags.every((f) => g.includes(f))).sort((a, b) => a.length - b.length);
  const smallest = larger[0];
  if (smallest) return `reachable only with ${order.filter((f) => smallest.includes(f) && !flags.includes(f)).join(', ')}`;
  return `reachable only without ${order.filter((f) => flags.includes(f) && under.every((g) => !g.includes(f))).join(', ')}`;
}

describe('test/fixtures/drivers/expected.json', () => {
  test('covers every fixture file, and names only files that exist', () => {
    const named = new Set(entries.flatMap(([, e]) => e.files));
    expect([...named].sort()).toEqual(cFiles(DIR).sort());
    expect(entries.length).toBeGreaterThanOrEqual(30);
  });

  test.each(entries)('%s: the function, its arcs and the undecided lines are where the entry says', (_key, e) => {
    expect(e.files).toContain(e.functionFile);
    const src = lines(e.functionFile);
    expect(src[e.functionLine - 1]).toMatch(new RegExp(`\\b${e.function}\\(`));
    const after = (line: number): boolean => line > e.functionLine;
    for (const a of e.handled) {
      expect(after(a.line)).toBe(true);
      // the line holds the comparison or case label of one of the arc's two states
      expect(`${a.from}->${a.to} @${a.line}: ${src[a.line - 1] ?? ''}`).toMatch(
        new RegExp(`VFIO_DEVICE_STATE_(${a.from}|${a.to})\\b`),
      );
    }
    const order = e.handled.map((a) => a.line);
    expect(order).toEqual([...order].sort((x, y) => x - y));
    for (const u of e.undecided) expect(src[u.line - 1]).toMatch(/\bif \(/);
    if (e.loop) {
      expect(e.files).toContain(e.loop.file);
      const loopSrc = lines(e.loop.file);
      expect(loopSrc[e.loop.line - 1]).toMatch(new RegExp(`\\b${e.loop.function}\\(`));
      expect(loopSrc.join('\n')).toContain('vfio_mig_get_next_state(');
    }
  });

  test.each(entries)('%s: missing, extra and their notes follow from the spec', (_key, e) => {
    const view = specView(e.spec);
    const handled = new Set(e.handled.map((a) => arcText(a.from, a.to)));
    for (const fs of e.flagSets) {
      const required = view.required.get(fs.flags.join(','));
      expect(required, `flag set ${fs.flags.join(',')} of ${e.spec}`).toBeDefined();
      expect(fs.missing).toEqual([...required!].filter((a) => !handled.has(a)).sort());
      expect(fs.extra).toEqual([...handled].filter((a) => !required!.has(a)).sort());
      expect(fs.extraNotes).toEqual(Object.fromEntries(fs.extra.map((a) => [a, note(view, fs.flags, a)])));
    }
    const order = view.model.flags.map((f) => f.name);
    const rank = (flags: string[]): string => `${flags.length}:${flags.map((f) => order.indexOf(f)).join(',')}`;
    expect(e.flagSets.map((f) => rank(f.flags))).toEqual(e.flagSets.map((f) => rank(f.flags)).sort());
    for (const fs of e.flagSets) expect(fs.flags).toEqual(order.filter((f) => fs.flags.includes(f)));
  });

  test.each(entries)('%s: verdict and exit follow the rule in README.md', (_key, e) => {
    const verdict = e.undecided.length > 0 ? 'undecided' : e.flagSets.some((f) => f.missing.length > 0) ? 'missing' : 'conform';
    expect(e.verdict).toBe(verdict);
    expect(e.exit).toBe({ conform: 0, missing: 1, undecided: 3 }[verdict]);
  });

  test('the acceptance points of the issue are all present', () => {
    const get = (k: string): Entry => {
      const e = raw[k] as Entry | undefined;
      if (!e) throw new Error(`no entry ${k}`);
      return e;
    };
    // one conformant driver per mainline flag set, and one for 5.18
    const conform = entries.filter(([, e]) => e.verdict === 'conform' && e.flagSets.length === 1 && e.flagSets[0]!.extra.length === 0);
    for (const flags of ['STOP_COPY', 'STOP_COPY,P2P', 'STOP_COPY,PRE_COPY', 'STOP_COPY,P2P,PRE_COPY']) {
      expect(conform.some(([, e]) => e.spec === 'spec/vfio-migration.fsm' && e.flagSets[0]!.flags.join(',') === flags)).toBe(true);
    }
    expect(get('conform-linux-5.18.c').spec).toBe('spec/history/linux-5.18.fsm');
    // a capability-guarded PRE_COPY: two flag sets, PRE_COPY arcs extra under the smaller
    const cap = get('cap-pre-copy.c');
    expect(cap.flagSets.map((f) => f.flags.join(','))).toEqual(['STOP_COPY,P2P', 'STOP_COPY,P2P,PRE_COPY']);
    expect(Object.values(cap.flagSets[0]!.extraNotes)).toEqual(Array(7).fill('reachable only with PRE_COPY'));
    // each mutant reports exactly its mutation
    expect(get('mutant-missing.c').flagSets[0]).toMatchObject({ missing: ['PRE_COPY_P2P -> PRE_COPY'], extra: [] });
    expect(get('mutant-extra.c').flagSets[0]).toMatchObject({ missing: [], extra: ['STOP_COPY -> RUNNING'] });
    expect(get('mutant-swapped.c').flagSets[0]).toMatchObject({ missing: ['STOP -> STOP_COPY'], extra: [] });
    expect(get('mutant-swapped-blocked.c').flagSets[0]).toMatchObject({ missing: ['PRE_COPY_P2P -> STOP_COPY'], extra: ['STOP_COPY -> PRE_COPY_P2P'] });
    expect(get('mutant-pre-copy-flag.c').flagSets[0]!.missing).toHaveLength(7);
    // undecidable conditions: reported with their line, exit 3
    for (const k of ['undecided-call.c', 'undecided-variable.c']) expect(get(k)).toMatchObject({ exit: 3, undecided: [expect.objectContaining({ line: expect.any(Number) })] });
    // all four fallback kinds occur
    expect(new Set(entries.map(([, e]) => e.fallback))).toEqual(new Set(['warn+einval', 'warn+error', 'error', 'none']));
  });
});
