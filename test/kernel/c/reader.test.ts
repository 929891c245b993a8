// The C language room alone: the lexer, the locator and the ohm grammar,
// with no spec in sight.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Expr } from '../../../src/kernel/c/ast.js';
import { lex } from '../../../src/kernel/c/lex.js';
import { locateFunction } from '../../../src/kernel/c/locate.js';
import { parseC, parseTokens } from '../../../src/kernel/c/parse.js';
import { FIXTURES } from '../support.js';

const TEXT = readFileSync(`${FIXTURES}/linux-7.2.c`, 'utf8');

describe('the lexer and the grammar alone', () => {
  it('finds the function among others, past strings and comments holding braces', () => {
    const lexed = lex(TEXT);
    const loc = locateFunction(lexed, 'vfio_mig_get_next_state', TEXT.length)!;
    expect(TEXT.slice(loc.span.start, loc.span.start + 28)).toBe('int vfio_mig_get_next_state(');
    expect(TEXT.slice(loc.span.end - 1, loc.span.end + 20)).toBe('}\nEXPORT_SYMBOL_GPL(v');
    expect(loc.complete).toBe(true);
  });

  it('parses the same tree from the tokens as from the text', () => {
    const lexed = lex(TEXT);
    const loc = locateFunction(lexed, 'vfio_mig_get_next_state', TEXT.length)!;
    const tokens = lexed.tokens.filter((t) => t.start >= loc.span.start && t.end <= loc.span.end);
    const a = parseC(TEXT, loc.span.start, loc.span.end, 'FunctionDef');
    const b = parseTokens(TEXT, tokens, 'FunctionDef');
    expect(a.ok && b.ok).toBe(true);
    expect(b.ok && b.ast).toEqual(a.ok && a.ast);
  });

  it('keeps operators apart: `a & b` is not `a && b`, `x <<= 1` is one assignment', () => {
    const e = parseC('a & b && c', 0, 10, 'Expr');
    expect(e.ok && e.ast.kind === 'binary' && e.ast.op).toBe('&&');
    const s = parseC('x <<= 1', 0, 7, 'Expr');
    expect(s.ok && s.ast.kind === 'assign' && s.ast.op).toBe('<<=');
    const t = parseC('int32_t', 0, 7, 'Expr');
    expect(t.ok).toBe(false);
  });

  it('groups binary operators as C does: by precedence, then to the left', () => {
    const shape = (e: Expr): string => (e.kind === 'binary' ? `(${shape(e.left)} ${e.op} ${shape(e.right)})` : e.kind === 'name' ? e.name.text : e.kind === 'number' ? String(e.value) : e.kind);
    const tree = (text: string): string => {
      const r = parseC(text, 0, text.length, 'Expr');
      if (!r.ok) throw new Error(r.error.message);
      return shape(r.ast);
    };
    expect(tree('a | b & c == d << 1 + 2 * 3')).toBe('(a | (b & (c == (d << (1 + (2 * 3))))))');
    expect(tree('a - b - c')).toBe('((a - b) - c)');
    expect(tree('a * b + c * d < e || f && g != h')).toBe('((((a * b) + (c * d)) < e) || (f && (g != h)))');
    expect(tree('(x & m) != m')).toBe('((x & m) != m)');
  });
});
