/**
 * The small FSMs of the checker's tests (test/analysis/check.test.ts), shared
 * with the SPIN oracle's tests (test/oracle/), which must find the same
 * violations in each failing one.
 *
 * A mandatory M and an optional OPT; states A, B, C need M and X needs M and
 * OPT, unless a spec lists its own. Each spec adds the arcs, blocks, groups
 * and lookup it is about.
 */
export const TINY_STATES = 'A = 1 needs M; B = 2 needs M; C = 3 needs M; X = 4 needs M, OPT';

export function tinySpec(body: string, lookup = 'linux-7.2', states = TINY_STATES): string {
  const list = states.split(';').map((s) => s.trim().split(' ')[0]);
  return `machine tiny
flags { M = 1 << 0 mandatory; OPT = 1 << 1 }
states { E = 0 sink; ${states} }
order ${[...list, 'E'].join(', ')}
rule shortest
lookup ${lookup}
${body}`;
}

const BLOCKED_STATES = 'A = 1 needs M; B = 2 needs M; X = 3 needs M, OPT';

/** A, B and T form a group; from N, outside it, the way to T goes round through P and Q. */
export const SPLIT_STATES = 'A = 1 needs M; N = 2 needs M; B = 3 needs M; T = 4 needs M; P = 5 needs M; Q = 6 needs M';
export const SPLIT_ARCS = 'arcs { A -> N; N -> B; B -> T; N -> P; P -> Q; Q -> T; Q -> N; T -> A; Q -> A; B -> P; T -> Q; T -> B }\ngroup g = A, B, T';

/** Every failing example of the checker's tests, by the property it fails. */
export const FAILING_TINY_SPECS = {
  /** C has no arc back: C -> A and C -> B are unreachable. */
  unreachable: tinySpec('arcs { A <-> B; B -> C }'),
  /** B may never be interior, and it is the only way from A to C. */
  unreachableByRule: tinySpec('arcs { A <-> B; B <-> C; C <-> X when OPT }\ngroup g = B\nrule interior g never'),
  /** A -> X has two shortest paths, through B and through C. */
  ambiguous: tinySpec('arcs { A -> B; A -> C; B -> A; C -> A; B -> X when OPT; C -> X when OPT; X -> A }'),
  /** The seed's lookup never tests the mandatory flag: a device without it is handed steps. */
  unguardedSeed: tinySpec('arcs { A <-> B; B <-> C; C <-> X when OPT }', 'seed-v6'),
  /** With OPT, A reaches B through X; without it, through C; the one table says X. */
  oneTableTwoPaths: tinySpec('arcs { A -> X when OPT; X -> B when OPT; A <-> C; C -> B when not OPT; B -> A }'),
  /** The 5.18 loop skips the sink on a blocked cell and never ends. */
  endlessOnBlocked: tinySpec('arcs { A <-> B; B <-> X when OPT }\nblock X -> A', 'linux-5.18', BLOCKED_STATES),
  /** From A the way to T may pass B; from N it may not, so after one step the path changes. */
  stepInconsistent: tinySpec(`${SPLIT_ARCS}\nrule interior g only-within`, 'linux-7.2', SPLIT_STATES),
} as const;

/** The 7.2 loop on the same blocked cell refuses instead. */
export const BLOCKED_FIXED = tinySpec('arcs { A <-> B; B <-> X when OPT }\nblock X -> A', 'linux-7.2', BLOCKED_STATES);
