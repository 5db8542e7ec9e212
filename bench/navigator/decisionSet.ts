import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { NavigatorAction } from '../../navigator/decision.js';
import { ValidationError, issuesOf } from '../../validation/issues.js';

/**
 * A labelled set of menu decisions (holdslayer-menu-decisions/v1): real
 * companies' menus, each with errands and the action a careful caller would
 * take there. One file a company; `right` and `also` are written as a person
 * would say them: "press 2", "say billing", "say" (any words, for a menu
 * that asks why one calls), "wait", "key account" (a secret, by name).
 */
const ACTION = /^(press [0-9*#]+|say( .+)?|wait|key [a-z][a-z0-9_]*)$/;
const actionText = z
  .string()
  .regex(ACTION, 'must be "press 2", "say <phrase>", "say", "wait" or "key <secret name>"');

export const TAGS = [
  'shared-words',
  'new-vs-existing',
  'change-vs-cancel',
  'already-did',
  'problem-vs-payment',
  'department',
  'no-fit',
  'negation',
  'speech-examples',
  'language',
  'input',
  'repeat',
  'noisy',
] as const;

const decisionSchema = z.strictObject({
  intent: z.string().min(3).max(300),
  right: actionText,
  also: z.array(actionText).optional(),
  secrets: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/)).optional(),
  tried: z.array(actionText).optional(),
  why: z.string().min(1).max(300),
  tags: z.array(z.enum(TAGS)).optional(),
});

const menuSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case words joined by hyphens'),
  transcript: z.string().min(10).max(4000),
  decisions: z.array(decisionSchema).min(1),
});

export const decisionFileSchema = z.strictObject({
  format: z.literal('holdslayer-menu-decisions/v1'),
  company: z.string().min(1),
  sector: z.enum([
    'utility',
    'telecom',
    'bank',
    'insurer',
    'travel',
    'government',
    'retailer',
    'healthcare',
    'shipping',
    'education',
    'other',
  ]),
  source: z.string().min(1),
  menus: z.array(menuSchema).min(1),
});

export type DecisionFile = z.output<typeof decisionFileSchema>;

/** What the benchmark asks of the navigator: one errand at one menu. */
export interface LabelledDecision {
  /** file#menu#index, for reports. */
  id: string;
  company: string;
  sector: DecisionFile['sector'];
  transcript: string;
  intent: string;
  secretNames: string[];
  tried: NavigatorAction[];
  /** Every action that is right here: `right`, then `also`. */
  right: ExpectedAction[];
  tags: string[];
}

/** A right answer: an action, or "any words" for a menu that asks why one calls. */
export type ExpectedAction = NavigatorAction | { kind: 'say-anything' };

/** "press 2" → {kind: 'press', digits: '2'}; "say" alone → any words. */
export function actionOf(text: string): ExpectedAction {
  if (text === 'wait') return { kind: 'wait' };
  if (text === 'say') return { kind: 'say-anything' };
  const [verb, ...rest] = text.split(' ');
  const arg = rest.join(' ');
  if (verb === 'press') return { kind: 'press', digits: arg };
  if (verb === 'say') return { kind: 'say', phrase: arg };
  return { kind: 'key-secret', name: arg, terminator: '' };
}

/** Whether what the navigator did is one of the right answers. Going back by a key is pressing it. */
export function isRight(done: NavigatorAction, right: ExpectedAction[]): boolean {
  return right.some((r) => {
    switch (r.kind) {
      case 'say-anything':
        return done.kind === 'say';
      case 'say':
        return done.kind === 'say' && sameWords(done.phrase, r.phrase);
      case 'press':
      case 'go-back':
        return (done.kind === 'press' || done.kind === 'go-back') && done.digits === r.digits;
      case 'key-secret':
        return done.kind === 'key-secret' && done.name === r.name;
      case 'wait':
        return done.kind === 'wait';
    }
  });
}

function sameWords(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s']/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  return norm(a) === norm(b);
}

export async function loadDecisionFile(file: string): Promise<DecisionFile> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new ValidationError(`decision set ${file}`, [
      { path: '', message: `not valid JSON: ${(e as Error).message}` },
    ]);
  }
  const parsed = decisionFileSchema.safeParse(json);
  if (!parsed.success) throw new ValidationError(`decision set ${file}`, issuesOf(parsed.error));
  return parsed.data;
}

/** Every decision of every *.json file in a folder, in file order. */
export async function loadDecisions(folder: string): Promise<LabelledDecision[]> {
  const names = (await readdir(folder)).filter((n) => n.endsWith('.json')).sort();
  const out: LabelledDecision[] = [];
  for (const name of names) {
    const file = await loadDecisionFile(path.join(folder, name));
    for (const menu of file.menus) {
      menu.decisions.forEach((d, i) => {
        out.push({
          id: `${name.replace(/\.json$/, '')}#${menu.id}#${i}`,
          company: file.company,
          sector: file.sector,
          transcript: menu.transcript,
          intent: d.intent,
          secretNames: d.secrets ?? [],
          tried: (d.tried ?? []).map(actionOf).filter(isAction),
          right: [d.right, ...(d.also ?? [])].map(actionOf),
          tags: d.tags ?? [],
        });
      });
    }
  }
  return out;
}

function isAction(a: ExpectedAction): a is NavigatorAction {
  return a.kind !== 'say-anything';
}
