// Build step: turns every .ohm grammar copied into dist/src into an ohm recipe
// that loadGrammar() can instantiate without parsing grammar source.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RecipeGrammar } from './grammar-loader.js';
import { ohm } from './grammar-loader.js';

function compileUnder(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) compileUnder(path);
    else if (entry.name.endsWith('.ohm')) {
      const grammar = ohm.grammar(readFileSync(path, 'utf8')) as unknown as RecipeGrammar;
      writeFileSync(`${path}.json`, grammar.toRecipe());
    }
  }
}

compileUnder(fileURLToPath(new URL('..', import.meta.url)));
