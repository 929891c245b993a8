/** A JSON value as the generated files hold it. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/**
 * Pretty JSON that stays readable at a few hundred requests: a value goes on
 * one line when that line fits `width`, and is spread one member a line
 * otherwise. Key order is insertion order, so the output is deterministic.
 * Takes what JSON.stringify takes: plain data, read as it would read it.
 */
export function formatJson(value: unknown, width = 100): string {
  return `${format(value, '', 0, width)}\n`;
}

/** `used` is how many columns of the current line precede the value. */
function format(value: unknown, indent: string, used: number, width: number): string {
  const flat = inline(value);
  if (value === null || typeof value !== 'object' || used + flat.length + 1 <= width) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const items = value.map((v: unknown) => `${inner}${format(v, inner, inner.length, width)}`);
    return items.length ? `[\n${items.join(',\n')}\n${indent}]` : '[]';
  }
  const entries = Object.entries(value).map(([k, v]: [string, unknown]) => {
    const key = `${inner}${JSON.stringify(k)}: `;
    return `${key}${format(v, inner, key.length, width)}`;
  });
  return entries.length ? `{\n${entries.join(',\n')}\n${indent}}` : '{}';
}

/** One line, with a space after each comma and colon. */
function inline(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v: unknown) => inline(v)).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([k, v]: [string, unknown]) => `${JSON.stringify(k)}: ${inline(v)}`)
    .join(', ')}}`;
}
