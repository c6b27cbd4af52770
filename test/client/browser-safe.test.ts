/**
 * The UI bundles core/client for the browser: it may import only its own files and the
 * generated types (erased at build), never Node built-ins or engine code that pulls in a database.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const dir = new URL('../../core/client/', import.meta.url).pathname;

it('core/client imports nothing but itself and, as types only, the generated module types', () => {
  const outside: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
      const [, , typeOnly, from] = m;
      if (from!.startsWith('./')) continue;
      if (typeOnly && from === '../generated/modules.js') continue;
      outside.push(`${file}: ${m[0].trim()}`);
    }
  }
  expect(outside).toEqual([]);
});
