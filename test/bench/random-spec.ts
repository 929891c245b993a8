/**
 * Seeded random FSM specs for benchmarks: N states, F flags, built the way
 * the VFIO FSM grew. The always-present states form a random tree of two-way
 * arcs; each optional state is spliced into an existing edge the way
 * RUNNING_P2P was put between RUNNING and STOP (A <-> O <-> B when its flag is
 * set, A <-> B when it is not). Such specs are sound by construction, so the
 * benchmark measures the checker proving properties, not printing violations.
 */
export function randomSpec(states: number, flags: number, seed: number): string {
  const rand = mulberry32(seed);
  const int = (n: number): number => Math.floor(rand() * n);
  const flagNames = Array.from({ length: flags }, (_, i) => `F${i}`);
  const name = (s: number): string => (s === 0 ? 'ERR' : `S${s}`);
  const baseCount = Math.max(2, Math.ceil((states - 1) / 3));
  const needs: string[][] = [[]];
  interface Edge {
    a: number;
    b: number;
    require: string[];
    forbid: string[];
  }
  let edges: Edge[] = [];
  for (let s = 1; s <= baseCount; s++) {
    needs.push([flagNames[0]!]);
    if (s > 1) edges.push({ a: 1 + int(s - 1), b: s, require: [], forbid: [] });
  }
  for (let s = baseCount + 1; s < states; s++) {
    // Only edges that exist exactly when both ends do can take a new state:
    // a state cannot need a flag to be absent.
    const splittable = edges.filter((e) => e.forbid.length === 0);
    const edge = splittable[int(splittable.length)]!;
    const inherited = new Set([...needs[edge.a]!, ...needs[edge.b]!, ...edge.require]);
    const free = flagNames.slice(1).filter((f) => !inherited.has(f));
    if (free.length === 0) {
      needs.push([flagNames[0]!]);
      edges.push({ a: 1 + int(baseCount), b: s, require: [], forbid: [] });
      continue;
    }
    const flag = free[int(free.length)]!;
    // The new state needs all its neighbours need, so it never outlives them.
    needs.push([...new Set([...inherited, flag])]);
    edges = edges.filter((e) => e !== edge);
    edges.push({ a: edge.a, b: s, require: [...edge.require], forbid: [] });
    edges.push({ a: s, b: edge.b, require: [...edge.require], forbid: [] });
    edges.push({ a: edge.a, b: edge.b, require: [...edge.require], forbid: [flag] });
  }
  const guard = (e: Edge): string => {
    const lits = [...e.require.map((f) => f), ...e.forbid.map((f) => `not ${f}`)];
    return lits.length ? ` when ${lits.join(' and ')}` : '';
  };
  const arcs = edges.map((e) => `${name(e.a)} <-> ${name(e.b)}${guard(e)}`);
  const degree = new Map<number, number>();
  for (const e of edges) for (const s of [e.a, e.b]) degree.set(s, (degree.get(s) ?? 0) + 1);
  const leafStates = [...degree].filter(([, d]) => d === 1).map(([s]) => s);
  const leaves = leafStates.map(name);
  const group = leaves.slice(0, Math.max(1, leaves.length >> 1));
  const linked = new Set(edges.flatMap((e) => [`${e.a}>${e.b}`, `${e.b}>${e.a}`]));
  const blocked: string[] = [];
  for (let k = 0; k < 8 && blocked.length < 2; k++) {
    // A blocked cell holds ERROR, and the lookup reads it both when the request
    // starts there and when a longer walk passes there (or skips it) on the way:
    // only requests out of a leaf, which no path passes, can be blocked safely.
    const a = leafStates[int(leafStates.length)];
    const b = 1 + int(states - 1);
    if (a !== undefined && a !== b && !linked.has(`${a}>${b}`)) blocked.push(`${name(a)} -> ${name(b)}`);
  }
  return [
    `machine random_${states}_${flags}`,
    `flags { ${flagNames.map((f, i) => `${f} = 1 << ${i}${i === 0 ? ' mandatory' : ''}`).join('; ')} }`,
    `states { ${needs.map((n, s) => `${name(s)} = ${s} ${s === 0 ? 'sink' : `needs ${n.join(', ')}`}`).join('; ')} }`,
    `order ${needs.map((_, s) => name(s)).join(', ')}`,
    `arcs {\n  ${arcs.join('\n  ')}\n}`,
    blocked.length ? `block ${[...new Set(blocked)].join(', ')}` : '',
    group.length ? `group g = ${group.join(', ')}\nrule shortest; interior g only-within` : 'rule shortest',
    'lookup linux-7.2',
  ].join('\n');
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
