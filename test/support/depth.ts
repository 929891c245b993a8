/**
 * How hard the suite searches. `npm test` runs every property and fuzz test
 * at a tenth of its full count (still thousands of cases) so that the
 * default run stays under a minute on two cores; `npm run test:deep` sets
 * VFIO_FSM_DEEP=1 and runs the full counts. CI runs both.
 */
export const DEEP = process.env['VFIO_FSM_DEEP'] === '1';

/** The number of generated cases for a property whose full count is `full`. */
export function runs(full: number): number {
  return DEEP ? full : Math.max(1, Math.round(full / 10));
}

/** A seed for fast-check: VFIO_FSM_SEED replays a failing run; otherwise fast-check picks one and prints it on failure. */
export function seed(): { seed?: number } {
  const given = process.env['VFIO_FSM_SEED'];
  return given === undefined ? {} : { seed: Number(given) };
}

/**
 * A tenth of a list of cases outside `npm run test:deep` (every tenth, so
 * the same ones each run), plus every case `keep` says must always run; the
 * whole list under test:deep.
 */
export function sample<T>(cases: readonly T[], keep: (item: T) => boolean = () => false): T[] {
  return DEEP ? [...cases] : cases.filter((c, i) => i % 10 === 0 || keep(c));
}
