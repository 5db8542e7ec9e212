/**
 * Checks decision set files against holdslayer-menu-decisions/v1:
 * `tsx bench/navigator/checkDecisions.ts FOLDER...`. Prints each bad file
 * with the path of every bad key, and the count of decisions in the good ones.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '../../validation/issues.js';
import { loadDecisionFile } from './decisionSet.js';

const folders = process.argv.slice(2);
if (folders.length === 0) {
  console.error('usage: tsx bench/navigator/checkDecisions.ts FOLDER...');
  process.exit(2);
}
let bad = 0;
let decisions = 0;
for (const folder of folders) {
  for (const name of (await readdir(folder)).filter((n) => n.endsWith('.json')).sort()) {
    try {
      const file = await loadDecisionFile(path.join(folder, name));
      decisions += file.menus.reduce((n, m) => n + m.decisions.length, 0);
    } catch (e) {
      bad++;
      if (e instanceof ValidationError) {
        console.error(e.subject);
        for (const issue of e.issues)
          console.error(`  ${issue.path || '(root)'}: ${issue.message}`);
      } else throw e;
    }
  }
}
console.log(`${decisions} decisions in good files; ${bad} bad file(s)`);
process.exit(bad > 0 ? 1 : 0);
