import { spawnSync } from 'node:child_process';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function timeOnce(args: string[]): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (r.error) throw r.error;
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/**
 * Wall time of `node <args>` against `node -e 0`, runs interleaved so that
 * load on the shared machine falls on both alike; the ratio is what counts.
 */
export function ratioToBareNode(args: string[], runs = 15): { command: number; bare: number; ratio: number; exitCode: number | null } {
  const probe = spawnSync(process.execPath, args, { stdio: 'ignore' });
  const command: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(timeOnce(['-e', '0']));
    command.push(timeOnce(args));
  }
  const c = median(command);
  const b = median(bare);
  return { command: c, bare: b, ratio: c / b, exitCode: probe.status };
}
