import { constants } from 'node:fs';
import { dirname, sep } from 'node:path';
import type { GenFs } from './gen-fs.js';
import { FolderError, errnoCode, fsErrorText } from './gen-fs.js';

/** Kernel pseudo file systems (statfs f_type): their "files" are kernel objects, never a place for output. */
const PSEUDO_FILE_SYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x1cd1, 'devpts'],
  [0xcafe4a11, 'bpf'],
  [0x62656570, 'configfs'],
  [0x6165676c, 'pstore'],
  [0xde5e81e4, 'efivarfs'],
  [0x19800202, 'mqueue'],
  [0x6e736673, 'nsfs'],
  [0x65735543, 'fusectl'],
  [0x42494e4d, 'binfmt_misc'],
]);

/** Where those are mounted on Linux; checked by path too, for systems where statfs says less. */
const PSEUDO_ROOTS = ['/proc', '/sys'];

/** A path has at most this many components; the walk up to an existing folder is bounded by it. */
const MAX_DEPTH = 4096;

export interface OutFolder {
  /** The folder exists already (else gen creates it, and nothing in it needs reading). */
  readonly exists: boolean;
}

/**
 * Decides whether `out` (absolute) can take generated files, before gen reads
 * or writes anything, in a few system calls: the file-system root, a kernel
 * pseudo file system (/proc, /sys, ...), a path below a file, and (when
 * `writing`) a folder without write permission are each refused with one
 * line. This is what keeps `--out /proc/x` from spinning in a recursive
 * mkdir on procfs.
 */
export function checkOutFolder(out: string, show: (path: string) => string, fs: GenFs, writing = true): OutFolder {
  const shown = show(out);
  if (dirname(out) === out) throw new FolderError(`--out ${shown} is the root of the file system; choose a folder for the generated files`);
  // The nearest folder on the way up that exists.
  let existing = out;
  for (let i = 0; i < MAX_DEPTH; i++) {
    const kind = lookAt(existing, show, fs);
    if (kind === 'folder') break;
    if (kind === 'other') {
      throw new FolderError(
        existing === out ? `--out ${shown} exists and is not a folder` : `--out ${shown} lies below ${show(existing)}, which is a file, not a folder`,
      );
    }
    const up = dirname(existing);
    if (up === existing) throw new FolderError(`--out ${shown}: no folder on its path exists`);
    existing = up;
  }
  const real = realPath(existing, show, fs);
  const pseudo = pseudoFileSystem(real, fs);
  if (pseudo) throw new FolderError(`--out ${shown} is ${pseudo}, a kernel pseudo file system, no place for files; choose another folder`);
  // `gen --check` writes nothing: a read-only checkout can be checked.
  if (!writing) return { exists: existing === out };
  try {
    fs.accessSync(existing, constants.W_OK | constants.X_OK);
  } catch (e) {
    const why = errnoCode(e) === 'EROFS' ? 'it is on a read-only file system' : `no permission to write in it (${fsErrorText(e)})`;
    throw new FolderError(`--out ${shown}: cannot write in ${show(existing)}: ${why}`);
  }
  return { exists: existing === out };
}

function lookAt(path: string, show: (path: string) => string, fs: GenFs): 'folder' | 'other' | 'missing' {
  try {
    return fs.statSync(path).isDirectory() ? 'folder' : 'other';
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'ENOENT') return 'missing';
    // A part of the path is a file: the walk up finds which.
    if (code === 'ENOTDIR') return 'missing';
    throw new FolderError(`cannot look at ${show(path)}: ${fsErrorText(e)}`);
  }
}

function realPath(path: string, show: (path: string) => string, fs: GenFs): string {
  try {
    return fs.realpathSync(path);
  } catch (e) {
    throw new FolderError(`cannot look at ${show(path)}: ${fsErrorText(e)}`);
  }
}

function pseudoFileSystem(real: string, fs: GenFs): string | undefined {
  const root = PSEUDO_ROOTS.find((r) => real === r || real.startsWith(`${r}${sep}`));
  if (root) return `in ${root}`;
  let type: number;
  try {
    type = Number(fs.statfsSync(real).type);
  } catch {
    return undefined;
  }
  const name = PSEUDO_FILE_SYSTEMS.get(type);
  return name === undefined ? undefined : `on ${name}`;
}
