/**
 * npm run train:navigator [-- --write]
 *
 * Fits the weights by which the offline navigator counts what it measures
 * of each option (navigator/meaning/fitFeatures.ts), on the tuning
 * decisions only: the held-out set is never read here. The model is a
 * conditional logit (a softmax over one menu's options), so a choice's
 * fitted chance is its confidence. Before writing, it says how well such
 * weights do on companies they were not fitted to (each company left out
 * in turn), and how well the chance it gives is kept: of the choices it
 * gives at least p, how many are right.
 * With --write it writes navigator/meaning/fitWeights.ts.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FEATURES, PRIOR_WEIGHTS, type Feature } from '../../navigator/meaning/fitFeatures.js';
import { chances } from '../../navigator/meaning/fitModel.js';
import { parseMenu } from '../../navigator/menuParser.js';
import { measureOptions } from '../../navigator/optionRanking.js';
import { actionFor, candidatesOf } from '../../navigator/ruleNavigator.js';
import { printMarkdownTable } from '../markdownTable.js';
import { isRight, loadDecisions } from './decisionSet.js';

const { values } = parseArgs({ options: { write: { type: 'boolean', default: false } } });

interface Example {
  company: string;
  /** Each option's features, in FEATURES order. */
  options: number[][];
  right: boolean[];
}

const examples: Example[] = [];
for (const d of await loadDecisions(path.join('bench/navigator/decisions', 'tuning'))) {
  const candidates = candidatesOf(parseMenu(d.transcript));
  const right = candidates.map((o) => isRight(actionFor(o), d.right));
  // Only a choice between options teaches how options are weighed.
  if (candidates.length < 2 || !right.some(Boolean)) continue;
  const measured = await measureOptions(d.intent, candidates);
  examples.push({
    company: d.id.split('#')[0]!,
    options: measured.map((m) => FEATURES.map((f) => m.values[f])),
    right,
  });
}

/** The chances the navigator would give each option with weights `w` (in FEATURES order). */
function chancesOf(w: number[], options: number[][]): number[] {
  return chances(options.map((x) => x.reduce((s, v, i) => s + v * w[i]!, 0)));
}

const prior = FEATURES.map((f) => PRIOR_WEIGHTS[f]);

/**
 * Gradient descent on the mean negative log chance of the right options,
 * with an L2 penalty on the distance from the prior weights: a few hundred
 * decisions move the weights where they say something, and leave them where
 * they are silent.
 */
function fit(data: Example[], l2: number): number[] {
  const w = [...prior];
  const rate = 0.5;
  for (let step = 0; step < 3000; step++) {
    const grad = new Array<number>(FEATURES.length).fill(0);
    for (const ex of data) {
      const p = chancesOf(w, ex.options);
      const pRight = p.reduce((s, pi, i) => s + (ex.right[i] ? pi : 0), 0);
      ex.options.forEach((x, i) => {
        const target = ex.right[i] ? p[i]! / pRight : 0;
        x.forEach((v, j) => (grad[j]! += (p[i]! - target) * v));
      });
    }
    for (let j = 0; j < w.length; j++)
      w[j]! -= rate * (grad[j]! / data.length + l2 * (w[j]! - prior[j]!));
  }
  return w;
}

interface Pick {
  right: boolean;
  chance: number;
}
function pickOf(w: number[], ex: Example): Pick {
  const p = chancesOf(w, ex.options);
  const best = p.indexOf(Math.max(...p));
  return { right: ex.right[best]!, chance: p[best]! };
}

const companies = [...new Set(examples.map((e) => e.company))];
const penalties = [0.01, 0.03, 0.1, 0.3, 1, 3];
const rows = [
  [
    'prior weights',
    pct(examples.filter((ex) => pickOf(prior, ex).right).length, examples.length),
    '',
    '',
  ],
];
rows.unshift([
  'L2 penalty',
  'right (company left out)',
  'chance ≥ 0.6: share, right',
  'chance ≥ 0.8: share, right',
]);
const results: Array<{ l2: number; right: number }> = [];
for (const l2 of penalties) {
  const picks: Pick[] = [];
  for (const company of companies) {
    const w = fit(
      examples.filter((e) => e.company !== company),
      l2,
    );
    for (const ex of examples.filter((e) => e.company === company)) picks.push(pickOf(w, ex));
  }
  const right = picks.filter((p) => p.right).length;
  const above = (c: number) => {
    const sure = picks.filter((p) => p.chance >= c);
    return `${pct(sure.length, picks.length)}, ${pct(sure.filter((p) => p.right).length, sure.length)}`;
  };
  rows.push([String(l2), pct(right, picks.length), above(0.6), above(0.8)]);
  results.push({ l2, right: right / picks.length });
}
// The one-standard-error rule: the strongest pull towards the prior whose accuracy is within one
// standard error of the best, since a few hundred decisions cannot tell nearer figures apart.
const best = Math.max(...results.map((r) => r.right));
const standardError = Math.sqrt((best * (1 - best)) / examples.length);
const bestPenalty = Math.max(
  ...results.filter((r) => r.right >= best - standardError).map((r) => r.l2),
);
console.log(
  `${examples.length} choices between options, ${companies.length} companies (tuning set)`,
);
printMarkdownTable(rows, console.log);

const weights = fit(examples, bestPenalty);
const named = Object.fromEntries(
  FEATURES.map((f, i) => [f, Number(weights[i]!.toFixed(3))]),
) as Record<Feature, number>;
console.log(`weights at L2 ${bestPenalty}:`, named);
if (values.write) {
  const file = path.resolve('navigator/meaning/fitWeights.ts');
  await writeFile(
    file,
    `/**\n * How much each measured feature of an option counts: fitted by\n * \`npm run train:navigator -- --write\` on the tuning decisions\n * (${examples.length} choices, ${companies.length} companies, L2 ${bestPenalty}). Do not edit by hand.\n */\n` +
      `import type { Feature } from './fitFeatures.js';\n\nexport const FIT_WEIGHTS: Record<Feature, number> = {\n` +
      FEATURES.map((f) => `  ${f}: ${named[f]},`).join('\n') +
      '\n};\n',
  );
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

function pct(n: number, of: number): string {
  return of === 0 ? '-' : `${((100 * n) / of).toFixed(1)}%`;
}
