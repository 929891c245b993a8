import type { Property } from '../analysis/check.js';
import { PROMELA_CHECKS } from '../emit/promela.js';

/** A property the model can report: the checker's, or `model` when the exported data contradicts the model itself. */
export type OracleProperty = Property | 'model';

/** One violation SPIN found, decoded from the replay of its trail. */
export interface SpinFinding {
  readonly property: OracleProperty;
  /** The declared flag word of the request (unsigned). */
  readonly flags: number;
  /** Undeclared bits also set, when the run examined them. */
  readonly widened?: number;
  /** Unsigned, as the kernel reads them: -1 in the model is 0xffffffff here. */
  readonly current: number;
  readonly target: number;
  /** The states handed to the driver (from `current` on), or for termination the states the loop goes round. */
  readonly walk: readonly number[];
  /** Which trail file (1-based, as pan numbers them). */
  readonly trail: number;
  /** The model line of the failed assertion and what its comment says it stands for. */
  readonly line: number;
  readonly stands: string;
}

export type DecodeResult = { readonly ok: true; readonly finding: SpinFinding } | { readonly ok: false; readonly error: string };

const PROPERTIES: readonly OracleProperty[] = ['reachability', 'ambiguity', 'sink', 'table', 'termination', 'step-consistency', 'model'];

/** `property NAME: text` in the comment that ends an assertion's line. */
const PROPERTY_COMMENT = /\/\*\s*property\s+([a-z-]+):\s*(.*?)\s*\*\//;

/**
 * Decodes the output of `spin -t<k> model.pml` (a replay of pan's k-th trail)
 * into the request, flag set and walk it stands for. The model prints what a
 * trail needs as `oracle ...` lines (see src/emit/promela.ts); SPIN names the
 * line of the failed assertion, whose comment names the property.
 */
export function decodeTrail(modelText: string, replay: string, trail: number): DecodeResult {
  let request: { check: number; word: number; extra: number; cur: number; tgt: number } | undefined;
  let loop: number[] = [];
  const steps: number[] = [];
  let failure: { line: number; message: string } | undefined;
  for (const raw of replay.split('\n')) {
    const line = raw.trim();
    let m: RegExpMatchArray | null;
    if ((m = /^oracle request (-?\d+) (-?\d+) (-?\d+) (-?\d+) (-?\d+)$/.exec(line))) {
      const [check, word, extra, cur, tgt] = m.slice(1).map(Number) as [number, number, number, number, number];
      request = { check, word, extra, cur, tgt };
    } else if (line === 'oracle call') loop = [];
    else if ((m = /^oracle loop (-?\d+)$/.exec(line))) loop.push(Number(m[1]));
    else if ((m = /^oracle step (-?\d+)$/.exec(line))) steps.push(Number(m[1]));
    else if (!failure && (m = /^spin: .*:(\d+), Error: (.*)$/.exec(line))) failure = { line: Number(m[1]), message: m[2]! };
  }
  if (!request) return { ok: false, error: `trail ${trail}: the replay printed no request` };
  if (!failure) return { ok: false, error: `trail ${trail}: the replay reached no error` };
  const source = modelText.split('\n')[failure.line - 1] ?? '';
  const comment = PROPERTY_COMMENT.exec(source);
  const named = comment?.[1] as OracleProperty | undefined;
  const assertion = failure.message === 'assertion violated' && named !== undefined && PROPERTIES.includes(named);
  const property: OracleProperty = assertion ? named : 'model';
  const stands = assertion ? comment![2]! : `SPIN: ${failure.message} (line ${failure.line})`;
  const { check, word, extra, cur, tgt } = request;
  let walk: number[] = [];
  if (property === 'termination') walk = cycleOf(loop);
  else if (check === PROMELA_CHECKS.walk) walk = [cur, ...steps].map(unsigned);
  const finding: SpinFinding = {
    property,
    flags: unsigned(word),
    ...(check === PROMELA_CHECKS.widened ? { widened: unsigned(extra) } : {}),
    current: unsigned(cur),
    target: unsigned(tgt),
    walk,
    trail,
    line: failure.line,
    stands,
  };
  return { ok: true, finding };
}

function unsigned(v: number): number {
  return v >>> 0;
}

/**
 * The states the lookup's loop goes round, from the states it tested: the
 * sequence is n, T[n][t], ... and so repeats once a state comes round again;
 * the cycle is what lies between the last state and its previous visit.
 */
export function cycleOf(visited: readonly number[]): number[] {
  const last = visited.length - 1;
  if (last < 0) return [];
  const x = visited[last]!;
  const j = visited.lastIndexOf(x, last - 1);
  return j < 0 ? [...visited] : visited.slice(j, last);
}
