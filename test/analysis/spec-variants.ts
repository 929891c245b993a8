import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CheckResult } from '../../src/analysis/check.js';
import type { Model } from '../../src/model/model.js';
import { flagNames } from '../../src/model/model.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const LINUX_62 = 'spec/history/linux-6.2.fsm';

export function readRepoFile(path: string): string {
  return readFileSync(`${ROOT}${path}`, 'utf8');
}

/**
 * `text` with one more flag `UNUSEDn = 1 << n` per bit n, declared at the
 * top of its flags block and used by nothing: the shape of the issue's
 * report (linux-6.2.fsm plus UNUSED3 ... UNUSED30).
 */
export function withUnusedFlags(text: string, bits: readonly number[]): string {
  const at = text.indexOf('flags {');
  if (at < 0 || text.indexOf('flags {', at + 1) >= 0) throw new Error('withUnusedFlags: the text needs exactly one `flags {`');
  const lines = bits.map((n) => `  UNUSED${n} = 1 << ${n}\n`).join('');
  return `${text.slice(0, at)}flags {\n${lines}${text.slice(at + 'flags {'.length)}`;
}

/** n, n+1, ..., m. */
export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/**
 * A check result by names only (flag names, state names), so that the
 * results of two specs that number their flags differently can be compared.
 */
export function byNames(m: Model, r: CheckResult) {
  const state = (v: number): string => m.states[v]?.name ?? String(v);
  const states = (p: readonly number[]): string[] => p.map(state);
  return {
    ok: r.ok,
    rows: r.flagSets.map((f) => ({
      flags: flagNames(m, f.flags),
      consulted: f.consulted,
      states: f.states,
      requests: f.requests,
      multiStep: f.multiStep,
      violations: f.violations,
      requiredArcs: f.requiredArcs.map(states),
    })),
    violations: r.violations.map((v) => ({
      property: v.property,
      flags: flagNames(m, v.flags),
      current: state(v.current),
      target: state(v.target),
      paths: v.paths.map(states),
      walk: states(v.walk),
      message: v.message,
    })),
    warnings: r.warnings.map((w) => w.message),
  };
}

/** A spec whose `n` flags are each needed by a state of their own. */
export function mentionedFlags(n: number): string {
  const flags = range(0, n - 1).map((i) => `F${i} = 1 << ${i}${i === 0 ? ' mandatory' : ''}`);
  const states = range(1, n).map((i) => `S${i} = ${i} needs F0${i > 1 ? `, F${i - 1}` : ''}`);
  const arcs = range(2, n).map((i) => `S1 <-> S${i}`);
  return [
    'machine many',
    `flags { ${flags.join('; ')} }`,
    `states { E = 0 sink; ${states.join('; ')} }`,
    `order ${range(1, n).map((i) => `S${i}`).join(', ')}, E`,
    `arcs { ${arcs.join('; ')} }`,
    'rule shortest',
    'lookup linux-7.2',
  ].join('\n');
}
