import ts from 'typescript';

/**
 * The settings the generated module must compile under: those of
 * `@tsconfig/strictest` (which stricter code bases start from), in an ES
 * module package of Node's (`"module": "NodeNext"` and `"type": "module"`),
 * plus declarations and `isolatedDeclarations`, so that a library can export
 * the module's types as they are, and `erasableSyntaxOnly`.
 */
export const STRICTEST: Readonly<ts.CompilerOptions> = {
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noPropertyAccessFromIndexSignature: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  allowUnusedLabels: false,
  allowUnreachableCode: false,
  declaration: true,
  isolatedDeclarations: true,
  // Nothing that type stripping (Node's, esbuild's) cannot simply erase.
  erasableSyntaxOnly: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts'],
  types: [],
  // The library's own .d.ts files are not what is tested (and checking them is most of the time).
  skipLibCheck: true,
};

const ROOT = '/virtual/';

/**
 * Type-checks TypeScript files in-process, all in ONE program: each module as
 * `tsc --noEmit` would with the settings above and no dependencies at all.
 * The files live in a virtual ES module package: they see each other
 * (`import ... from './a.js'` finds `a.ts`), the ES2022 library, and nothing
 * else -- no @types, no node_modules. Returns the diagnostics as text.
 */
export function typeCheck(files: Readonly<Record<string, string>>): string[] {
  const options = { ...STRICTEST };
  const virtual = new Map(Object.entries({ 'package.json': '{ "type": "module" }', ...files }).map(([name, text]) => [ROOT + name, text]));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError, create) => {
    const text = virtual.get(name);
    return text !== undefined ? ts.createSourceFile(name, text, version, true) : getSourceFile(name, version, onError, create);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => (name.startsWith(ROOT) ? virtual.has(name) : fileExists(name));
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name.startsWith(ROOT) ? virtual.get(name) : readFile(name));
  const directoryExists = host.directoryExists?.bind(host);
  // Inside the package there are no directories (no node_modules) but its root.
  host.directoryExists = (name) => (name.startsWith(ROOT) || name === ROOT.slice(0, -1) ? name === ROOT.slice(0, -1) : (directoryExists?.(name) ?? false));
  host.realpath = (name) => name;
  host.getCurrentDirectory = () => ROOT;
  const program = ts.createProgram(
    Object.keys(files).map((f) => ROOT + f),
    options,
    host,
  );
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/** Loads generated TypeScript as a live module: type-stripped by the compiler, imported from a data URL. */
export async function loadModule<T>(text: string): Promise<T> {
  const js = ts.transpileModule(text, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 } }).outputText;
  return (await import(/* @vite-ignore */ `data:text/javascript;base64,${Buffer.from(js).toString('base64')}`)) as T;
}
