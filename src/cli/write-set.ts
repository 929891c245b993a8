import { basename, dirname, join } from 'node:path';
import { cryptography } from './builtin.js';
import type { GenFs } from './gen-fs.js';
import { errnoCode, fsErrorText, nodeFs } from './gen-fs.js';

/**
 * Writes a set of generated files so that the folder holds either the whole
 * previous generation or the whole new one, never a mix:
 *
 * 1. every file is written to a temporary file beside its target (same
 *    folder, so the rename is atomic), and each target being replaced gets a
 *    second name (a hard link) that keeps its old text;
 * 2. only when all of that succeeded are the temporary files renamed over
 *    their targets, one after the other;
 * 3. if step 1 fails (a full disk, a permission), the temporary files are
 *    removed and nothing was changed; if a rename in step 2 fails, the ones
 *    already made are undone from the kept names.
 *
 * All of it is synchronous, so a SIGINT or SIGTERM that arrives meanwhile is
 * acted on only after the set is whole (see deferSignals). A SIGKILL can
 * leave temporary files behind, never a half-written target; the next run
 * removes those of its own targets whose process is gone.
 */

export interface PlannedWrite {
  /** Absolute. */
  readonly path: string;
  readonly text: string;
  /** A file of ours is there now and is being replaced. */
  readonly replaces: boolean;
}

export type WriteOutcome = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** `.<name>.<pid>.<8 hex>.tmp` (new text) or `.old` (the replaced file's kept name). */
const SIDE_FILE = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.(?:tmp|old)$/;

function sideName(path: string, suffix: 'tmp' | 'old'): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${cryptography().randomBytes(4).toString('hex')}.${suffix}`);
}

export function writeSet(writes: readonly PlannedWrite[], show: (path: string) => string, fs: GenFs = nodeFs): WriteOutcome {
  const created: string[] = [];
  const temps: { readonly tmp: string; readonly path: string }[] = [];
  const kept = new Map<string, string>();
  const quietly = (f: () => void): void => {
    try {
      f();
    } catch {
      // best effort: undoing must not hide the error that made it necessary
    }
  };
  const undoPrepared = (): void => {
    for (const t of temps) quietly(() => fs.unlinkSync(t.tmp));
    for (const k of kept.values()) quietly(() => fs.unlinkSync(k));
    for (const d of [...created].reverse()) quietly(() => fs.rmdirSync(d));
  };

  let at = '';
  try {
    for (const w of writes) {
      at = dirname(w.path);
      makeFolders(at, created, fs);
    }
    removeStaleSideFiles(writes, fs);
    for (const w of writes) {
      at = w.path;
      const tmp = sideName(w.path, 'tmp');
      // Noted before writing: a write that fails half way (a full disk) leaves a part to remove.
      temps.push({ tmp, path: w.path });
      fs.writeFileSync(tmp, w.text, { flag: 'wx' });
    }
    for (const w of writes) {
      if (!w.replaces) continue;
      at = w.path;
      const old = sideName(w.path, 'old');
      try {
        fs.linkSync(w.path, old);
        kept.set(w.path, old);
      } catch (e) {
        // A file system without hard links: the switch below still goes file by file, atomically each.
        if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK'].includes(errnoCode(e) ?? '')) throw e;
      }
    }
  } catch (e) {
    undoPrepared();
    return { ok: false, message: `cannot write ${show(at)}: ${fsErrorText(e)}; nothing was changed` };
  }

  const switched: string[] = [];
  for (const t of temps) {
    try {
      fs.renameSync(t.tmp, t.path);
      switched.push(t.path);
    } catch (e) {
      const restored = switched.reverse().every((path) => {
        const old = kept.get(path);
        try {
          if (old === undefined) fs.unlinkSync(path);
          else fs.renameSync(old, path);
          kept.delete(path);
          return true;
        } catch {
          return false;
        }
      });
      undoPrepared();
      const after = restored ? 'the files already switched were put back; nothing was changed' : 'some files could not be put back: run gen again';
      return { ok: false, message: `cannot put ${show(t.path)} in place: ${fsErrorText(e)}; ${after}` };
    }
  }
  for (const k of kept.values()) quietly(() => fs.unlinkSync(k));
  return { ok: true };
}

/** Creates `dir` and its missing parents, one level at a time, noting each folder made. */
function makeFolders(dir: string, created: string[], fs: GenFs): void {
  const missing: string[] = [];
  let d = dir;
  while (!isFolder(d, fs)) {
    missing.push(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const m of missing.reverse()) {
    fs.mkdirSync(m);
    created.push(m);
  }
}

function isFolder(path: string, fs: GenFs): boolean {
  try {
    return fs.statSync(path).isDirectory();
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return false;
    throw e;
  }
}

/** Side files of these targets left by a gen that was killed (its process is gone). */
function removeStaleSideFiles(writes: readonly PlannedWrite[], fs: GenFs): void {
  const byFolder = new Map<string, Set<string>>();
  for (const w of writes) {
    const names = byFolder.get(dirname(w.path)) ?? new Set<string>();
    names.add(basename(w.path));
    byFolder.set(dirname(w.path), names);
  }
  for (const [folder, names] of byFolder) {
    let entries: string[];
    try {
      entries = fs.readdirSync(folder);
    } catch {
      continue;
    }
    for (const entry of entries) {
      const m = SIDE_FILE.exec(entry);
      if (!m || !names.has(m[1]!) || alive(Number(m[2]))) continue;
      try {
        fs.unlinkSync(join(folder, entry));
      } catch {
        // not ours to worry about: it stays hidden, and the next run tries again
      }
    }
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoCode(e) === 'EPERM';
  }
}

const DEFERRED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs `work` with SIGINT, SIGTERM and SIGHUP held back: one that arrives
 * meanwhile is acted on (by `raise`, which re-sends it with its default
 * effect) once `work` is done, so an interrupted gen leaves a whole set.
 */
export async function deferSignals<T>(work: () => T, raise: (signal: NodeJS.Signals) => void = reraise): Promise<T> {
  const caught: NodeJS.Signals[] = [];
  const hold = (signal: NodeJS.Signals): void => void caught.push(signal);
  for (const s of DEFERRED_SIGNALS) process.on(s, hold);
  try {
    return work();
  } finally {
    // A signal that came during `work` is delivered to `hold` on the next turn of the event loop.
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (const s of DEFERRED_SIGNALS) process.off(s, hold);
    if (caught[0] !== undefined) raise(caught[0]);
  }
}

function reraise(signal: NodeJS.Signals): void {
  process.kill(process.pid, signal);
}
