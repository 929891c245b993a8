import type { JSDocStructure, OptionalKind, ParameterDeclarationStructure, StatementStructures } from 'ts-morph';
import type { CheckResult } from '../analysis/check.js';
import { cell } from '../analysis/kernel-table.js';
import type { Model } from '../model/model.js';
import { conditionText, flagNames } from '../model/model.js';
import { EmitError } from './emit-error.js';
import { andList } from './facts.js';
import { headerText } from './header.js';
import {
  CYCLE_BODY,
  REFUSALS,
  EXISTS_BODY,
  FINISH_BODY,
  IN_TABLE_BODY,
  INTERIOR_BODY,
  IS_BLOCKED_BODY,
  SKIP_BODY,
  SUPPORTED_BODY,
  TO_STATE_BODY,
  nextStepBody,
  pathBody,
  requiredArcsBody,
  successorsBody,
} from './ts-runtime.js';

/** Names the module itself exports, declares or reads; the spec's type names must differ from them. */
const FIXED_NAMES = [
  'PerState',
  'Entry',
  'K',
  'Refusal',
  'StateOrRefusal',
  'toState',
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
  'isBlocked',
  // Globals its code reads, which a type (and const) of the same name would hide.
  'Object',
  'Number',
  'Math',
  'Map',
  'Exclude',
];

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

/** A JSDoc comment as text, for places ts-morph's docs do not reach (members of a union). */
const jsDoc = (text: string): string => `/**\n${doc(text).replace(/^/gm, ' * ')}\n */`;

/** The refusal union: one member a line, each under its meaning. */
const refusalType = (sink: string): string => REFUSALS.map(([word, meaning]) => `\n${jsDoc(meaning(sink))}\n| '${word}'`).join('');

/**
 * A property name for an object literal: a plain name where that means the
 * property, a quoted one where it would mean something else.
 */
const key = (name: string): string => (name === '__proto__' ? `['__proto__']` : name);

/** The @param tags of the functions that take a request. */
const REQUEST_TAGS = [
  { tagName: 'param', text: 'current - the state the device is in' },
  { tagName: 'param', text: 'target - the state asked for' },
  { tagName: 'param', text: "flags - the device's flags word; bits the spec does not declare change nothing" },
];

/**
 * The dependency-free TypeScript module: states and flags with their values,
 * the tables, and the lookup and path functions of the spec. Built as one list
 * of ts-morph structures printed in a single pass (adding nodes one by one
 * re-parses the file each time, and was about five times slower), then
 * formatted with prettier. Both are loaded here, on first use,
 * so that commands which emit no TypeScript never load them.
 */
export async function emitTsModule(model: Model, result: CheckResult): Promise<string> {
  const S = model.ts.stateType;
  const F = model.ts.flagType;
  for (const name of [S, F]) {
    if (FIXED_NAMES.includes(name)) throw new EmitError(`${model.file}: the TypeScript type name \`${name}\` is a name the generated module already uses; choose another in \`emit ts\``);
  }
  if (S === F) throw new EmitError(`${model.file}: the TypeScript state type and flag type are both \`${S}\`; give them different names in \`emit ts\``);

  const [{ Project, StructureKind, VariableDeclarationKind }, prettier] = await Promise.all([import('ts-morph'), import('prettier')]);
  const n = model.states.length;
  const sink = model.states[model.sink]!;
  const variant = model.lookup.variant;
  const statements: StatementStructures[] = [];
  const constant = (isExported: boolean, name: string, type: string | undefined, initializer: string, text: string): void => {
    statements.push({ kind: StructureKind.VariableStatement, isExported, declarationKind: VariableDeclarationKind.Const, docs: [doc(text)], declarations: [{ name, type, initializer }] });
  };
  const alias = (name: string, type: string, text: string, typeParameters: string[] = []): void => {
    statements.push({ kind: StructureKind.TypeAlias, isExported: true, name, type, typeParameters, docs: [doc(text)] });
  };
  const fn = (
    isExported: boolean,
    name: string,
    parameters: OptionalKind<ParameterDeclarationStructure>[],
    returnType: string,
    body: string,
    docs: string | OptionalKind<JSDocStructure>,
  ): void => {
    statements.push({ kind: StructureKind.Function, isExported, name, parameters, returnType, statements: body, docs: [typeof docs === 'string' ? doc(docs) : docs] });
  };
  const request = [
    { name: 'current', type: S },
    { name: 'target', type: S },
    { name: 'flags', type: 'number' },
  ];

  constant(true, S, undefined, `{ ${model.states.map((s) => `${key(s.name)}: ${s.value}`).join(', ')} } as const`, `The states of the ${model.machine} machine, by name, with their uapi values.`);
  alias(S, `(typeof ${S})[keyof typeof ${S}]`, `A state, as its uapi value. \`toState\` turns a number from outside into one.`);
  constant(
    true,
    F,
    undefined,
    `{ ${model.flags.map((f) => `${key(f.name)}: ${hex(f.bit)}`).join(', ')} } as const`,
    `The feature flags a device advertises, by name, with their bits in its flags word. Without ${model.mandatory.name} a device has no migration states.`,
  );
  alias(F, `(typeof ${F})[keyof typeof ${F}]`, 'A flag, as its bit. Functions take the whole flags word, a `number`.');
  alias(
    'PerState',
    `readonly Entry[] & { readonly [K in ${S}]: Entry }`,
    `A list with one entry per state, indexed by state value: reading it with a \`${S}\` needs no check for \`undefined\`, and the compiler checks that a list written out has every entry.`,
    ['Entry'],
  );
  constant(true, 'stateNames', `PerState<keyof typeof ${S}>`, `[${model.states.map((s) => `'${s.name}'`).join(', ')}]`, 'State names, indexed by state value.');
  constant(true, 'lookupVariant', undefined, `'${variant}'`, `The lookup algorithm \`nextStep\` follows, as the spec names it.`);
  constant(
    true,
    'requiredFlags',
    'PerState<number>',
    `[${model.states.map((s) => hex(s.needs)).join(', ')}]`,
    `The flags each state needs to exist on a device, indexed by state value. The sink, ${sink.name}, needs none: any device can end up in it.`,
  );
  const rows = model.states.map((row) => `/* ${row.name} */ [${model.states.map((col) => cell(result.table, row.value, col.value)).join(', ')}]`);
  constant(
    true,
    'nextStepTable',
    `PerState<PerState<${S}>>`,
    `[\n${rows.join(',\n')}\n]`,
    `The lookup's table, indexed [current][target] by state value: the first step of the path the spec selects when every flag is set. A refused request holds the sink, ${sink.name}; the diagonal holds the state itself.`,
  );

  constant(false, 'SINK', S, String(model.sink), 'The sink: only a device reset leaves it.');
  constant(false, 'STATE_COUNT', undefined, String(n), 'How many states the tables have.');
  constant(false, 'STATES', `readonly ${S}[]`, `Object.values(${S})`, 'Every state value, ascending.');
  if (variant === 'seed-v6') constant(false, 'MANDATORY', undefined, hex(model.mandatory.bit), `The mandatory flag, ${model.mandatory.name}.`);
  const assumes = flagNames(model, model.lookup.assumes);
  constant(false, 'ASSUMES', undefined, hex(model.lookup.assumes), assumes.length ? `Flags the caller guarantees before it asks at all: ${andList(assumes)}.` : 'The caller asks whatever the flags.');
  const arcs = model.arcs.map((a) => `[${a.from}, ${a.to}, ${hex(a.when.require)}, ${hex(a.when.forbid)}]${conditionText(model, a.when) ? ` /* when ${conditionText(model, a.when)} */` : ''}`);
  constant(false, 'ARCS', `readonly (readonly [${S}, ${S}, number, number])[]`, `[\n${arcs.join(',\n')}\n]`, "The spec's arcs: from, to, the flags the arc requires, the flags it forbids.");
  constant(false, 'BLOCKED', `readonly (readonly [${S}, ${S}])[]`, `[${model.blocked.map((b) => `[${b.from}, ${b.to}]`).join(', ')}]`, 'Requests the spec refuses although both states exist.');
  const rules = model.interior.map((r) => `{ members: [${model.groups[r.group]!.members.join(', ')}], mode: '${r.mode}' } /* ${model.groups[r.group]!.name} */`);
  constant(
    false,
    'INTERIOR',
    `readonly { readonly members: readonly ${S}[]; readonly mode: 'never' | 'only-within' }[]`,
    `[${rules.join(', ')}]`,
    "The spec's interior rules: a member of the group may be an interior state of a path never, or only when both ends of the path are members too.",
  );

  alias(
    'Refusal',
    refusalType(sink.name),
    'Why `toState`, `nextStep` or `path` refuses. A request with several faults gets the first word of this list that applies, from `nextStep` and `path` alike.',
  );
  alias(
    'StateOrRefusal',
    `| { readonly kind: 'state'; readonly state: ${S} } | { readonly kind: 'refused'; readonly reason: 'not-a-state' }`,
    'What `toState` answers. Its refusal has the shape of the refusals of `nextStep` and `path`, so a caller can hand it on as it is.',
  );
  fn(true, 'toState', [{ name: 'value', type: 'number' }], 'StateOrRefusal', TO_STATE_BODY, {
    description: doc(
      `Turns an untrusted number -- one read from a device, a file or a user -- into a state: only an integer from 0 to ${n - 1} is one. \`nextStep\` and \`path\` take states; this is how a number becomes one without a cast.`,
    ),
    tags: [{ tagName: 'param', text: 'value - the number to check' }],
  });
  fn(false, 'inTable', [{ name: 'value', type: 'number' }], `value is ${S}`, IN_TABLE_BODY, 'Is `value` a state value the tables have a row for?');
  fn(
    false,
    'isBlocked',
    [
      { name: 'current', type: S },
      { name: 'target', type: S },
    ],
    'boolean',
    IS_BLOCKED_BODY,
    'Is the request one of those the spec refuses although both states exist?',
  );

  alias(
    'NextStep',
    `| { readonly kind: 'next'; readonly state: ${S} } | { readonly kind: 'refused'; readonly reason: Refusal } | { readonly kind: 'diverges'; readonly cycle: readonly ${S}[] }`,
    "What one call of the lookup answers: the next state, a refusal with its reason, or -- when the table sends the lookup's loop round forever -- the states it goes round.",
  );
  fn(
    false,
    'finish',
    [
      { name: 'current', type: S },
      { name: 'target', type: S },
      { name: 'next', type: S },
    ],
    'NextStep',
    FINISH_BODY,
    'The answer for the state the lookup settled on: the sink means a refusal.',
  );
  if (variant !== 'v2') {
    fn(
      false,
      'skip',
      [
        { name: 'current', type: S },
        { name: 'target', type: S },
        { name: 'unusable', type: `(state: ${S}) => boolean` },
      ],
      'NextStep',
      SKIP_BODY,
      "Reads the table, then keeps reading from the answer while it is a state the device cannot use: the lookup's loop, bounded.",
    );
    fn(
      false,
      'cycleFrom',
      [
        { name: 'start', type: S },
        { name: 'target', type: S },
      ],
      `${S}[]`,
      CYCLE_BODY,
      'The states the loop goes round, from one state on the cycle.',
    );
  }
  fn(true, 'nextStep', request, 'NextStep', nextStepBody(variant, S), {
    description: doc(
      `One call of the kernel's lookup as the ${variant} era runs it: the next state a device with \`flags\` moves to on its way from \`current\` to \`target\`. Whether it refuses is the era's; the word it refuses with is the one \`path\` uses for the same request. A number from outside becomes a state through \`toState\`.`,
    ),
    tags: REQUEST_TAGS,
  });

  fn(
    false,
    'exists',
    [
      { name: 'state', type: S },
      { name: 'flags', type: 'number' },
    ],
    'boolean',
    EXISTS_BODY,
    'Does `state` exist on a device with `flags`? The sink always does.',
  );
  fn(false, 'successors', [{ name: 'flags', type: 'number' }], `Map<${S}, ${S}[]>`, successorsBody(S), 'The arcs that exist under `flags`, as successor lists; a state without any has no entry.');
  fn(
    false,
    'interiorAllowed',
    [
      { name: 'state', type: S },
      { name: 'current', type: S },
      { name: 'target', type: S },
    ],
    'boolean',
    INTERIOR_BODY,
    'May `state` be an interior state of a path from `current` to `target`?',
  );
  alias(
    'PathResult',
    `| { readonly kind: 'path'; readonly path: readonly ${S}[] } | { readonly kind: 'refused'; readonly reason: Exclude<Refusal, 'no-path'> } | { readonly kind: 'unreachable' } | { readonly kind: 'ambiguous' }`,
    "The path the spec selects for a request: the states from `current` to `target`, or a refusal, never with 'no-path' (the lookup's word for a table cell with no path behind it). 'unreachable' and 'ambiguous' say that no path, or more than one shortest path, obeys the rules; a spec that passes `vfio-fsm check` has neither.",
  );
  fn(true, 'path', request, 'PathResult', pathBody(S), {
    description: doc(
      'The path the spec selects from `current` to `target` for a device with `flags`: the shortest over the arcs that exist under the flags, with interior states only where the interior rules allow them. Calling `nextStep` from each state reached walks the same path.',
    ),
    tags: REQUEST_TAGS,
  });
  fn(
    true,
    'supportedStates',
    [{ name: 'flags', type: 'number' }],
    `${S}[]`,
    SUPPORTED_BODY,
    `The states a device with \`flags\` can be asked for, ascending; the sink, ${sink.name}, is never among them.`,
  );
  fn(
    true,
    'requiredArcs',
    [{ name: 'flags', type: 'number' }],
    `(readonly [${S}, ${S}])[]`,
    requiredArcsBody(S),
    `The arcs a driver for a device with \`flags\` must implement: every arc of every path \`path\` selects, as [from, to] pairs sorted by value. Empty when the caller never asks on behalf of such a device${assumes.length ? ` (it requires ${andList(assumes)})` : ''}.`,
  );

  const project = new Project({ useInMemoryFileSystem: true });
  const file = project.createSourceFile('module.ts', { statements });
  // ts-morph puts declarations on consecutive lines; a blank line before each doc comment separates them.
  const body = file.getFullText().replace(/([^\n])\n\/\*\*/g, '$1\n\n/**');
  const text = `// ${headerText(model.file)}\n\n${body}`;
  return prettier.format(text, { parser: 'typescript', printWidth: 100, singleQuote: true, trailingComma: 'all' });
}
