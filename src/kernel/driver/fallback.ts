import type * as c from '../c/ast.js';

/**
 * What a step function does with an arc its chain of tests does not know:
 * the statements after the chain, or its final `else`.
 *
 * - `warn+einval`: `WARN_ON(...)` or `WARN(...)`, then `-EINVAL` (in
 *   `ERR_PTR()`, or alone in a function returning `int`);
 * - `warn+error`: a warning, then another constant errno;
 * - `error`: a constant errno without a warning;
 * - `none`: anything else, such as returning whatever the chain left.
 *
 * The kind is reported only: the core never hands out another arc, so the
 * fallback decides nothing about conformance.
 */
export type FallbackKind = 'warn+einval' | 'warn+error' | 'error' | 'none';

export interface FoundFallback {
  readonly kind: FallbackKind;
  /** Where the fallback's first warning or return starts; null when there is none. */
  readonly at: number | null;
  /** The warning macro, and the errno name returned, when there are. */
  readonly warning: string | null;
  readonly errno: string | null;
}

const WARNINGS = new Set(['WARN_ON', 'WARN_ON_ONCE', 'WARN', 'WARN_ONCE']);

export function readFallback(body: c.Block, last: number): FoundFallback {
  const statements = fallbackStatements(body, last);
  let warning: string | null = null;
  let at: number | null = null;
  for (const s of statements) {
    if (s.kind === 'empty' || s.kind === 'decl') continue;
    if (s.kind === 'expr') {
      const e = s.expr;
      if (e.kind === 'call' && e.callee.kind === 'name' && WARNINGS.has(e.callee.name.text) && warning === null) {
        warning = e.callee.name.text;
        at ??= s.span.start;
      }
      continue;
    }
    if (s.kind === 'return') {
      at ??= s.span.start;
      const errno = s.value ? errnoOf(s.value) : null;
      const kind: FallbackKind = errno === null ? 'none' : warning === null ? 'error' : errno === 'EINVAL' ? 'warn+einval' : 'warn+error';
      return { kind, at, warning, errno };
    }
    // A label starts another path (a shared `err:` exit); a jump or a test leaves the fallback's straight line.
    break;
  }
  return { kind: 'none', at, warning, errno: null };
}

/**
 * The statements after the last test of the chain, those of its final
 * `else`, or, when a `switch` ends the function, those of its `default`;
 * blocks are opened.
 */
function fallbackStatements(body: c.Block, last: number): c.Stmt[] {
  let tail: readonly c.Stmt[] = body.items.slice(last + 1);
  let chain = body.items[last];
  while (chain?.kind === 'if' && chain.otherwise) chain = chain.otherwise;
  if (chain && chain.kind !== 'if' && last >= 0 && body.items[last]!.kind === 'if') tail = [chain];
  if (tail.length === 0 && chain?.kind === 'switch') tail = defaultSection(chain.body);
  const out: c.Stmt[] = [];
  const pending = [...tail];
  for (let s = pending.shift(); s; s = pending.shift()) {
    if (s.kind === 'block') pending.unshift(...s.items);
    else out.push(s);
  }
  return out;
}

/** The statements from a switch's `default:` label to the next label. */
function defaultSection(body: c.Stmt): c.Stmt[] {
  const items = body.kind === 'block' ? body.items : [body];
  const out: c.Stmt[] = [];
  let inside = false;
  for (const item of items) {
    if (item.kind === 'case') {
      if (inside) break;
      let s: c.Stmt = item;
      while (s.kind === 'case') {
        if (s.value === null) inside = true;
        s = s.body;
      }
      if (inside) out.push(s);
    } else if (inside) out.push(item);
  }
  return out;
}

/** `-EINVAL` or `ERR_PTR(-EINVAL)`: the errno name; null for anything else. */
function errnoOf(e: c.Expr): string | null {
  let x = e;
  if (x.kind === 'call' && x.callee.kind === 'name' && x.callee.name.text === 'ERR_PTR' && x.args.length === 1) x = x.args[0]!;
  if (x.kind === 'unary' && x.op === '-' && x.operand.kind === 'name' && /^E[A-Z0-9]+$/.test(x.operand.name.text)) return x.operand.name.text;
  return null;
}
