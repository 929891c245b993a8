// What the cache keeps reads back as what was computed: a validated spec
// (its model and warnings, the mandatory flag one of its flags), and a
// parsed C function (every span where the parse without the cache puts it).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeLoadedSpec, encodeLoadedSpec } from '../../../src/cli/cache/spec-cache.js';
import { SourceText } from '../../../src/common/source.js';
import { lex, tokensIn } from '../../../src/kernel/c/lex.js';
import { locateFunction } from '../../../src/kernel/c/locate.js';
import { parseTokens } from '../../../src/kernel/c/parse.js';
import { useParseCache } from '../../../src/kernel/c/parse-cache.js';
import { loadSpecSource } from '../../../src/model/loaded-spec.js';
import { randomSpec } from '../../bench/random-spec.js';
import { sample } from '../../support/depth.js';
import { allSpecFiles, readSpec } from '../../support/spec-text.js';

function loaded(path: string, text: string): Extract<ReturnType<typeof loadSpecSource>, { ok: true }> | null {
  const l = loadSpecSource(new SourceText(path, text));
  return l.ok ? l : null;
}

describe('a validated spec, kept and read back', () => {
  const specs = [
    ...allSpecFiles().map((p) => ({ path: p, text: readSpec(p) })),
    ...[4, 16, 32].flatMap((n) => [2, 6].map((f) => ({ path: `random-${n}-${f}.fsm`, text: randomSpec(n, f, n * 10 + f) }))),
  ];

  it.each(specs.map((s) => [s.path, s] as const))('%s', (_, { path, text }) => {
    const fresh = loaded(path, text);
    if (!fresh) return;
    const source = new SourceText(path, text);
    const back = decodeLoadedSpec(encodeLoadedSpec(fresh), source)!;
    expect(back).toStrictEqual(fresh);
    // The one object the model shares: its mandatory flag is one of its flags.
    expect(back.model.flags).toContain(back.model.mandatory);
    expect(back.source).toBe(source);
  });

  it('an entry of another file, or no entry at all, is not read', () => {
    const fresh = loaded('spec/vfio-migration.fsm', readSpec('spec/vfio-migration.fsm'))!;
    const stored = encodeLoadedSpec(fresh);
    expect(decodeLoadedSpec(stored, new SourceText('elsewhere.fsm', fresh.source.text))).toBeNull();
    expect(decodeLoadedSpec('{"model":{"flags":[],"mandatory":0},"warnings":[]}', fresh.source)).toBeNull();
    expect(decodeLoadedSpec('not json', fresh.source)).toBeNull();
  });
});

describe('a parsed C function, kept and read back', () => {
  const dirs = ['test/fixtures/kernel', 'test/fixtures/kernel/mutants', 'test/fixtures/kernel/verdicts', 'test/fixtures/drivers'];
  // The era fixtures always, a tenth of the rest outside test:deep.
  const all = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.c')).map((f) => `${d}/${f}`));
  const fixtures = sample(all, (f) => /^test\/fixtures\/kernel\/[^/]+\.c$/.test(f));
  const functionNames = (text: string): string[] => [...new Set([...text.matchAll(/^(?:static\s+)?(?:int|enum \w+|u32|void)\s+\**(\w+)\s*\(/gm)].map((m) => m[1]!))];

  it('finds functions to parse', () => {
    expect(all.length).toBeGreaterThan(40);
    expect(fixtures.length).toBeGreaterThan(5);
  });

  it.each(fixtures)('%s: each function, in both dialects, as parsed without the cache', (file) => {
    const text = readFileSync(file, 'utf8');
    // What one text keeps is read back for the same function elsewhere (a line added above it): its spans must move with it.
    const kept = new Map<string, string>();
    let hits = 0;
    for (const shown of [text, `/* a line above */\n${text}`]) {
      const lexed = lex(shown);
      for (const name of functionNames(shown)) {
        const at = locateFunction(lexed, name, shown.length);
        if (!at?.complete) continue;
        const tokens = tokensIn(lexed, at.span.start, at.span.end);
        for (const dialect of ['lookup', 'driver'] as const) {
          const fresh = parseTokens(shown, tokens, 'FunctionDef', dialect);
          useParseCache({ get: (k) => (kept.has(k) ? (hits++, kept.get(k)!) : null), put: (k, v) => void kept.set(k, v) });
          try {
            expect(parseTokens(shown, tokens, 'FunctionDef', dialect)).toStrictEqual(fresh);
          } finally {
            useParseCache(null);
          }
        }
      }
    }
    // Only trees are kept (a function the dialect refuses is parsed, and refused, each time), and the moved text found each.
    expect(hits).toBe(kept.size);
  });
});
