import ts from 'typescript';

/**
 * Type-checks generated TypeScript files in-process, as `tsc --strict
 * --noEmit` would with no dependencies at all: the files see only the ES2022
 * library, no @types and no node_modules. Returns the diagnostics as text.
 */
export function typeCheck(files: Readonly<Record<string, string>>): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    noUnusedLocals: true,
    noImplicitReturns: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022,
    lib: ['lib.es2022.d.ts'],
    types: [],
    noResolve: true,
  };
  const host = ts.createCompilerHost(options);
  const names = Object.keys(files).map((f) => `/virtual/${f}`);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError, create) => {
    const text = files[name.replace('/virtual/', '')];
    return text !== undefined ? ts.createSourceFile(name, text, version, true) : getSourceFile(name, version, onError, create);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name.startsWith('/virtual/') || fileExists(name);
  const program = ts.createProgram(names, options, host);
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
