/** Output is handed on in pieces of about this size. */
const CHUNK = 1 << 16;

/**
 * Writes `value` as `JSON.stringify(value, null, 2)` would, plus a final line
 * break, in pieces: a check of a million flag sets is several hundred MB of
 * JSON, more than one JavaScript string can hold. Plain data only (objects,
 * arrays, strings, numbers, booleans, null), which is all the CLI prints.
 */
export function writeJson(value: unknown, write: (text: string) => void): void {
  let buffer = '';
  const emit = (text: string): void => {
    buffer += text;
    if (buffer.length >= CHUNK) {
      write(buffer);
      buffer = '';
    }
  };
  const visit = (v: unknown, indent: string): void => {
    if (Array.isArray(v)) {
      if (v.length === 0) return emit('[]');
      const inner = `${indent}  `;
      emit('[');
      v.forEach((item: unknown, i) => {
        emit(`${i ? ',' : ''}\n${inner}`);
        // JSON.stringify writes null for what it cannot represent inside an array.
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') emit('null');
        else visit(item, inner);
      });
      emit(`\n${indent}]`);
      return;
    }
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v).filter(([, x]) => x !== undefined && typeof x !== 'function' && typeof x !== 'symbol');
      if (entries.length === 0) return emit('{}');
      const inner = `${indent}  `;
      emit('{');
      entries.forEach(([k, x], i) => {
        emit(`${i ? ',' : ''}\n${inner}${JSON.stringify(k)}: `);
        visit(x, inner);
      });
      emit(`\n${indent}}`);
      return;
    }
    emit(JSON.stringify(v) ?? 'null');
  };
  visit(value, '');
  emit('\n');
  if (buffer) write(buffer);
}
