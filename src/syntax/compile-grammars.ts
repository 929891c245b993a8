// Build step: turns every .ohm grammar copied into dist/ into an ohm recipe
// that loadGrammar() can instantiate without parsing grammar source.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ohm from 'ohm-js';
import type { RecipeGrammar } from './grammar-loader.js';

const here = fileURLToPath(new URL('.', import.meta.url));
for (const dir of [here, fileURLToPath(new URL('../kernel/', import.meta.url))]) {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith('.ohm'));
  } catch {
    continue;
  }
  for (const file of names) {
    const grammar = ohm.grammar(readFileSync(dir + file, 'utf8')) as unknown as RecipeGrammar;
    writeFileSync(`${dir}${file}.json`, grammar.toRecipe());
  }
}
