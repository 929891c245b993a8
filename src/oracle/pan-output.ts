/** What a run of pan (the verifier SPIN generates) printed about its search. */
export type PanSummary =
  | {
      readonly complete: true;
      readonly errors: number;
      readonly states: number;
      readonly depth: number;
      readonly vector: number;
      readonly seconds: number;
    }
  | { readonly complete: false; readonly reason: string };

/**
 * Reads pan's report. A search counts as complete only when pan printed its
 * summary and said nothing about a bound it hit: a truncated depth, the
 * memory limit or a too small state vector would leave violations unfound.
 */
export function parsePanOutput(text: string): PanSummary {
  if (/max search depth too small/.test(text)) return { complete: false, reason: 'pan hit its depth bound (-m): the search was cut short' };
  if (/MEMLIM|out of memory/i.test(text)) return { complete: false, reason: 'pan hit its memory bound (-DMEMLIM): the search was cut short' };
  if (/VECTORSZ/.test(text)) return { complete: false, reason: 'the state vector is larger than -DVECTORSZ' };
  const summary = /State-vector (\d+) byte, depth reached (\d+), errors: (\d+)/.exec(text);
  const stored = /(\d+) states, stored/.exec(text);
  if (!summary || !stored) return { complete: false, reason: 'pan printed no summary of its search' };
  const seconds = /pan: elapsed time ([\d.e+-]+) seconds/.exec(text);
  return {
    complete: true,
    vector: Number(summary[1]),
    depth: Number(summary[2]),
    errors: Number(summary[3]),
    states: Number(stored[1]),
    seconds: seconds ? Number(seconds[1]) : 0,
  };
}
