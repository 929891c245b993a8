import * as fs from 'node:fs';

/**
 * The file-system calls `gen` makes, and nothing else: the real ones by
 * default, a stand-in in tests that must see a write fail half way (a full
 * disk, a permission) or check which files gen opened.
 */
export type GenFs = Pick<
  typeof fs,
  | 'accessSync'
  | 'closeSync'
  | 'fstatSync'
  | 'linkSync'
  | 'lstatSync'
  | 'mkdirSync'
  | 'openSync'
  | 'readFileSync'
  | 'readSync'
  | 'readdirSync'
  | 'realpathSync'
  | 'renameSync'
  | 'rmdirSync'
  | 'statSync'
  | 'statfsSync'
  | 'unlinkSync'
  | 'writeFileSync'
>;

export const nodeFs: GenFs = fs;

/** A file-system problem with the output folder or a file in it: one line for the user, exit 2. */
export class FolderError extends Error {}

export function errnoCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

const WORDS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  ENOENT: 'no such file or folder',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  EBUSY: 'busy',
};

/** An error from the file system, in words: `no space left on the device (ENOSPC)`. */
export function fsErrorText(e: unknown): string {
  const code = errnoCode(e);
  if (code === undefined) return e instanceof Error ? e.message : String(e);
  return `${WORDS[code] ?? 'file-system error'} (${code})`;
}
