// Builds git repositories for `vfio-fsm history` from the fixtures under
// test/fixtures/history/ exactly as its README says (each step's folder is
// the whole tree at that commit), and the synthetic history of the bench.
// Run as a script, it builds the fixture repository into the folder given:
//   node dist/test/support/history-repo.js /tmp/vfio-history
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Person {
  readonly name: string;
  readonly email: string;
}

export interface Step {
  readonly dir: string;
  readonly subject: string;
  readonly body: string;
  readonly author: Person;
  readonly date: string;
  readonly tags: readonly string[];
  readonly files: readonly string[];
  readonly function: { readonly path: string | null; readonly line: number | null; readonly text: string };
  readonly expected: { readonly era: string | null; readonly verdict: string; readonly exitCode: number };
}

export interface StepsFile {
  readonly committer: Person;
  readonly steps: readonly Step[];
  readonly expected: {
    readonly releases: readonly { tag: string; step: string; path: string; line: number; era: string; verdict: string }[];
    readonly textRuns: readonly (readonly string[])[];
    readonly verdictRuns: readonly { steps: readonly string[]; era: string | null; verdict: string }[];
  };
}

/** The repository's root: the folder holding package.json, from the sources or the build. */
function root(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8 && !existsSync(join(dir, 'package.json')); i++) dir = dirname(dir);
  return dir;
}

export const HISTORY_FIXTURES = join(root(), 'test/fixtures/history');

export function readSteps(): StepsFile {
  return JSON.parse(readFileSync(join(HISTORY_FIXTURES, 'steps.json'), 'utf8')) as StepsFile;
}

/** git with nothing of the machine's configuration that could change the result. */
export function gitIn(dir: string, args: readonly string[], env: Record<string, string> = {}, input?: string): string {
  const r = spawnSync('git', ['-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', '-c', 'core.autocrlf=false', ...args], {
    cwd: dir,
    encoding: 'utf8',
    input,
    timeout: 60_000,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LC_ALL: 'C', ...env },
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} in ${dir}: ${r.stderr}`);
  return r.stdout;
}

export function hasGit(): boolean {
  return !spawnSync('git', ['--version']).error;
}

function clearTree(dir: string): void {
  for (const entry of readdirSync(dir)) if (entry !== '.git') rmSync(join(dir, entry), { recursive: true, force: true });
}

/**
 * The fixture repository in `target` (created), steps oldest first; `only`
 * keeps the steps it names, `edit` changes a step's tree after copying it.
 * Returns each step's commit id.
 */
export function buildFixtureRepo(target: string, options: { only?: readonly string[]; edit?: (dir: string, tree: string) => void } = {}): Map<string, string> {
  const { committer, steps } = readSteps();
  mkdirSync(target, { recursive: true });
  gitIn(target, ['init', '-q', '-b', 'master', '.']);
  const ids = new Map<string, string>();
  for (const step of steps) {
    if (options.only && !options.only.includes(step.dir)) continue;
    clearTree(target);
    cpSync(join(HISTORY_FIXTURES, 'steps', step.dir), target, { recursive: true });
    options.edit?.(step.dir, target);
    gitIn(target, ['add', '-A']);
    gitIn(target, ['commit', '-q', '--allow-empty', '-F', '-'], {
      GIT_AUTHOR_NAME: step.author.name,
      GIT_AUTHOR_EMAIL: step.author.email,
      GIT_AUTHOR_DATE: step.date,
      GIT_COMMITTER_NAME: committer.name,
      GIT_COMMITTER_EMAIL: committer.email,
      GIT_COMMITTER_DATE: step.date,
    }, `${step.subject}\n\n${step.body}\n`);
    for (const tag of step.tags) gitIn(target, ['tag', tag]);
    ids.set(step.dir, gitIn(target, ['rev-parse', 'HEAD']).trim());
  }
  return ids;
}

/**
 * A synthetic history of `commits` commits for the bench, written with one
 * `git fast-import`: edits of the function (its table comment, and every
 * tenth one the loop, between the 6.2 loop and the fixed one) alternate with
 * edits of another function of the same file, so that every blob differs
 * but only half of the commits change the function.
 */
export function buildSyntheticRepo(target: string, commits: number): void {
  const fixed = readFileSync(join(HISTORY_FIXTURES, 'steps/11-loop-fix/drivers/vfio/vfio_main.c'), 'utf8');
  const broken = readFileSync(join(HISTORY_FIXTURES, 'steps/10-makefile-objects/drivers/vfio/vfio_main.c'), 'utf8');
  const makefile = readFileSync(join(HISTORY_FIXTURES, 'steps/11-loop-fix/drivers/vfio/Makefile'), 'utf8');
  const anchor = 'Each cell holds the first arc';
  const unrelated = 'if (argsz < minsz)';
  for (const [name, text] of [['fixed', fixed], ['broken', broken]] as const) {
    if (!text.includes(anchor) || !text.includes(unrelated)) throw new Error(`the ${name} fixture lacks the text the bench edits`);
  }
  mkdirSync(target, { recursive: true });
  gitIn(target, ['init', '-q', '-b', 'master', '.']);
  const chunks: string[] = [];
  const data = (text: string): string => `data ${Buffer.byteLength(text)}\n${text}\n`;
  let functionEdits = 0;
  let otherEdits = 0;
  for (let i = 1; i <= commits; i++) {
    const changesFunction = i % 2 === 1;
    if (changesFunction) functionEdits++;
    else otherEdits++;
    const base = Math.floor(functionEdits / 10) % 2 === 0 ? broken : fixed;
    const text = base
      .replace(anchor, `${anchor} (revision ${functionEdits})`)
      .replace(unrelated, `if (argsz < minsz + ${otherEdits} - ${otherEdits})`);
    const when = 1_650_000_000 + i * 3600;
    const subject = changesFunction ? `vfio: reword the table comment, revision ${functionEdits}` : `vfio: touch the feature helper, revision ${otherEdits}`;
    chunks.push(
      'commit refs/heads/master\n',
      `mark :${i}\n`,
      `author Bench Author <bench@example.invalid> ${when} +0000\n`,
      `committer Bench Committer <bench@example.invalid> ${when} +0000\n`,
      data(`${subject}\n`),
      i > 1 ? `from :${i - 1}\n` : '',
      'M 100644 inline drivers/vfio/vfio_main.c\n',
      data(text),
      'M 100644 inline drivers/vfio/Makefile\n',
      data(makefile),
      '\n',
    );
  }
  gitIn(target, ['fast-import', '--quiet'], {}, chunks.join(''));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const target = process.argv[2];
  if (!target) {
    console.error('usage: node dist/test/support/history-repo.js <new folder>');
    process.exit(2);
  }
  if (existsSync(target) && readdirSync(target).length) {
    console.error(`${target} is not empty; give a new folder`);
    process.exit(2);
  }
  buildFixtureRepo(target);
  console.log(`built the history fixture repository in ${target}`);
}
