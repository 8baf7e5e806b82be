/**
 * The parts of mvdan-sh's syntax tree (mvdan.cc/sh/v3/syntax, compiled by GopherJS) and parser API the interpreter
 * uses. Go's nodes carry no kind field at runtime — `syntax.NodeType(n)` names them — so every interface has a
 * type-only brand that keeps structurally alike nodes (Block and Subshell, Lit and SglQuoted) apart for the compiler;
 * syntax.ts narrows with `is` and `typed`. Nil pointers arrive as null, slices as arrays, fields as getters.
 * Operator fields are the build's token numbers (syntax.ts learns their names).
 */

declare const kind: unique symbol;
/** Type-only: no node has this property at runtime. */
interface Of<K extends string> {
  readonly [kind]: K;
}

/** syntax.Pos: a position in the source. */
export interface Pos {
  Offset(): number;
  IsValid(): boolean;
}

export interface File extends Of<'File'> { Name: string; Stmts: Stmt[] }
export interface Stmt extends Of<'Stmt'> { Cmd: Command | null; Negated: boolean; Background: boolean; Redirs: Redirect[] }
export interface Redirect extends Of<'Redirect'> { Op: number; N: Lit | null; Word: Word; Hdoc: Word | null }

export interface CallExpr extends Of<'CallExpr'> { Assigns: Assign[]; Args: Word[] }
export interface BinaryCmd extends Of<'BinaryCmd'> { Op: number; X: Stmt; Y: Stmt }
export interface Block extends Of<'Block'> { Stmts: Stmt[] }
export interface Subshell extends Of<'Subshell'> { Stmts: Stmt[] }
export interface IfClause extends Of<'IfClause'> { Cond: Stmt[]; Then: Stmt[]; Else: IfClause | null }
export interface WhileClause extends Of<'WhileClause'> { Until: boolean; Cond: Stmt[]; Do: Stmt[] }
export interface ForClause extends Of<'ForClause'> { Loop: WordIter | CStyleLoop; Do: Stmt[] }
export interface WordIter extends Of<'WordIter'> { Name: Lit; InPos: Pos; Items: Word[] }
export interface CStyleLoop extends Of<'CStyleLoop'> { Init: ArithmExpr | null; Cond: ArithmExpr | null; Post: ArithmExpr | null }
export interface CaseClause extends Of<'CaseClause'> { Word: Word; Items: CaseItem[] }
export interface CaseItem extends Of<'CaseItem'> { Op: number; Patterns: Word[]; Stmts: Stmt[] }
export interface FuncDecl extends Of<'FuncDecl'> { Name: Lit; Body: Stmt }
export interface ArithmCmd extends Of<'ArithmCmd'> { X: ArithmExpr }
export interface TestClause extends Of<'TestClause'> { X: TestExpr }
/** `declare`, `local`, `export`...: flags come as Naked assignments without a Name. */
export interface DeclClause extends Of<'DeclClause'> { Variant: Lit; Args: Assign[] }
export interface LetClause extends Of<'LetClause'> { Exprs: ArithmExpr[] }
export interface TimeClause extends Of<'TimeClause'> { Stmt: Stmt | null }
/** Parsed but not run by this shell. */
export interface CoprocClause extends Of<'CoprocClause'> { Stmt: Stmt }
export interface TestDecl extends Of<'TestDecl'> { Body: Stmt }

export type Command =
  | CallExpr | BinaryCmd | Block | Subshell | IfClause | WhileClause | ForClause | CaseClause | FuncDecl | ArithmCmd
  | TestClause | DeclClause | LetClause | TimeClause | CoprocClause | TestDecl;

export interface Assign extends Of<'Assign'> {
  Append: boolean;
  Naked: boolean;
  Name: Lit | null;
  Index: ArithmExpr | null;
  Value: Word | null;
  Array: ArrayExpr | null;
}
export interface ArrayExpr extends Of<'ArrayExpr'> { Elems: ArrayElem[] }
/** Value is nil for an element holding only comments. */
export interface ArrayElem extends Of<'ArrayElem'> { Index: ArithmExpr | null; Value: Word | null }

export interface Word extends Of<'Word'> { Parts: WordPart[] }
export interface Lit extends Of<'Lit'> { Value: string }
export interface SglQuoted extends Of<'SglQuoted'> { Dollar: boolean; Value: string }
export interface DblQuoted extends Of<'DblQuoted'> { Dollar: boolean; Parts: WordPart[] }
export interface CmdSubst extends Of<'CmdSubst'> { Stmts: Stmt[] }
export interface ArithmExp extends Of<'ArithmExp'> { X: ArithmExpr }
export interface ParamExp extends Of<'ParamExp'> {
  Param: Lit;
  Length: boolean;
  Index: ArithmExpr | null;
  Slice: { Offset: ArithmExpr | null; Length: ArithmExpr | null } | null;
  Repl: { All: boolean; Orig: Word; With: Word | null } | null;
  Exp: { Op: number; Word: Word | null } | null;
}
export interface ProcSubst extends Of<'ProcSubst'> { Op: number; Stmts: Stmt[] }
export interface ExtGlob extends Of<'ExtGlob'> { Op: number; Pattern: Lit }
/** Only after syntax.SplitBraces. */
export interface BraceExp extends Of<'BraceExp'> { Sequence: boolean; Elems: Word[] }

export type WordPart = Lit | SglQuoted | DblQuoted | ParamExp | CmdSubst | ArithmExp | ProcSubst | ExtGlob | BraceExp;

export interface BinaryArithm extends Of<'BinaryArithm'> { Op: number; X: ArithmExpr; Y: ArithmExpr }
export interface UnaryArithm extends Of<'UnaryArithm'> { Op: number; Post: boolean; X: ArithmExpr }
export interface ParenArithm extends Of<'ParenArithm'> { X: ArithmExpr }
export type ArithmExpr = BinaryArithm | UnaryArithm | ParenArithm | Word;

export interface BinaryTest extends Of<'BinaryTest'> { Op: number; X: TestExpr; Y: TestExpr }
export interface UnaryTest extends Of<'UnaryTest'> { Op: number; X: TestExpr }
export interface ParenTest extends Of<'ParenTest'> { X: TestExpr }
export type TestExpr = BinaryTest | UnaryTest | ParenTest | Word;

/** Every node by the name syntax.NodeType gives it. */
export interface NodeTypes {
  File: File; Stmt: Stmt; Redirect: Redirect;
  CallExpr: CallExpr; BinaryCmd: BinaryCmd; Block: Block; Subshell: Subshell; IfClause: IfClause;
  WhileClause: WhileClause; ForClause: ForClause; WordIter: WordIter; CStyleLoop: CStyleLoop; CaseClause: CaseClause;
  CaseItem: CaseItem; FuncDecl: FuncDecl; ArithmCmd: ArithmCmd; TestClause: TestClause; DeclClause: DeclClause;
  LetClause: LetClause; TimeClause: TimeClause; CoprocClause: CoprocClause; TestDecl: TestDecl;
  Assign: Assign; ArrayExpr: ArrayExpr; ArrayElem: ArrayElem;
  Word: Word; Lit: Lit; SglQuoted: SglQuoted; DblQuoted: DblQuoted; CmdSubst: CmdSubst; ArithmExp: ArithmExp;
  ParamExp: ParamExp; ProcSubst: ProcSubst; ExtGlob: ExtGlob; BraceExp: BraceExp;
  BinaryArithm: BinaryArithm; UnaryArithm: UnaryArithm; ParenArithm: ParenArithm;
  BinaryTest: BinaryTest; UnaryTest: UnaryTest; ParenTest: ParenTest;
}
export type NodeType = keyof NodeTypes;
export type Node = NodeTypes[NodeType];

/** A node of one of the types in N, paired with its type name so a `switch` on `type` narrows `node`. */
export type Typed<N extends Node> = { [K in NodeType]: NodeTypes[K] extends N ? { type: K; node: NodeTypes[K] } : never }[NodeType];

export interface Parser {
  Parse(src: string, name: string): File;
  /** Calls `fn` with each complete group of statements; Incomplete() tells whether input stopped mid-statement. */
  Interactive(src: string, fn: (stmts: Stmt[]) => boolean): void;
  Incomplete(): boolean;
}

/** The `syntax` package object mvdan-sh exports. */
export interface SyntaxPackage {
  NodeType(n: Node): string;
  NewParser(): Parser;
  /** A copy of `word` with brace expressions as BraceExp parts. */
  SplitBraces(word: Word): Word;
}
