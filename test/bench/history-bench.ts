// `vfio-fsm history` on a synthetic history of 200 commits, end to end: half
// of them change the function (so half are cross-checked), the other half
// change another function of the same file. Goal: under 10 s on the shared
// 2-core machine; the bench fails loudly when it is not met.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSyntheticRepo, hasGit } from '../support/history-repo.js';

const COMMITS = 200;
const GOAL_MS = 10_000;

export interface HistoryBench {
  readonly text: string;
  readonly missed: boolean;
}

export function benchHistory(): HistoryBench {
  if (!hasGit()) return { text: '(e) vfio-fsm history: skipped, git is not installed', missed: false };
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const cli = join(root, 'dist/src/cli/vfio-fsm.cjs');
  const dir = mkdtempSync(join(tmpdir(), 'vfio-fsm-history-bench-'));
  try {
    const built = performance.now();
    buildSyntheticRepo(dir, COMMITS);
    const buildMs = performance.now() - built;
    const t = performance.now();
    const r = spawnSync(process.execPath, [cli, 'history', dir, '--json'], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
    const ms = performance.now() - t;
    const stats = r.status === 0 || r.status === 1 ? (JSON.parse(r.stdout) as { stats: { points: number; kept: number; blobsRead: number; judged: number } }).stats : null;
    const missed = ms > GOAL_MS || stats === null;
    return {
      text: [
        `(e) vfio-fsm history on a synthetic history of ${COMMITS} commits (built in ${buildMs.toFixed(0)} ms), end to end`,
        `    ${ms.toFixed(0)} ms (goal < ${GOAL_MS} ms), exit ${r.status}${stats ? `: ${stats.points} commits listed, ${stats.kept} change the function, ${stats.blobsRead} blobs read, ${stats.judged} cross-checked` : `: ${r.stderr.trim()}`}${missed ? '  ** GOAL MISSED **' : ''}`,
      ].join('\n'),
      missed,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
