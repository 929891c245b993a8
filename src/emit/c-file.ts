import type { CheckResult } from '../analysis/check.js';
import type { Model } from '../model/model.js';
import { cCommentLines } from './c-comment.js';
import { cFunctionParts } from './c-function.js';
import { blockComment, cSpelling } from './c-names.js';
import { cFlagsTable, cTable } from './c-table.js';
import type { FlagSetFacts } from './facts.js';
import { headerText } from './header.js';

/** Lookups that read a per-state table of needed flags. */
function hasFlagsTable(model: Model): boolean {
  return model.lookup.variant === 'linux-5.18' || model.lookup.variant === 'linux-7.2';
}

/**
 * The whole lookup function in kernel style, ready to replace the one in
 * drivers/vfio: kernel-doc, signature, the dimension, the comment, the table,
 * the flags table where the era has one, and the statements of the era's loop.
 */
export function emitC(model: Model, result: CheckResult, facts: readonly FlagSetFacts[]): string {
  const c = cSpelling(model);
  const fn = cFunctionParts(model, c);
  const body: string[] = [
    `\tenum { ${c.dimension} = ${c.lastState} + 1 };`,
    blockComment(cCommentLines(model, facts)),
    cTable(model, result.table, c),
  ];
  if (hasFlagsTable(model)) body.push('', cFlagsTable(model, c));
  if (fn.locals.length) body.push('', ...fn.locals);
  body.push('', ...fn.statements);
  const doc = ['/**', ...fn.doc.map((l) => (l === '' ? ' *' : ` * ${l}`)), ' */'];
  return [`/* ${headerText(model.file)} */`, '', ...doc, fn.signature, '{', ...body, '}', `EXPORT_SYMBOL_GPL(${model.c.function});`, ''].join('\n');
}
