import type { Model } from '../model/model.js';
import type { CSpelling } from './c-names.js';
import { indentTo, wrap } from './c-names.js';

/**
 * The signature and the statements after the tables, per lookup era. The
 * bodies follow the lookup algorithms as the reference describes them in
 * pseudo-code (and as src/analysis/lookup.ts runs them); they are written here
 * from that description, not taken from any kernel file.
 */
export interface CFunctionParts {
  readonly doc: string[];
  readonly signature: string;
  /** Declarations that follow the tables, each a full line. */
  readonly locals: string[];
  readonly statements: string[];
}

export function cFunctionParts(model: Model, c: CSpelling): CFunctionParts {
  switch (model.lookup.variant) {
    case 'v2':
      return v2(model, c);
    case 'seed-v6':
      return seedV6(model, c);
    case 'linux-5.18':
    case 'linux-7.2':
      return linux(model, c, model.lookup.variant === 'linux-7.2');
  }
}

function signature(result: string, model: Model, withNext: boolean): string {
  const head = `${result} ${model.c.function}(`;
  const indent = indentTo(head.length);
  const params = [`struct vfio_device *device`, `enum ${model.c.enum} cur_fsm`, `enum ${model.c.enum} new_fsm`];
  if (withNext) params.push(`enum ${model.c.enum} *next_fsm`);
  return `${head}${params.join(`,\n${indent}`)})`;
}

const PARAMS = [
  '@device: the device that is asked to move',
  '@cur_fsm: the state the device is in',
  '@new_fsm: the state user space asked for',
];

const AGAIN = 'A request may take several arcs: the caller moves the device one arc, then asks again from the state it reached, until it reaches new_fsm.';

/** Kernel-doc lines: the summary, the parameters, then paragraphs wrapped to 80 columns. */
function docFor(model: Model, params: readonly string[], paragraphs: readonly string[]): string[] {
  const lines = [`${model.c.function} - the next single arc towards a requested state`, ...PARAMS, ...params];
  for (const p of [...paragraphs, AGAIN]) lines.push('', ...wrap(p, ' * '));
  return lines;
}

function outOfRange(model: Model, c: CSpelling): string[] {
  return [`\tif (cur_fsm >= ARRAY_SIZE(${model.c.table}) ||`, `\t    new_fsm >= ARRAY_SIZE(${model.c.table}))`, `\t\treturn ${c.state(model.sink)};`];
}

function v2(model: Model, c: CSpelling): CFunctionParts {
  return {
    doc: docFor(model, [], [`Returns the state to move to next, or ${c.state(model.sink)} when the request is refused. One read of the table answers: this lookup knows no optional state.`]),
    signature: signature('u32', model, false),
    locals: [],
    statements: [...outOfRange(model, c), '', `\treturn ${model.c.table}[cur_fsm][new_fsm];`],
  };
}

function seedV6(model: Model, c: CSpelling): CFunctionParts {
  const optionalBits = ~model.mandatory.bit >>> 0;
  const gated = model.states.filter((s) => !s.sink && (s.needs & optionalBits) !== 0);
  const haveName = (bit: number): string => `have_${model.flags.find((f) => f.bit === bit)!.name.toLowerCase()}`;
  const used = model.flags.filter((f) => !f.mandatory && gated.some((s) => (s.needs & f.bit) !== 0));
  const locals = used.map((f) => `\tbool ${haveName(f.bit)} = device->migration_flags & ${c.flag(f.bit)};`);
  // One term per optional state: the device lacks a flag it needs, and `v` is that state.
  const terms = (v: string): string[] =>
    gated.map((s) => {
      const lacks = used.filter((f) => (s.needs & f.bit) !== 0).map((f) => `!${haveName(f.bit)}`);
      const lack = lacks.length === 1 ? lacks[0]! : `(${lacks.join(' || ')})`;
      return `${lack} && ${v} == ${c.state(s.value)}`;
    });
  const statements = [...outOfRange(model, c)];
  if (gated.length) {
    const ends = [...terms('cur_fsm'), ...terms('new_fsm')].map((t) => `(${t})`);
    statements.push('', '\t/* Neither end of the request may be a state the device lacks. */');
    statements.push(`\tif (${ends.join(' ||\n\t    ')})`, `\t\treturn ${c.state(model.sink)};`);
    const steps = terms('cur_fsm');
    const loop = steps.length === 1 ? steps[0]! : steps.map((t) => `(${t})`).join(' ||\n\t       ');
    statements.push('', '\t/* Step over the states the device lacks: the driver sees one arc. */');
    statements.push(`\tcur_fsm = ${model.c.table}[cur_fsm][new_fsm];`);
    statements.push(`\twhile (${loop})`, `\t\tcur_fsm = ${model.c.table}[cur_fsm][new_fsm];`);
    statements.push('\treturn cur_fsm;');
  } else {
    statements.push('', `\treturn ${model.c.table}[cur_fsm][new_fsm];`);
  }
  return {
    doc: docFor(
      model,
      [],
      [
        `Returns the state to move to next, or ${c.state(model.sink)} when the request is refused. The table is written for a device with every optional feature; the states this device lacks are stepped over. The mandatory feature is not tested: the caller only asks on behalf of devices that migrate.`,
      ],
    ),
    signature: signature('u32', model, false),
    locals,
    statements,
  };
}

function linux(model: Model, c: CSpelling, stopAtSink: boolean): CFunctionParts {
  const t = model.c.table;
  const f = model.c.flagsTable;
  const sink = c.state(model.sink);
  const unusable = (v: string): string => `(${f}[${v}] & flags) != ${f}[${v}]`;
  const loopHead = stopAtSink ? `\twhile (*next_fsm != ${sink} &&\n\t       ${unusable('*next_fsm')})` : `\twhile (${unusable('*next_fsm')})`;
  const why =
    'The table is written for a device with every optional feature: step over the states this device lacks, so the driver sees one arc.' +
    (stopAtSink ? ` Stop at ${sink}: its entry needs every flag, so it would count as a state the device lacks and the loop would never end.` : '');
  const loopWhy = ['\t/*', ...wrap(why, '\t * ').map((l) => `\t * ${l}`), '\t */'];
  return {
    doc: docFor(
      model,
      ['@next_fsm: set to the state to move to next'],
      [`Returns 0 and sets *next_fsm, or -EINVAL when the request is refused: a state outside the table, a state the device does not support, or a request the table answers with ${sink}.`],
    ),
    signature: signature('int', model, true),
    locals: ['\tu32 flags = device->migration_flags;'],
    statements: [
      '\t/* Being in a state the device cannot have is a bug in the caller. */',
      `\tif (WARN_ON(cur_fsm >= ARRAY_SIZE(${t}) ||`,
      `\t\t    ${unusable('cur_fsm')}))`,
      '\t\treturn -EINVAL;',
      '',
      '\t/* Asking for one is a mistake of user space: refuse it quietly. */',
      `\tif (new_fsm >= ARRAY_SIZE(${t}) ||`,
      `\t    ${unusable('new_fsm')})`,
      '\t\treturn -EINVAL;',
      '',
      ...loopWhy,
      `\t*next_fsm = ${t}[cur_fsm][new_fsm];`,
      loopHead,
      `\t\t*next_fsm = ${t}[*next_fsm][new_fsm];`,
      '',
      `\treturn *next_fsm == ${sink} ? -EINVAL : 0;`,
    ],
  };
}
