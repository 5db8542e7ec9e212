/**
 * npm run bench:navigator [-- --set heldout|tuning|all] [--caption-wer R] [--threshold C] [--failures]
 *
 * The offline navigator over labelled menu decisions written from real
 * companies' published phone menus (bench/navigator/decisions): `tuning`
 * is the set the rules were studied on, `heldout` was written apart and is
 * only scored. For each set: how often the rules' final action is right,
 * how often they were confident (confidence at or above the threshold a
 * language model would be asked below) and how often they were right then,
 * and how often they deferred. With --caption-wer each menu's words are
 * degraded as the simulated carrier degrades captions, seeded per decision.
 * A menu the rules ask to hear again is heard again, as on a call (menus
 * repeat), and what they do then is scored; where the right way is the
 * menu's own key for hearing it again, asking to hear it again is right.
 * It is a measurement: it exits 0 whatever the figures.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CaptionDegrader } from '../carrier/call/captionDegrader.js';
import type { NavigatorAction } from '../navigator/decision.js';
import { actionFor, decideByRules } from '../navigator/ruleNavigator.js';
import { parseMenu } from '../navigator/menuParser.js';
import { DEFAULT_CONFIDENCE_THRESHOLD } from '../navigator/threshold.js';
import { printMarkdownTable } from './markdownTable.js';
import { isRight, loadDecisions, type LabelledDecision } from './navigator/decisionSet.js';

const { values } = parseArgs({
  options: {
    set: { type: 'string', default: 'all' },
    'caption-wer': { type: 'string', default: '0' },
    threshold: { type: 'string', default: String(DEFAULT_CONFIDENCE_THRESHOLD) },
    failures: { type: 'boolean', default: false },
  },
});
const sets = values.set === 'all' ? ['tuning', 'heldout'] : [values.set];
if (!sets.every((s) => s === 'tuning' || s === 'heldout')) {
  console.error(`--set must be tuning, heldout or all, not "${values.set}"`);
  process.exit(2);
}
const wer = Number(values['caption-wer']);
const threshold = Number(values.threshold);
if (!(wer >= 0 && wer < 1) || !(threshold > 0 && threshold <= 1)) {
  console.error('--caption-wer must be in [0, 1) and --threshold in (0, 1]');
  process.exit(2);
}

interface Outcome {
  decision: LabelledDecision;
  action: NavigatorAction;
  confidence: number;
  reason: string;
  right: boolean;
}

async function run(decision: LabelledDecision): Promise<Outcome> {
  const transcript =
    wer > 0
      ? new CaptionDegrader(wer, decision.id).degrade(decision.transcript)
      : decision.transcript;
  let made = await decideByRules(
    {
      transcript,
      intent: decision.intent,
      secretNames: decision.secretNames,
      path: [],
      tried: decision.tried,
    },
    threshold,
  );
  // Where the right way is the menu's own key for hearing it again, hearing it again by any way is right.
  if (made.hearAgain && asksForRepeat(decision)) {
    const { action, confidence, reason } = made;
    return { decision, action, confidence, reason, right: true };
  }
  // A call asked to hear the menu again hears it again (menus repeat): what it does then counts.
  if (made.hearAgain) {
    const again =
      wer > 0
        ? new CaptionDegrader(wer, `${decision.id}#again`).degrade(decision.transcript)
        : decision.transcript;
    made = await decideByRules(
      {
        transcript: again,
        intent: decision.intent,
        secretNames: decision.secretNames,
        path: [],
        tried: [...decision.tried, made.action],
        heardBefore: [transcript],
      },
      threshold,
    );
  }
  return {
    decision,
    action: made.action,
    confidence: made.confidence,
    reason: made.reason,
    right: isRight(made.action, decision.right),
  };
}

function asksForRepeat(decision: LabelledDecision): boolean {
  const repeat = parseMenu(decision.transcript).options.filter((o) => o.kind === 'repeat');
  return repeat.some((o) => isRight(actionFor(o), decision.right));
}

const pct = (n: number, of: number) => (of === 0 ? '-' : `${((100 * n) / of).toFixed(1)}%`);
const describe = (a: NavigatorAction) =>
  a.kind === 'press' || a.kind === 'go-back'
    ? `press ${a.digits}`
    : a.kind === 'say'
      ? `say ${a.phrase}`
      : a.kind === 'key-secret'
        ? `key ${a.name}`
        : 'wait';

const rssBefore = process.memoryUsage().rss;
let decided = 0;
let decidingMs = 0;
const rows: string[][] = [
  [
    'set',
    'decisions',
    'right',
    'confident',
    'right when confident',
    'deferred',
    'right when deferred',
  ],
];
const byTag = new Map<string, { n: number; right: number }>();
for (const set of sets) {
  const decisions = await loadDecisions(path.join('bench/navigator/decisions', set));
  const started = performance.now();
  const outcomes: Outcome[] = [];
  for (const decision of decisions) outcomes.push(await run(decision));
  decidingMs += performance.now() - started;
  decided += outcomes.length;
  const confident = outcomes.filter((o) => o.confidence >= threshold);
  const deferred = outcomes.filter((o) => o.confidence < threshold);
  rows.push([
    set,
    String(outcomes.length),
    pct(outcomes.filter((o) => o.right).length, outcomes.length),
    pct(confident.length, outcomes.length),
    pct(confident.filter((o) => o.right).length, confident.length),
    pct(deferred.length, outcomes.length),
    pct(deferred.filter((o) => o.right).length, deferred.length),
  ]);
  for (const o of outcomes) {
    for (const tag of o.decision.tags.length > 0 ? o.decision.tags : ['(untagged)']) {
      const key = `${set} ${tag}`;
      const t = byTag.get(key) ?? { n: 0, right: 0 };
      t.n++;
      if (o.right) t.right++;
      byTag.set(key, t);
    }
  }
  if (values.failures) {
    for (const o of outcomes.filter((x) => !x.right || x.confidence < threshold)) {
      console.log(
        `${o.right ? 'unsure' : 'WRONG '} ${o.decision.id} [${o.confidence.toFixed(2)}] "${o.decision.intent}"` +
          `\n    chose ${describe(o.action)} (${o.reason}); right: ${o.decision.right
            .map((r) => (r.kind === 'say-anything' ? 'say' : describe(r)))
            .join(' | ')}`,
      );
    }
  }
}
console.log(
  `threshold ${threshold}${wer > 0 ? `, captions degraded at a word error rate of ${wer}` : ''}`,
);
printMarkdownTable(rows, console.log);
printMarkdownTable(
  [
    ['set and tag', 'decisions', 'right'],
    ...[...byTag.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, t]) => [k, String(t.n), pct(t.right, t.n)]),
  ],
  console.log,
);
console.log(
  `${decided} decisions in ${decidingMs.toFixed(0)} ms (${(decidingMs / Math.max(decided, 1)).toFixed(2)} ms each, WordNet and the sentence encoder loaded on the first); ` +
    `resident memory ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB, ${((process.memoryUsage().rss - rssBefore) / 2 ** 20).toFixed(0)} MiB more than before deciding`,
);
