// The built CLI as a user runs it (package.json's bin): built when missing
// or older than its sources, and run as a separate node process.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './spec-text.js';

/** The command as installed: the launcher of the bundled program. */
export const CLI = join(ROOT, 'dist/src/cli/vfio-fsm.cjs');
/** The build's last step writes what the launcher reads, so it is the build's time stamp. */
export const BUILD_STAMP = join(ROOT, 'dist/src/cli/launch.json');

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), st.mtimeMs);
}

/** Builds dist/ only when it is missing or older than a source it is built from: a build costs seconds. */
export function ensureBuilt(): void {
  const inputs = ['src', 'package.json', 'tsconfig.json', 'tsconfig.build.json'].map((p) => join(ROOT, p));
  if (existsSync(CLI) && existsSync(BUILD_STAMP) && statSync(BUILD_STAMP).mtimeMs >= Math.max(...inputs.map(newestMtime))) return;
  // Once more on failure: another build of the same tree (an editor's, or a
  // second test run's) may have been rewriting dist/ at the same moment.
  let build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
}

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment a user's shell would give: colour neither forced nor refused. */
export function plainEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['NO_COLOR'];
  delete env['FORCE_COLOR'];
  return env;
}

/** Runs `vfio-fsm args...` from the project root, with a plain environment and `env` over it. */
export function vfio(args: readonly string[], env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...plainEnv(), ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
