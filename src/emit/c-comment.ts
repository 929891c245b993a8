import { flagSpace } from '../analysis/flag-space.js';
import type { Flag, Model } from '../model/model.js';
import type { FlagSetFacts } from './facts.js';
import { wrap } from './c-names.js';
import { byCodePoint } from '../common/order.js';
import { andList, fullFlagSet } from './facts.js';
import { pathText, stateName } from '../model/spelling.js';

const ITEM = '    ';
/** What precedes comment text inside the function, for wrapping. */
const PREFIX = '\t * ';

/**
 * The text of the comment above the table, written from the checked model:
 * which arcs the table hands a driver (those every device gets, then what each
 * flag set adds), the requests that take several steps when every optional
 * flag is set, and the blocked requests. Lists are sorted as plain text, the
 * order the kernel's own comment keeps.
 */
export function cCommentLines(model: Model, facts: readonly FlagSetFacts[]): string[] {
  const lines: string[] = [];
  const arcText = ([a, b]: readonly [number, number]): string => `${stateName(model, a)} -> ${stateName(model, b)}`;
  const served = facts.filter((f) => f.report.consulted && f.report.states > 0);
  const arcsOf = served.map((f) => new Set(f.report.requiredArcs.map(arcText)));
  const common = arcsOf.length ? [...arcsOf[0]!].filter((a) => arcsOf.every((s) => s.has(a))).sort(byCodePoint) : [];

  const say = (text: string): void => {
    lines.push(...wrap(text, PREFIX));
  };
  say("A driver implements the arcs this table hands it, which depend on the device's flags.");
  say(common.length ? 'Every device:' : 'No arc is common to every device.');
  for (const a of common) lines.push(`${ITEM}${a}`);
  served.forEach((f, i) => {
    const extra = [...arcsOf[i]!].filter((a) => !common.includes(a)).sort(byCodePoint);
    if (extra.length === 0) return;
    lines.push('');
    say(`${deviceWith(model, f.flags)}, in addition:`);
    for (const a of extra) lines.push(`${ITEM}${a}`);
  });

  const full = fullFlagSet(model, facts);
  const optional = readFlags(model)
    .filter((f) => !f.mandatory)
    .map((f) => f.name);
  const multi: string[] = [];
  for (const sel of full.selections) {
    if (sel?.kind === 'path' && sel.path.length > 2) multi.push(pathText(model, sel.path));
  }
  multi.sort(byCodePoint);
  lines.push('');
  if (multi.length === 0) say('No request takes more than one step.');
  else {
    say(optional.length ? `With every optional feature (${andList(optional)}), these combination requests take several steps:` : 'These combination requests take several steps:');
    for (const p of multi) lines.push(`${ITEM}${p}`);
  }

  if (model.blocked.length) {
    lines.push('');
    say('These requests are refused although both states exist:');
    const blocked = model.blocked.map((b) => `${stateName(model, b.from)} -> ${stateName(model, b.to)}`).sort(byCodePoint);
    for (const b of blocked) lines.push(`${ITEM}${b}`);
  }
  return lines;
}

/**
 * `A device with STOP_COPY and P2P but without PRE_COPY`: names the flags the
 * set has and the ones it lacks, so that a reader (or the kernel command's
 * comment check) knows exactly which devices a list is for.
 */
function deviceWith(model: Model, flags: number): string {
  const has = readFlags(model)
    .filter((f) => (flags & f.bit) !== 0)
    .map((f) => f.name);
  const lacks = readFlags(model)
    .filter((f) => (flags & f.bit) === 0)
    .map((f) => f.name);
  // "or" between every name, no commas: a comma would part the list from its "without" for a reader that splits clauses.
  const without = lacks.length ? ` but without ${lacks.join(' or ')}` : '';
  return `A device with ${andList(has)}${without}`;
}

/**
 * The flags that can make a difference: a flag nothing mentions changes no
 * arc (src/analysis/flag-space.ts), so the comment neither requires nor
 * excludes it.
 */
function readFlags(model: Model): readonly Flag[] {
  const mentioned = flagSpace(model).mentionedMask;
  return model.flags.filter((f) => (f.bit & mentioned) !== 0);
}
