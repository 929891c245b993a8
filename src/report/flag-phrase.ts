import type { Condition, Model } from '../model/model.js';

/**
 * A condition on the optional flags in the words of the kernel's comment:
 * "always", "with P2P", "without P2P", "with PRE_COPY and P2P". The newest
 * feature is named first, because the arcs under it belong to it.
 */
export function conditionPhrase(model: Model, c: Condition): string {
  const newestFirst = [...model.flags].sort((a, b) => b.bit - a.bit);
  const required = newestFirst.filter((f) => c.require & f.bit).map((f) => f.name);
  const forbidden = newestFirst.filter((f) => c.forbid & f.bit).map((f) => f.name);
  const parts: string[] = [];
  if (required.length) parts.push(`with ${required.join(' and ')}`);
  if (forbidden.length) parts.push(`without ${forbidden.join(' and without ')}`);
  return parts.length ? parts.join(', ') : 'always';
}

/** A disjunction of conditions. */
export function cubesPhrase(model: Model, cubes: readonly Condition[]): string {
  return cubes.map((c) => conditionPhrase(model, c)).join(' or ');
}
