#!/usr/bin/env node
// Runs after the build, before `npm pack` (the `prepack` script), on <package root>/dist/lib
// (default: this repository). Declarations that import an optional peer (typeorm, express, …)
// get `// @ts-ignore` on that import: an application without the peer still compiles with
// `skipLibCheck: false` (those types are then `any`), and with the peer installed the import
// resolves and the types are exact. tsc drops such comments from the declarations it emits,
// hence this step (vite ships its types the same way).
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? join(import.meta.dirname, '..'));
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const optionalPeers = Object.entries(packageJson.peerDependenciesMeta ?? {})
  .filter(([, meta]) => meta.optional)
  .map(([name]) => name.replace(/[/\\^$*+?.()|[\]{}]/g, '\\$&'));
const peerStatement = new RegExp(`^(import|export)\\b.*\\bfrom '(${optionalPeers.join('|')})(/[^']*)?';$`);
const inlinePeerImport = new RegExp(`import\\("(${optionalPeers.join('|')})(/[^"]*)?"\\)`);
const marker = '// @ts-ignore -- optional peer: without it these types are `any`';

function declarationFiles(directory) {
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) return declarationFiles(path);
    return entry.endsWith('.d.ts') ? [path] : [];
  });
}

let marked = 0;
for (const file of declarationFiles(join(root, 'dist', 'lib'))) {
  const output = [];
  readFileSync(file, 'utf8').split('\n').forEach((line, index) => {
    // An inline import() type cannot carry the comment on its own line: fail the build instead.
    if (inlinePeerImport.test(line)) {
      throw new Error(`${file.slice(root.length + 1)}:${index + 1}: inline import() of an optional peer; import the type at the top of the source file`);
    }
    if (peerStatement.test(line) && output.at(-1) !== marker) {
      output.push(marker);
      marked += 1;
    }
    output.push(line);
  });
  writeFileSync(file, output.join('\n'));
}
console.log(`${marked} optional-peer imports in declarations marked`);
