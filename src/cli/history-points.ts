import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Base, FileAt, Point } from '../history/sweep.js';
import type { CatFile } from './git.js';
import { git, GitError, requireGit } from './git.js';

/**
 * What `vfio-fsm history` checks, read from the repository: the commits (or
 * tags) in order, each with the candidate files it has and their blob ids,
 * the state before the first, and what a reader should know (a shallow
 * clone, a tag that names no commit).
 */

export type Selection = { readonly kind: 'changes' | 'every'; readonly range: string | null } | { readonly kind: 'tags'; readonly pattern: string };

export interface Listing {
  readonly points: readonly Point[];
  readonly base: Base;
  readonly shallow: boolean;
  readonly notes: readonly string[];
  /** Every blob's size, from `cat-file --batch-check`: a blob over the input limit is refused unread. */
  readonly sizes: ReadonlyMap<string, number>;
}

/** Fails unless `dir` is a folder inside a git repository (VF501). */
export function requireRepository(dir: string): void {
  requireGit();
  if (!existsSync(dir)) throw new GitError('VF501', `${dir}: no such folder`);
  if (!statSync(dir).isDirectory()) throw new GitError('VF501', `${dir} is a file, not a folder of a git repository`);
  const r = git(dir, ['rev-parse', '--git-dir']);
  if (!r.ok) throw new GitError('VF501', `${dir} is not a git repository (${r.error})`);
}

/** A pathspec that means the path from the top of the tree, whatever folder of the work tree `dir` is. */
function top(path: string): string {
  return `:(top,literal)${path}`;
}

interface Meta {
  readonly commit: string;
  readonly date: string;
  readonly subject: string;
}

/** `git log -z --format=%H%x00%aI%x00%s`: three NUL-separated fields per commit. */
const FORMAT = '--format=%H%x00%aI%x00%s';

function parseLog(stdout: string): Meta[] {
  const fields = stdout.split('\0');
  const out: Meta[] = [];
  for (let i = 0; i + 2 < fields.length; i += 3) {
    const commit = fields[i]!.replace(/^\n/, '');
    if (commit) out.push({ commit, date: fields[i + 1]!, subject: fields[i + 2]! });
  }
  return out;
}

/** Tag names by the commit they point at (annotated tags peeled once), in version order. */
function tagsByCommit(dir: string): Map<string, string[]> {
  const r = git(dir, ['for-each-ref', '--sort=version:refname', '--format=%(refname:strip=2)%00%(objectname)%00%(*objectname)', 'refs/tags']);
  const map = new Map<string, string[]>();
  if (!r.ok) return map;
  for (const line of r.stdout.split('\n')) {
    const [name, id, peeled] = line.split('\0');
    if (!name || !id) continue;
    const commit = peeled || id;
    map.set(commit, [...(map.get(commit) ?? []), name]);
  }
  return map;
}

/** The commits the repository's shallow boundary lists (its `shallow` file), empty when it is whole. */
function shallowCommits(dir: string): { shallow: boolean; boundary: Set<string> } {
  const r = git(dir, ['rev-parse', '--is-shallow-repository']);
  if (!r.ok || r.stdout.trim() !== 'true') return { shallow: false, boundary: new Set() };
  const p = git(dir, ['rev-parse', '--git-path', 'shallow']).stdout.trim();
  const file = isAbsolute(p) ? p : join(dir, p);
  const ids = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  return { shallow: true, boundary: new Set(ids) };
}

function refuseOption(what: string, value: string): void {
  if (value.startsWith('-')) throw new GitError('VF502', `bad ${what} "${value}": it cannot start with "-"`);
}

export interface ListOptions {
  readonly selection: Selection;
  readonly paths: readonly string[];
  readonly maxCommits: number;
}

export async function listPoints(dir: string, options: ListOptions, check: CatFile): Promise<Listing> {
  const { selection, paths, maxCommits } = options;
  const tags = tagsByCommit(dir);
  const { shallow, boundary } = shallowCommits(dir);
  const notes: string[] = [];
  const sizes = new Map<string, number>();
  let metas: { meta: Meta; tag: string | null }[];

  if (selection.kind === 'tags') {
    refuseOption('tag pattern', selection.pattern);
    const r = git(dir, ['tag', '--list', '--sort=version:refname', '--format=%(refname:strip=2)', '--', selection.pattern]);
    if (!r.ok) throw new GitError('VF502', `bad tag pattern "${selection.pattern}": ${r.error}`);
    const names = r.stdout.split('\n').filter(Boolean);
    if (names.length === 0) throw new GitError('VF502', `no tag matches "${selection.pattern}"`);
    if (names.length > maxCommits) throw new GitError('VF506', `${names.length} tags match "${selection.pattern}", more than ${maxCommits} (--max-commits): narrow the pattern or raise the bound`);
    const peeled: { name: string; commit: string }[] = [];
    for (const name of names) {
      const info = await check.info(`refs/tags/${name}^{commit}`);
      if (info) peeled.push({ name, commit: info.id });
      else notes.push(`tag ${name} does not point at a commit; it is left out`);
    }
    const unique = [...new Set(peeled.map((p) => p.commit))];
    const log = git(dir, ['log', '--no-walk=unsorted', '--stdin', '-z', FORMAT], `${unique.join('\n')}\n`);
    if (!log.ok) throw new GitError('VF505', `git log cannot read the tagged commits: ${log.error}`);
    const byId = new Map(parseLog(log.stdout).map((m) => [m.commit, m]));
    metas = peeled.flatMap((p) => {
      const meta = byId.get(p.commit);
      return meta ? [{ meta, tag: p.name }] : [];
    });
  } else {
    const range = selection.range;
    if (range !== null) refuseOption('range', range);
    else if (!git(dir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).ok) throw new GitError('VF502', `${dir} has no commits (HEAD names none)`);
    const rev = range ?? 'HEAD';
    const args = ['log', '--topo-order', '--reverse', `--max-count=${maxCommits + 1}`, '-z', FORMAT, rev];
    const r = git(dir, selection.kind === 'changes' ? [...args, '--', ...paths.map(top)] : args);
    if (!r.ok) throw new GitError('VF502', `bad range "${rev}": ${r.error}`);
    const listed = parseLog(r.stdout);
    if (listed.length > maxCommits) throw new GitError('VF506', `${rev} has more than ${maxCommits} commits to check (--max-commits): narrow the range or raise the bound`);
    metas = listed.map((meta) => ({ meta, tag: null }));
  }

  const filesAt = async (commit: string): Promise<FileAt[]> => {
    const out: FileAt[] = [];
    for (const path of paths) {
      const info = await check.info(`${commit}:${path}`);
      if (info?.type !== 'blob') continue;
      sizes.set(info.id, info.size);
      out.push({ path, blob: info.id });
    }
    return out;
  };
  const points: Point[] = [];
  for (const { meta, tag } of metas) points.push({ ...meta, tags: tags.get(meta.commit) ?? [], tag, files: await filesAt(meta.commit) });

  if (shallow) {
    const at = [...boundary].map((id) => id.slice(0, 12)).sort();
    notes.push(`this is a shallow clone: its history stops at ${at.length ? at.join(', ') : 'a boundary'}; nothing older is in it, nor are the tags of older commits`);
  }
  let base: Base = { kind: 'unknown', why: 'it is the first tag checked' };
  const first = points[0];
  if (selection.kind !== 'tags' && first) {
    const parent = await check.info(`${first.commit}^1`);
    if (parent?.type === 'commit') {
      const log = git(dir, ['log', '-1', '-z', FORMAT, parent.id]);
      const meta = parseLog(log.stdout)[0] ?? { commit: parent.id, date: '', subject: '' };
      base = { kind: 'commit', point: { ...meta, tags: tags.get(parent.id) ?? [], tag: null, files: await filesAt(parent.id) } };
    } else if (boundary.has(first.commit)) base = { kind: 'unknown', why: 'it is the oldest commit of this shallow clone (the shallow boundary)' };
    else base = { kind: 'empty' };
  }
  return { points, base, shallow, notes, sizes };
}
