import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { childProcesses } from './builtin.js';
import type { Code } from '../diagnostics/codes.js';

/**
 * The little of git that `vfio-fsm history` needs, through the system
 * `git`: one-shot commands (bounded in time and output) and a long-lived
 * `git cat-file` process that answers object after object, so that a
 * hundred commits cost one process, not a hundred.
 */

/** A failure to report in one line with its code: no git, not a repository, a bad range, git failing. */
export class GitError extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
  }
}

/** Each git command and each answer of cat-file gets this long. */
export const GIT_TIMEOUT_MS = 60_000;
/** Output kept from one command: listing a whole kernel's commits stays far below. */
const MAX_OUTPUT = 64 * 2 ** 20;

/**
 * The environment git runs in: no prompt for credentials, no lock taken
 * for a read, messages in English (they are quoted in ours).
 */
function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C', LANGUAGE: '' };
}

/** Settings that would change the output this reads: signatures in logs, quoted paths, colour. */
const CONFIG = ['-c', 'log.showSignature=false', '-c', 'core.quotePath=false', '-c', 'color.ui=false', '-c', 'versionsort.suffix=-rc'];

function firstLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => l.startsWith('fatal:') || l.startsWith('error:')) ?? lines[0] ?? '';
}

/** Fails with VF500 when there is no `git` to run. */
export function requireGit(): void {
  const r = childProcesses().spawnSync('git', ['--version'], { env: gitEnv(), encoding: 'utf8', timeout: GIT_TIMEOUT_MS });
  const code = (r.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') throw new GitError('VF500', 'git is not installed or not on PATH; history reads the repository with it');
  if (r.error || r.status !== 0) throw new GitError('VF500', `git cannot be run: ${r.error?.message ?? firstLine(r.stderr)}`);
}

export interface GitResult {
  readonly ok: boolean;
  readonly stdout: string;
  /** The line of git's error output that says what went wrong. */
  readonly error: string;
}

/** One git command in `dir`; never throws for git's own failure (the caller words it), only for a time-out. */
export function git(dir: string, args: readonly string[], input?: string): GitResult {
  const r = childProcesses().spawnSync('git', ['-C', dir, ...CONFIG, ...args], { env: gitEnv(), encoding: 'utf8', input, timeout: GIT_TIMEOUT_MS, maxBuffer: MAX_OUTPUT });
  const e = r.error as NodeJS.ErrnoException | undefined;
  if (e?.code === 'ETIMEDOUT') throw new GitError('VF505', `git ${args[0]} did not finish within ${GIT_TIMEOUT_MS / 1000} s`);
  if (e?.code === 'ENOBUFS') throw new GitError('VF505', `git ${args[0]} wrote more than ${MAX_OUTPUT / 2 ** 20} MiB`);
  if (e) throw new GitError('VF505', `git ${args[0]} cannot be run: ${e.message}`);
  return { ok: r.status === 0, stdout: r.stdout, error: firstLine(r.stderr) };
}

/** What `git cat-file --batch-check` says of one name: its id, type and size, or null when there is no such object. */
export interface ObjectInfo {
  readonly id: string;
  readonly type: string;
  readonly size: number;
}

/**
 * A long-lived `git cat-file --batch` (or `--batch-check`): one request at
 * a time, each answered within GIT_TIMEOUT_MS or the process is killed.
 */
export class CatFile {
  private readonly child: ChildProcessWithoutNullStreams;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private wake: (() => void) | null = null;
  private failure: GitError | null = null;
  private stderr = '';

  constructor(
    dir: string,
    private readonly mode: '--batch' | '--batch-check',
  ) {
    this.child = childProcesses().spawn('git', ['-C', dir, ...CONFIG, 'cat-file', mode], { env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (b: Buffer) => {
      this.chunks.push(b);
      this.buffered += b.length;
      this.notify();
    });
    this.child.stderr.on('data', (b: Buffer) => {
      if (this.stderr.length < 4096) this.stderr += b.toString('utf8');
    });
    const fail = (message: string): void => {
      this.failure ??= new GitError('VF505', message);
      this.notify();
    };
    this.child.on('error', (e) => fail(`git cat-file cannot be run: ${e.message}`));
    this.child.on('close', () => fail(`git cat-file ${mode} stopped${this.stderr ? `: ${firstLine(this.stderr)}` : ''}`));
    // Writing to a git that has stopped fails with EPIPE; the 'close' that follows says why, with git's own message.
    this.child.stdin.on('error', () => undefined);
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** Waits, within the time bound, until `ready()` holds or the process fails. */
  private async until(ready: () => boolean): Promise<void> {
    const deadline = Date.now() + GIT_TIMEOUT_MS;
    while (!ready()) {
      if (this.failure) throw this.failure;
      const left = deadline - Date.now();
      if (left <= 0) {
        this.child.kill('SIGKILL');
        throw new GitError('VF505', `git cat-file ${this.mode} did not answer within ${GIT_TIMEOUT_MS / 1000} s`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private joined(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private take(n: number): Buffer {
    const all = this.joined();
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
    return out;
  }

  private async line(): Promise<string> {
    let nl = -1;
    await this.until(() => (nl = this.chunks.length ? this.joined().indexOf(10) : -1) >= 0);
    return this.take(nl + 1).toString('utf8').slice(0, -1);
  }

  private async bytes(n: number): Promise<Buffer> {
    await this.until(() => this.buffered >= n);
    return this.take(n);
  }

  private send(name: string): void {
    if (this.failure) throw this.failure;
    if (/[\n\r]/.test(name)) throw new GitError('VF502', `not an object name: ${JSON.stringify(name)}`);
    this.child.stdin.write(`${name}\n`);
  }

  /** The object a name (`rev:path`, `tag^{commit}`, an id) stands for, or null when there is none. */
  async info(name: string): Promise<ObjectInfo | null> {
    this.send(name);
    return parseHeader(await this.line());
  }

  /** An object's contents (with --batch), or null when there is none. */
  async contents(name: string): Promise<{ info: ObjectInfo; bytes: Buffer } | null> {
    this.send(name);
    const info = parseHeader(await this.line());
    if (!info) return null;
    const bytes = await this.bytes(info.size + 1);
    return { info, bytes: bytes.subarray(0, info.size) };
  }

  close(): void {
    this.child.stdin.end();
    // It ends when its input does; this only stops one that hangs from keeping the process alive.
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    timer.unref();
    this.child.once('close', () => clearTimeout(timer));
    this.child.unref();
  }
}

/** `<id> <type> <size>`, or `<name> missing` / `ambiguous` (null). */
function parseHeader(line: string): ObjectInfo | null {
  const m = /^([0-9a-f]{40,64}) (\S+) (\d+)$/.exec(line);
  if (!m) return null;
  return { id: m[1]!, type: m[2]!, size: Number(m[3]) };
}
