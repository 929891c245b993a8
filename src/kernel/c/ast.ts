import type { Span } from '../../common/source.js';

/**
 * The syntax tree of the C subset in c.ohm: what was written and where,
 * nothing resolved. Spans are offsets into the text the function was located
 * in (a C file, a patched file, or a patch's post-image fragment).
 */

export interface Ident {
  readonly text: string;
  readonly span: Span;
}

export type BinaryOp = '||' | '&&' | '|' | '^' | '&' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '<<' | '>>' | '+' | '-' | '*' | '/' | '%';
export type UnaryOp = '!' | '~' | '-' | '+' | '*' | '&';
export type AssignOp = '=' | '|=' | '&=' | '^=' | '+=' | '-=' | '*=' | '/=' | '%=' | '<<=' | '>>=';

export type Expr =
  | { readonly kind: 'number'; readonly value: bigint; readonly unsigned: boolean; readonly long: boolean; readonly span: Span }
  | { readonly kind: 'string'; readonly span: Span }
  | { readonly kind: 'name'; readonly name: Ident; readonly span: Span }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly operand: Expr; readonly span: Span }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly kind: 'cond'; readonly test: Expr; readonly then: Expr; readonly otherwise: Expr; readonly span: Span }
  | { readonly kind: 'assign'; readonly op: AssignOp; readonly target: Expr; readonly value: Expr; readonly span: Span }
  | { readonly kind: 'step'; readonly op: '++' | '--'; readonly prefix: boolean; readonly target: Expr; readonly span: Span }
  | { readonly kind: 'index'; readonly base: Expr; readonly index: Expr; readonly span: Span }
  | { readonly kind: 'member'; readonly base: Expr; readonly field: Ident; readonly arrow: boolean; readonly span: Span }
  | { readonly kind: 'call'; readonly callee: Expr; readonly args: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'cast'; readonly type: TypeName; readonly operand: Expr; readonly span: Span }
  | { readonly kind: 'sizeof'; readonly span: Span }
  /** A type as a macro's argument (`container_of(p, struct x, member)`); only drivers write one. */
  | { readonly kind: 'type'; readonly type: TypeName; readonly span: Span };

/** Type specifiers as written, normalised to one spelling (`unsigned int`, `u8`, `enum x`). */
export type TypeSpec =
  | { readonly kind: 'base'; readonly name: string; readonly span: Span }
  | { readonly kind: 'enum'; readonly tag: Ident | null; readonly enumerators: readonly Enumerator[] | null; readonly span: Span }
  | { readonly kind: 'struct'; readonly tag: Ident; readonly span: Span };

export interface Enumerator {
  readonly name: Ident;
  readonly value: Expr | null;
  readonly span: Span;
}

export interface Specifiers {
  readonly storage: readonly string[];
  readonly qualifiers: readonly string[];
  readonly type: TypeSpec;
  readonly span: Span;
}

export interface TypeName {
  readonly specs: Specifiers;
  readonly pointer: number;
}

export type Initializer =
  | { readonly kind: 'expr'; readonly expr: Expr; readonly span: Span }
  | { readonly kind: 'list'; readonly elems: readonly InitElem[]; readonly span: Span };

export type Designator =
  | { readonly kind: 'index'; readonly index: Expr; readonly span: Span }
  | { readonly kind: 'field'; readonly name: Ident; readonly span: Span };

export type InitElem =
  | { readonly kind: 'item'; readonly designators: readonly Designator[]; readonly value: Initializer; readonly span: Span }
  | Hole;

/** Lines a patch leaves out, standing where they stood. */
export interface Hole {
  readonly kind: 'hole';
  readonly lines: number;
  readonly span: Span;
}

export interface Declarator {
  readonly name: Ident;
  readonly pointer: number;
  /** One entry per `[...]`; null for `[]`. */
  readonly dims: readonly (Expr | null)[];
  readonly init: Initializer | null;
  readonly span: Span;
}

export interface Declaration {
  readonly kind: 'decl';
  readonly specs: Specifiers;
  readonly declarators: readonly Declarator[];
  readonly span: Span;
}

export type Stmt =
  | Declaration
  | Hole
  | { readonly kind: 'block'; readonly items: readonly Stmt[]; readonly span: Span }
  | { readonly kind: 'if'; readonly test: Expr; readonly then: Stmt; readonly otherwise: Stmt | null; readonly span: Span }
  | { readonly kind: 'while'; readonly test: Expr; readonly body: Stmt; readonly span: Span }
  | { readonly kind: 'do'; readonly body: Stmt; readonly test: Expr; readonly span: Span }
  | { readonly kind: 'for'; readonly init: Declaration | Expr | null; readonly test: Expr | null; readonly update: Expr | null; readonly body: Stmt; readonly span: Span }
  | { readonly kind: 'return'; readonly value: Expr | null; readonly span: Span }
  | { readonly kind: 'break'; readonly span: Span }
  | { readonly kind: 'continue'; readonly span: Span }
  | { readonly kind: 'empty'; readonly span: Span }
  | { readonly kind: 'expr'; readonly expr: Expr; readonly span: Span }
  // Driver statements (vfio-fsm driver): the lookup function uses none of them.
  | { readonly kind: 'switch'; readonly test: Expr; readonly body: Stmt; readonly span: Span }
  /** `case value:` and, with a null value, `default:`; `body` is the one statement the label stands on. */
  | { readonly kind: 'case'; readonly value: Expr | null; readonly body: Stmt; readonly span: Span }
  | { readonly kind: 'label'; readonly name: Ident; readonly body: Stmt; readonly span: Span }
  | { readonly kind: 'goto'; readonly label: Ident; readonly span: Span };

export type Block = Extract<Stmt, { kind: 'block' }>;

export interface Param {
  readonly specs: Specifiers;
  readonly pointer: number;
  readonly name: Ident | null;
  readonly span: Span;
}

export interface FunctionDef {
  readonly returns: Specifiers;
  readonly pointer: number;
  readonly name: Ident;
  readonly params: readonly Param[];
  readonly body: Block;
  readonly span: Span;
}

export interface EnumDecl {
  readonly tag: Ident | null;
  readonly enumerators: readonly Enumerator[];
  readonly span: Span;
}
