// Every link of the README to a place in itself (the table of contents and
// the cross-references) lands on a heading, and every file it links to
// exists in the repository.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const README = readFileSync('README.md', 'utf8');

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const m = fenced ? null : /^#{1,6} (.*)$/.exec(line);
    if (!m) continue;
    const base = m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

describe('README links', () => {
  it('has a table of contents near the top', () => {
    const contents = README.indexOf('## Contents');
    expect(contents).toBeGreaterThan(0);
    expect(contents).toBeLessThan(README.indexOf('## Quick start'));
  });

  it('every #anchor is a heading', () => {
    const known = anchors(README);
    const links = [...README.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(20);
    expect(links.filter((l) => !known.has(l))).toEqual([]);
  });

  it('every linked file exists', () => {
    const files = [...README.matchAll(/\]\((?!#|https?:)([^)\s]+)\)/g)].map((m) => m[1]!);
    expect(files.filter((f) => !existsSync(f))).toEqual([]);
  });
});
