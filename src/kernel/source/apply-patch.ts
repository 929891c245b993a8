import type { StructuredPatch } from 'diff';
import { applyPatch, reversePatch } from 'diff';
import type { Span } from '../../common/source.js';
import type { FilePatch, Hunk } from './patch.js';

/**
 * Applies file patches to a base text with jsdiff, exactly (no fuzz): a
 * review wants to know when a patch does not fit the tree it is checked
 * against. When a patch does not apply but applies in reverse (its added
 * lines are there and its removed lines are not), it is taken to be in the
 * base already, as `patch` would suggest, and the base is kept as it is. On
 * failure, says which hunk did not fit.
 */
export type Applied =
  | { ok: true; text: string; alreadyApplied: readonly FilePatch[] }
  | { ok: false; span: Span; message: string };

/**
 * `lineCount` is the number of lines of the text the hunks apply to. jsdiff
 * looks for a hunk at every line outward from its header's line, one line
 * at a time, so a header that claims line 99999999 of a 300-line file
 * costs a hundred million tries: a start past the end is taken as the end,
 * where that search would first have found a line to try anyway. The new
 * start too: reversePatch makes it the start searched from, when the patch
 * is tried as already applied.
 */
function structured(file: FilePatch, hunks: readonly Hunk[], lineCount: number): StructuredPatch {
  return {
    oldFileName: file.oldName,
    newFileName: file.newName,
    oldHeader: undefined,
    newHeader: undefined,
    hunks: hunks.map((h) => {
      const lines = h.lines.map((l) => `${l.kind}${l.text}`);
      if (h.noNewline.old || h.noNewline.new) lines.push('\\ No newline at end of file');
      return { oldStart: Math.min(h.oldStart, lineCount + 1), oldLines: h.oldLines, newStart: Math.min(h.newStart, lineCount + 1), newLines: h.newLines, lines };
    }),
  };
}

function lineCountOf(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export function applyFilePatches(base: string, files: readonly FilePatch[], baseName: string): Applied {
  let text = base;
  const alreadyApplied: FilePatch[] = [];
  for (const file of files) {
    const lineCount = lineCountOf(text);
    const patch = structured(file, file.hunks, lineCount);
    const whole = applyPatch(text, patch);
    if (whole !== false) {
      text = whole;
      continue;
    }
    if (applyPatch(text, reversePatch(patch)) !== false) {
      alreadyApplied.push(file);
      continue;
    }
    // Find the first hunk that does not fit, to point at it: the shortest
    // failing run of hunks from the first, by halving (a run that fails
    // still fails with more hunks after it).
    let lo = 1;
    let hi = file.hunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (applyPatch(text, structured(file, file.hunks.slice(0, mid), lineCount)) === false) hi = mid;
      else lo = mid + 1;
    }
    const bad = file.hunks[lo - 1]!;
    return { ok: false, span: bad.header, message: `this hunk of ${file.newName} does not apply to ${baseName}: its context or removed lines are not there` };
  }
  return { ok: true, text, alreadyApplied };
}
