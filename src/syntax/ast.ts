import type { Span } from '../common/source.js';

/** The syntax tree of a spec: what was written, where, and nothing resolved yet. */

export interface Name {
  readonly text: string;
  readonly span: Span;
}

export interface NumberNode {
  /** Kept as bigint so that range checks see what was written, not a wrapped value. */
  readonly value: bigint;
  readonly span: Span;
}

export interface MachineStmt {
  readonly kind: 'machine';
  readonly name: Name;
  readonly span: Span;
}

export interface EmitStmt {
  readonly kind: 'emit';
  readonly target: Name;
  readonly settings: readonly { readonly key: Name; readonly value: Name }[];
  readonly span: Span;
}

export interface FlagDecl {
  readonly name: Name;
  readonly value: NumberNode;
  readonly mandatory: Span | null;
  readonly span: Span;
}

export interface FlagsStmt {
  readonly kind: 'flags';
  readonly flags: readonly FlagDecl[];
  readonly span: Span;
}

export interface StateDecl {
  readonly name: Name;
  readonly value: NumberNode;
  readonly sink: readonly Span[];
  readonly needs: readonly Name[];
  readonly span: Span;
}

export interface StatesStmt {
  readonly kind: 'states';
  readonly states: readonly StateDecl[];
  readonly span: Span;
}

export interface OrderStmt {
  readonly kind: 'order';
  readonly names: readonly Name[];
  readonly span: Span;
}

export interface Literal {
  readonly negated: boolean;
  readonly flag: Name;
  readonly span: Span;
}

export interface ArcDecl {
  readonly from: Name;
  readonly to: Name;
  /** `A <-> B` declares both directions under one guard. */
  readonly both: boolean;
  readonly guard: readonly Literal[];
  readonly span: Span;
}

export interface ArcsStmt {
  readonly kind: 'arcs';
  readonly arcs: readonly ArcDecl[];
  readonly span: Span;
}

export interface PairNode {
  readonly from: Name;
  readonly to: Name;
  readonly span: Span;
}

export interface BlockStmt {
  readonly kind: 'block';
  readonly pairs: readonly PairNode[];
  readonly span: Span;
}

export interface GroupStmt {
  readonly kind: 'group';
  readonly name: Name;
  readonly members: readonly Name[];
  readonly span: Span;
}

export type InteriorMode = 'never' | 'only-within';

export type RuleItem =
  | { readonly kind: 'shortest'; readonly span: Span }
  | { readonly kind: 'interior'; readonly group: Name; readonly mode: InteriorMode; readonly span: Span };

export interface RuleStmt {
  readonly kind: 'rule';
  readonly items: readonly RuleItem[];
  readonly span: Span;
}

export interface LookupStmt {
  readonly kind: 'lookup';
  readonly name: Name;
  readonly assuming: readonly Name[];
  readonly span: Span;
}

export type Statement =
  | MachineStmt
  | EmitStmt
  | FlagsStmt
  | StatesStmt
  | OrderStmt
  | ArcsStmt
  | BlockStmt
  | GroupStmt
  | RuleStmt
  | LookupStmt;

export interface SpecAst {
  readonly statements: readonly Statement[];
}
