import { constants } from 'node:fs';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import { byCodePoint } from '../common/order.js';
import { readHeader } from '../emit/header.js';
import { OUTPUT_KINDS } from '../emit/layout.js';
import type { GenFs } from './gen-fs.js';
import { FolderError, errnoCode, fsErrorText, nodeFs } from './gen-fs.js';

/**
 * How gen looks at files in its output folder. It opens only files that may
 * be its own (a name with one of its extensions, or a target it is about to
 * write), reads only their first bytes to find the header line, and reads a
 * whole file only when it is its own and about as large as what it would
 * write in its place. Any other file in the folder is never opened.
 */

/** Enough of a file to find its header line in (it is on one of the first three lines). */
const HEAD_BYTES = 4096;

/** The walk for headers stops at this depth and this many entries: an output folder holds a few dozen files. */
const MAX_SCAN_DEPTH = 8;
const MAX_SCAN_ENTRIES = 20_000;

const OUR_EXTENSIONS: ReadonlySet<string> = new Set(OUTPUT_KINDS.map((k) => `.${k}`));

export interface ScannedFile {
  /** Absolute path. */
  readonly path: string;
  /** The spec its header names, if it carries our header. */
  readonly spec: string | undefined;
}

/**
 * Every file under `dir` that may be gen's own (none if `dir` does not
 * exist), with the spec its header names. Symbolic links are not followed;
 * hidden folders and node_modules are not entered; a file that cannot be
 * read is passed over (gen cannot have written it). Bounded in depth and in
 * entries; past the bound, a FolderError.
 */
export function scanGenerated(dir: string, fs: GenFs = nodeFs): ScannedFile[] {
  const out: ScannedFile[] = [];
  let entriesSeen = 0;
  const walk = (d: string, depth: number): void => {
    let entries;
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch (e) {
      if (errnoCode(e) === 'ENOENT' || errnoCode(e) === 'ENOTDIR') return;
      // A subfolder gen cannot list holds nothing it could have written.
      if (depth > 0) return;
      throw new FolderError(`cannot list ${dir}: ${fsErrorText(e)}`);
    }
    entriesSeen += entries.length;
    if (entriesSeen > MAX_SCAN_ENTRIES) {
      throw new FolderError(`${dir} holds more than ${MAX_SCAN_ENTRIES} entries, which is not an output folder of gen's; choose another --out`);
    }
    for (const entry of entries.sort((a, b) => byCodePoint(a.name, b.name))) {
      if (entry.name.startsWith('.')) continue;
      const path = join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && depth < MAX_SCAN_DEPTH) walk(path, depth + 1);
      } else if (entry.isFile() && OUR_EXTENSIONS.has(extname(entry.name))) {
        const head = tryReadHead(path, fs);
        out.push({ path, spec: head === undefined ? undefined : readHeader(head) });
      }
    }
  };
  walk(dir, 0);
  return out;
}

function tryReadHead(path: string, fs: GenFs): string | undefined {
  try {
    return readHead(path, fs);
  } catch {
    return undefined;
  }
}

/**
 * The first bytes of a regular file. Opened without blocking, so a FIFO put
 * where a file was cannot hang gen, and checked to be a regular file once
 * open.
 */
function readHead(path: string, fs: GenFs): string {
  const fd = fs.openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!fs.fstatSync(fd).isFile()) throw new FolderError(`${path} is not a regular file`);
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = fs.readSync(fd, buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

export type Existing = { kind: 'missing' } | { kind: 'ours'; size: number } | { kind: 'foreign'; why: string };

/**
 * What lies at a target path: nothing, a file of ours (with its size), or
 * something gen must not touch. Reads the header line only. A target that
 * cannot be read is a FolderError: gen cannot tell whether it is its own.
 */
export function inspectTarget(path: string, show: (path: string) => string, fs: GenFs = nodeFs): Existing {
  let st;
  try {
    st = fs.lstatSync(path);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return { kind: 'missing' };
    if (errnoCode(e) === 'ENOTDIR') return { kind: 'foreign', why: 'lies below a file, where gen needs a folder' };
    throw new FolderError(`cannot look at ${show(path)}: ${fsErrorText(e)}`);
  }
  if (st.isSymbolicLink()) return { kind: 'foreign', why: 'is a symbolic link' };
  if (!st.isFile()) return { kind: 'foreign', why: 'exists and is not a regular file' };
  let head: string;
  try {
    head = readHead(path, fs);
  } catch (e) {
    if (e instanceof FolderError) return { kind: 'foreign', why: 'exists and is not a regular file' };
    throw new FolderError(`cannot read ${show(path)} to tell whether gen wrote it: ${fsErrorText(e)}`);
  }
  if (readHeader(head) === undefined) return { kind: 'foreign', why: 'exists without the "generated by vfio-fsm" header' };
  return { kind: 'ours', size: st.size };
}

/**
 * The text of a file of ours, when it is at most `limit` bytes; undefined
 * when larger (it is then stale, and not worth reading to show a diff).
 */
export function readOurs(path: string, size: number, limit: number, show: (path: string) => string, fs: GenFs = nodeFs): string | undefined {
  if (size > limit) return undefined;
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new FolderError(`cannot read ${show(path)}: ${fsErrorText(e)}`);
  }
}

/** Is the file of ours at `path`, `size` bytes long, exactly `text`? Reads it only when the sizes agree. */
export function holdsText(path: string, size: number, text: string, show: (path: string) => string, fs: GenFs = nodeFs): boolean {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (size !== bytes) return false;
  return readOurs(path, size, bytes, show, fs) === text;
}

/** A path relative to the working directory, with forward slashes: how headers record a spec. */
export function relativePath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

/** A path as messages show it: relative when it lies under the working directory, absolute otherwise. */
export function displayPath(cwd: string, path: string): string {
  const rel = relativePath(cwd, path);
  return rel === '..' || rel.startsWith('../') || isAbsolute(rel) ? path : rel;
}
