// Build step: turns every .ohm grammar copied into dist/src into an ohm recipe
// that loadGrammar() can instantiate without parsing grammar source.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Ohm from 'ohm-js';
import { fileURLToPath } from 'node:url';
import type { RecipeGrammar } from './grammar-loader.js';
import { ohmLibrary } from './grammar-loader.js';

const ohm = ohmLibrary();

/**
 * A grammar may derive from another of the same directory (`DriverC <:
 * KernelC`): those come after the ones they derive from, and are compiled
 * with every grammar of the directory compiled so far in their namespace.
 */
function compileUnder(dir: string): void {
  const namespace: Record<string, Ohm.Grammar> = {};
  const derived = (path: string): boolean => /^\s*\w+\s*<:/m.test(readFileSync(path, 'utf8'));
  const entries = readdirSync(dir, { withFileTypes: true });
  const grammars = entries.filter((e) => !e.isDirectory() && e.name.endsWith('.ohm')).map((e) => join(dir, e.name));
  for (const path of [...grammars.filter((p) => !derived(p)), ...grammars.filter(derived)]) {
    const grammar = ohm.grammar(readFileSync(path, 'utf8'), namespace);
    namespace[grammar.name] = grammar;
    writeFileSync(`${path}.json`, (grammar as unknown as RecipeGrammar).toRecipe());
  }
  for (const entry of entries) if (entry.isDirectory()) compileUnder(join(dir, entry.name));
}

compileUnder(fileURLToPath(new URL('..', import.meta.url)));
