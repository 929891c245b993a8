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

function structured(file: FilePatch, hunks: readonly Hunk[]): StructuredPatch {
  return {
    oldFileName: file.oldName,
    newFileName: file.newName,
    oldHeader: undefined,
    newHeader: undefined,
    hunks: hunks.map((h) => {
      const lines = h.lines.map((l) => `${l.kind}${l.text}`);
      if (h.noNewline.old || h.noNewline.new) lines.push('\\ No newline at end of file');
      return { oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines, lines };
    }),
  };
}

export function applyFilePatches(base: string, files: readonly FilePatch[], baseName: string): Applied {
  let text = base;
  const alreadyApplied: FilePatch[] = [];
  for (const file of files) {
    const patch = structured(file, file.hunks);
    const whole = applyPatch(text, patch);
    if (whole !== false) {
      text = whole;
      continue;
    }
    if (applyPatch(text, reversePatch(patch)) !== false) {
      alreadyApplied.push(file);
      continue;
    }
    // Find the first hunk that does not fit, to point at it.
    let bad = file.hunks[file.hunks.length - 1]!;
    for (let k = 1; k <= file.hunks.length; k++) {
      if (applyPatch(text, structured(file, file.hunks.slice(0, k))) === false) {
        bad = file.hunks[k - 1]!;
        break;
      }
    }
    return { ok: false, span: bad.header, message: `this hunk of ${file.newName} does not apply to ${baseName}: its context or removed lines are not there` };
  }
  return { ok: true, text, alreadyApplied };
}
