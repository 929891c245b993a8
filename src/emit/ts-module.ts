import { EmitError } from './emit-error.js';
import type { CheckResult } from '../analysis/check.js';
import type { KernelTable } from '../analysis/kernel-table.js';
import { cell } from '../analysis/kernel-table.js';
import { REFUSED_CURRENT, REFUSED_RANGE, REFUSED_SINK, REFUSED_TARGET, describeOutcome } from '../analysis/lookup.js';
import type { Model } from '../model/model.js';
import { conditionText, flagNames } from '../model/model.js';
import { andList } from './facts.js';
import { headerText } from './header.js';
import {
  CYCLE_BODY,
  EXISTS_BODY,
  IN_TABLE_BODY,
  INTERIOR_BODY,
  SKIP_BODY,
  SUPPORTED_BODY,
  finishBody,
  nextStepBody,
  pathBody,
  requiredArcsBody,
  successorsBody,
} from './ts-runtime.js';
import type { Reasons } from './ts-runtime.js';

/** Names the module itself exports or declares; the spec's type names must differ from them. */
const FIXED_NAMES = [
  'stateNames',
  'lookupVariant',
  'requiredFlags',
  'nextStepTable',
  'NextStep',
  'nextStep',
  'PathResult',
  'path',
  'supportedStates',
  'requiredArcs',
  'SINK',
  'STATE_COUNT',
  'STATES',
  'MANDATORY',
  'ASSUMES',
  'ARCS',
  'BLOCKED',
  'INTERIOR',
  'inTable',
  'finish',
  'skip',
  'cycleFrom',
  'exists',
  'successors',
  'interiorAllowed',
];

/** The checker's words for each refusal, taken from it so the two never drift apart. */
function reasons(table: KernelTable): Reasons {
  const say = (code: number): string => {
    const o = describeOutcome(table, code, 0, 0);
    if (o.kind !== 'refused') throw new Error(`outcome code ${code} is not a refusal`);
    return o.reason;
  };
  return { range: say(REFUSED_RANGE), current: say(REFUSED_CURRENT), target: say(REFUSED_TARGET), sink: say(REFUSED_SINK) };
}

/** A spec whose names cannot make a valid module: reported, never emitted. */

const hex = (n: number): string => `0x${n.toString(16)}`;

/** Doc comment text broken into lines of at most 90 characters. */
function doc(text: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > 90) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/**
 * A property name for an object literal: a plain name where that means the
 * property, a quoted one where it would mean something else.
 */
const key = (name: string): string => (name === '__proto__' ? `['__proto__']` : name);

/**
 * The dependency-free TypeScript module: states and flags with their values,
 * the tables, and the lookup and path functions of the spec. Built as a syntax
 * tree with ts-morph and printed with prettier; both are loaded here, on
 * first use, so that commands which emit no TypeScript never load them.
 */
export async function emitTsModule(model: Model, result: CheckResult): Promise<string> {
  const S = model.ts.stateType;
  const F = model.ts.flagType;
  for (const name of [S, F]) {
    if (FIXED_NAMES.includes(name)) throw new EmitError(`${model.file}: the TypeScript type name \`${name}\` is a name the generated module already uses; choose another in \`emit ts\``);
  }
  if (S === F) throw new EmitError(`${model.file}: the TypeScript state type and flag type are both \`${S}\`; give them different names in \`emit ts\``);

  const [{ Project, VariableDeclarationKind }, prettier] = await Promise.all([import('ts-morph'), import('prettier')]);
  const project = new Project({ useInMemoryFileSystem: true });
  const file = project.createSourceFile('module.ts', '');
  const n = model.states.length;
  const sink = model.states[model.sink]!;
  const variant = model.lookup.variant;
  const why = reasons(result.table);
  const exported = (name: string, type: string | undefined, initializer: string, text: string): void => {
    file.addVariableStatement({ isExported: true, declarationKind: VariableDeclarationKind.Const, docs: [doc(text)], declarations: [{ name, type, initializer }] });
  };
  const internal = (name: string, type: string | undefined, initializer: string, text: string): void => {
    file.addVariableStatement({ declarationKind: VariableDeclarationKind.Const, docs: [doc(text)], declarations: [{ name, type, initializer }] });
  };

  exported(S, undefined, `{ ${model.states.map((s) => `${key(s.name)}: ${s.value}`).join(', ')} } as const`, `The states of the ${model.machine} machine, by name, with their uapi values.`);
  file.addTypeAlias({ isExported: true, name: S, type: `(typeof ${S})[keyof typeof ${S}]`, docs: [doc('A state, as its uapi value.')] });
  exported(
    F,
    undefined,
    `{ ${model.flags.map((f) => `${key(f.name)}: ${hex(f.bit)}`).join(', ')} } as const`,
    `The feature flags a device advertises, by name, with their bits in its flags word. Without ${model.mandatory.name} a device has no migration states.`,
  );
  file.addTypeAlias({ isExported: true, name: F, type: `(typeof ${F})[keyof typeof ${F}]`, docs: [doc('A flag, as its bit.')] });
  exported('stateNames', `readonly (keyof typeof ${S})[]`, `[${model.states.map((s) => `'${s.name}'`).join(', ')}]`, 'State names, indexed by state value.');
  exported('lookupVariant', undefined, `'${variant}'`, `The lookup algorithm \`nextStep\` follows, as the spec names it.`);
  exported(
    'requiredFlags',
    'readonly number[]',
    `[${model.states.map((s) => hex(s.needs)).join(', ')}]`,
    `The flags each state needs to exist on a device, indexed by state value. The sink, ${sink.name}, needs none: any device can end up in it.`,
  );
  const rows = model.states.map((row) => `/* ${row.name} */ [${model.states.map((col) => cell(result.table, row.value, col.value)).join(', ')}]`);
  exported(
    'nextStepTable',
    `readonly (readonly ${S}[])[]`,
    `[\n${rows.join(',\n')}\n]`,
    `The lookup's table, indexed [current][target] by state value: the first step of the path the spec selects when every flag is set. A refused request holds the sink, ${sink.name}; the diagonal holds the state itself.`,
  );

  internal('SINK', S, String(model.sink), 'The sink: only a device reset leaves it.');
  internal('STATE_COUNT', undefined, String(n), 'How many states the tables have.');
  internal('STATES', `readonly ${S}[]`, `Object.values(${S})`, 'Every state value, ascending.');
  if (variant === 'seed-v6') internal('MANDATORY', undefined, hex(model.mandatory.bit), `The mandatory flag, ${model.mandatory.name}.`);
  const assumes = flagNames(model, model.lookup.assumes);
  internal('ASSUMES', undefined, hex(model.lookup.assumes), assumes.length ? `Flags the caller guarantees before it asks at all: ${andList(assumes)}.` : 'The caller asks whatever the flags.');
  const arcs = model.arcs.map((a) => `[${a.from}, ${a.to}, ${hex(a.when.require)}, ${hex(a.when.forbid)}]${conditionText(model, a.when) ? ` /* when ${conditionText(model, a.when)} */` : ''}`);
  internal('ARCS', `readonly (readonly [${S}, ${S}, number, number])[]`, `[\n${arcs.join(',\n')}\n]`, "The spec's arcs: from, to, the flags the arc requires, the flags it forbids.");
  internal('BLOCKED', `readonly (readonly [${S}, ${S}])[]`, `[${model.blocked.map((b) => `[${b.from}, ${b.to}]`).join(', ')}]`, 'Requests the spec refuses although both states exist.');
  const rules = model.interior.map((r) => `{ members: [${model.groups[r.group]!.members.join(', ')}], mode: '${r.mode}' } /* ${model.groups[r.group]!.name} */`);
  internal(
    'INTERIOR',
    `readonly { readonly members: readonly ${S}[]; readonly mode: 'never' | 'only-within' }[]`,
    `[${rules.join(', ')}]`,
    "The spec's interior rules: a member of the group may be an interior state of a path never, or only when both ends of the path are members too.",
  );

  file.addTypeAlias({
    isExported: true,
    name: 'NextStep',
    type: `| { readonly kind: 'next'; readonly state: ${S} } | { readonly kind: 'refused'; readonly reason: string } | { readonly kind: 'diverges'; readonly cycle: readonly ${S}[] }`,
    docs: [doc("What one call of the lookup answers: the next state, a refusal with its reason, or -- when the table sends the lookup's loop round forever -- the states it goes round.")],
  });
  file.addFunction({
    name: 'inTable',
    parameters: [{ name: 'value', type: 'number' }],
    returnType: `value is ${S}`,
    statements: IN_TABLE_BODY,
    docs: [doc('Is `value` a state value the tables have a row for?')],
  });
  file.addFunction({ name: 'finish', parameters: [{ name: 'next', type: S }], returnType: 'NextStep', statements: finishBody(why), docs: [doc('The answer for the state the lookup settled on: the sink means a refusal.')] });
  if (variant !== 'v2') {
    file.addFunction({
      name: 'skip',
      parameters: [
        { name: 'current', type: S },
        { name: 'target', type: S },
        { name: 'unusable', type: `(state: ${S}) => boolean` },
      ],
      returnType: 'NextStep',
      statements: SKIP_BODY,
      docs: [doc("Reads the table, then keeps reading from the answer while it is a state the device cannot use: the lookup's loop, bounded.")],
    });
    file.addFunction({
      name: 'cycleFrom',
      parameters: [
        { name: 'start', type: S },
        { name: 'target', type: S },
      ],
      returnType: `${S}[]`,
      statements: CYCLE_BODY,
      docs: [doc('The states the loop goes round, from one state on the cycle.')],
    });
  }
  file.addFunction({
    isExported: true,
    name: 'nextStep',
    parameters: [
      { name: 'current', type: 'number' },
      { name: 'target', type: 'number' },
      { name: 'flags', type: 'number' },
    ],
    returnType: 'NextStep',
    statements: nextStepBody(variant, S, why),
    docs: [
      {
        description: doc(`One call of the kernel's lookup as the ${variant} era runs it: the next state a device with \`flags\` moves to on its way from \`current\` to \`target\`. Any number is accepted: values outside the table are refused, and flag bits the spec does not declare change nothing.`),
        tags: [
          { tagName: 'param', text: 'current - the state the device is in' },
          { tagName: 'param', text: 'target - the state asked for' },
          { tagName: 'param', text: "flags - the device's flags word" },
        ],
      },
    ],
  });

  file.addFunction({ name: 'exists', parameters: [{ name: 'state', type: S }, { name: 'flags', type: 'number' }], returnType: 'boolean', statements: EXISTS_BODY, docs: [doc('Does `state` exist on a device with `flags`? The sink always does.')] });
  file.addFunction({ name: 'successors', parameters: [{ name: 'flags', type: 'number' }], returnType: `${S}[][]`, statements: successorsBody(S), docs: [doc('The arcs that exist under `flags`, as successor lists indexed by state value.')] });
  file.addFunction({
    name: 'interiorAllowed',
    parameters: [
      { name: 'state', type: S },
      { name: 'current', type: S },
      { name: 'target', type: S },
    ],
    returnType: 'boolean',
    statements: INTERIOR_BODY,
    docs: [doc('May `state` be an interior state of a path from `current` to `target`?')],
  });
  file.addTypeAlias({
    isExported: true,
    name: 'PathResult',
    type: `| { readonly kind: 'path'; readonly path: readonly ${S}[] } | { readonly kind: 'refused'; readonly reason: 'sink' | 'unsupported' | 'blocked' } | { readonly kind: 'unreachable' } | { readonly kind: 'ambiguous' }`,
    docs: [
      doc("The path the spec selects for a request: the states from `current` to `target`, or a refusal (the request involves the sink, a state the device lacks or a value outside the table, or a blocked pair). 'unreachable' and 'ambiguous' say that no path, or more than one shortest path, obeys the rules; a spec that passes `vfio-fsm check` has neither."),
    ],
  });
  file.addFunction({
    isExported: true,
    name: 'path',
    parameters: [
      { name: 'current', type: 'number' },
      { name: 'target', type: 'number' },
      { name: 'flags', type: 'number' },
    ],
    returnType: 'PathResult',
    statements: pathBody(S),
    docs: [
      {
        description: doc("The path the spec selects from `current` to `target` for a device with `flags`: the shortest over the arcs that exist under the flags, with interior states only where the interior rules allow them. Calling `nextStep` from each state reached walks the same path."),
        tags: [
          { tagName: 'param', text: 'current - the state the device is in' },
          { tagName: 'param', text: 'target - the state asked for' },
          { tagName: 'param', text: "flags - the device's flags word" },
        ],
      },
    ],
  });
  file.addFunction({
    isExported: true,
    name: 'supportedStates',
    parameters: [{ name: 'flags', type: 'number' }],
    returnType: `${S}[]`,
    statements: SUPPORTED_BODY,
    docs: [doc(`The states a device with \`flags\` can be asked for, ascending; the sink, ${sink.name}, is never among them.`)],
  });
  file.addFunction({
    isExported: true,
    name: 'requiredArcs',
    parameters: [{ name: 'flags', type: 'number' }],
    returnType: `(readonly [${S}, ${S}])[]`,
    statements: requiredArcsBody(S),
    docs: [
      doc(`The arcs a driver for a device with \`flags\` must implement: every arc of every path \`path\` selects, as [from, to] pairs sorted by value. Empty when the caller never asks on behalf of such a device${assumes.length ? ` (it requires ${andList(assumes)})` : ''}.`),
    ],
  });

  // ts-morph puts declarations on consecutive lines; a blank line before each doc comment separates them.
  const body = file.getFullText().replace(/([^\n])\n\/\*\*/g, '$1\n\n/**');
  const text = `// ${headerText(model.file)}\n\n${body}`;
  return prettier.format(text, { parser: 'typescript', printWidth: 100, singleQuote: true, trailingComma: 'all' });
}
