// vitest globalSetup: the built CLI, which the tests spawn, keeps its cache
// (validated specs, V8's code, kernel reports, generated files) in a folder
// of this test run's own, empty when the run starts and removed when it
// ends. So no test reads what another run (or the user's own commands) left
// behind, and the spawned commands meet the cache both ways: the first run
// of a command fills it, the next ones read it, under the same assertions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const home = mkdtempSync(join(tmpdir(), 'vfio-fsm-test-cache-'));
  process.env['XDG_CACHE_HOME'] = home;
  delete process.env['VFIO_FSM_NO_CACHE'];
  return () => rmSync(home, { recursive: true, force: true });
}
