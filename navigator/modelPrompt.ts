import type { MenuContext, NavigatorAction } from './decision.js';

/**
 * What every language-model navigator is told, whatever its provider: the
 * job (the system prompt) and the menu (one user message).
 */

/** The job, said once per request: the model keeps no state between menus. */
export const SYSTEM_PROMPT = `You navigate a company's automated phone menu on behalf of a caller.
Your goal is to reach a live person who can help with the caller's intent, by the shortest route the menu offers.

At each menu you are given what the menu said, the caller's intent, the names of the information the caller provided, the menus already passed and what was done at each, the actions already tried at this menu, and sometimes the dead ends known at this number.
Answer with exactly one tool call:
- press_digits: press the option that leads toward the intent, or toward an agent or operator when no option fits.
- say_phrase: only when the menu asks to be spoken to; say as few words as it needs.
- key_secret: only when the menu asks for a piece of information the caller provided (an account number, a date of birth, a ZIP code); name it, and its value is keyed for you. Give the terminator the menu asked for, or "" if it asked for none.
- wait: when the menu is not finished, is only a greeting, or will move on by itself.
- go_back: when this menu cannot lead to the intent and it offers a way back.

Never invent digits for information the caller did not provide, and never type such information as digits yourself: use key_secret with one of the given names, or choose another route (many menus reach an agent without it).
Do not repeat an action already tried at this menu, and never choose a known dead end at a menu like the one it was found at.
Keep the reason to a few words, quoting the menu.`;

/** How an action reads in the path and the tried list. */
export function describeAction(action: NavigatorAction): string {
  switch (action.kind) {
    case 'press':
      return `pressed ${action.digits}`;
    case 'say':
      return `said "${action.phrase}"`;
    case 'key-secret':
      return `keyed the caller's ${action.name}${action.terminator ? ` then ${action.terminator}` : ''}`;
    case 'wait':
      return 'waited';
    case 'go-back':
      return `went back with ${action.digits}`;
  }
}

/** The menu, as one user message. Secrets appear by name only: the navigator never sees values. */
export function menuMessage(context: MenuContext): string {
  const lines = [
    `Menu heard: "${context.transcript}"`,
    `Caller's intent: ${context.intent}`,
    `Information the caller provided (by name): ${context.secretNames.length ? context.secretNames.join(', ') : 'none'}`,
  ];
  if (context.path.length === 0) {
    lines.push('Menus passed so far: none, this is the first.');
  } else {
    lines.push('Menus passed so far, oldest first:');
    context.path.forEach((entry, i) =>
      lines.push(`${i + 1}. "${entry.menu}" -> ${describeAction(entry.action)}`),
    );
  }
  if (context.tried.length > 0) {
    lines.push(
      `Already tried at this menu, which led back here (do not repeat): ${context.tried.map(describeAction).join('; ')}`,
    );
  }
  const deadEnds = context.deadEnds ?? [];
  if (deadEnds.length > 0) {
    lines.push('Known dead ends at this number (never choose these):');
    deadEnds.forEach((end, i) =>
      lines.push(`${i + 1}. at "${end.menu}" -> ${describeAction(end.action)}: ${end.ending}`),
    );
  }
  return lines.join('\n');
}
