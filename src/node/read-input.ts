import type { Code } from '../diagnostics/codes.js';
import { readFileSync, statSync } from 'node:fs';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { locate } from '../diagnostics/diagnostic.js';
import { SourceText } from '../common/source.js';

export const MAX_INPUT_BYTES = 1024 * 1024;
/** Kernel C: a whole vfio_main.c is ~60 KB and an mbox of a series a few hundred; stay well above both. */
export const KERNEL_INPUT_BYTES = 16 * 1024 * 1024;

export type ReadResult = { ok: true; source: SourceText } | { ok: false; diagnostic: Diagnostic };

function refuse(path: string, code: Code, message: string): ReadResult {
  return { ok: false, diagnostic: locate(new SourceText(path, ''), 'error', code, { start: 0, end: 0 }, message) };
}

/**
 * Reads a text input for any command, refusing what no stage should see:
 * missing paths, directories, files over 1 MiB, binary or non-UTF-8 files.
 * `-` reads standard input under the same limits.
 */
export function readTextInput(path: string, limit = MAX_INPUT_BYTES): ReadResult {
  let bytes: Buffer;
  try {
    if (path === '-') bytes = readFileSync(0);
    else {
      const st = statSync(path);
      if (st.isDirectory()) return refuse(path, 'VF091', 'is a directory, not a file');
      if (!st.isFile()) return refuse(path, 'VF094', 'is not a regular file');
      if (st.size > limit) return refuse(path, 'VF092', `is ${st.size} bytes, over the ${limit}-byte limit for an input`);
      bytes = readFileSync(path);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return refuse(path, 'VF090', 'no such file');
    if (code === 'EACCES' || code === 'EPERM') return refuse(path, 'VF094', 'permission denied');
    if (code === 'EISDIR') return refuse(path, 'VF091', 'is a directory, not a file');
    return refuse(path, 'VF094', `cannot be read (${code ?? 'unknown error'})`);
  }
  return decodeInput(path, bytes, limit);
}

/** The refusal of an input known to be `size` bytes, over `limit`, before reading it. */
export function oversized(path: string, size: number, limit: number): Diagnostic {
  return locate(new SourceText(path, ''), 'error', 'VF092', { start: 0, end: 0 }, `is ${size} bytes, over the ${limit}-byte limit for an input`);
}

/** Bytes read under a name (a file, a blob of a commit) as text, under the same limits as a file. */
export function decodeInput(path: string, bytes: Uint8Array, limit = MAX_INPUT_BYTES): ReadResult {
  if (bytes.length > limit) return refuse(path, 'VF092', `is over the ${limit}-byte limit for an input`);
  if (bytes.includes(0)) return refuse(path, 'VF093', 'is a binary file (it contains NUL bytes)');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return refuse(path, 'VF093', 'is not UTF-8 text');
  }
  return { ok: true, source: new SourceText(path === '-' ? '<stdin>' : path, text.replace(/^\uFEFF/, '')) };
}
