/**
 * What a navigator decides at a menu, and what it is told. These cross the
 * workflow boundary (they are in the Temporal history), so secrets appear
 * only by name: keying one is `key-secret` with the secret's name, and the
 * activity that keys it reads the value from the vault.
 */
export type NavigatorAction =
  /** Press keys: 0-9, *, #. */
  | { kind: 'press'; digits: string }
  /** Say a phrase to a menu that takes speech. */
  | { kind: 'say'; phrase: string }
  /** Key a secret given with the call, then the terminator the prompt asked for ('' for none). */
  | { kind: 'key-secret'; name: string; terminator: string }
  /** Nothing to do yet: the menu is not finished, or the line is about to move on by itself. */
  | { kind: 'wait' }
  /** Leave this menu for the one before it, with the keys the menu gave for that (often '*'). */
  | { kind: 'go-back'; digits: string };

export interface NavigatorDecision {
  action: NavigatorAction;
  /** 0 to 1: how sure the navigator is that the action leads toward the intent. */
  confidence: number;
  /** Why, in a few words, for logs and the call's record. Never a secret's value. */
  reason: string;
  decidedBy: 'rules' | 'openai' | 'anthropic';
  /** The action is to hear this same menu again (it was heard poorly): its next hearing is read with this one. */
  hearAgain?: boolean;
}

/** One menu on the way here, and what was done at it. */
export interface PathEntry {
  menu: string;
  action: NavigatorAction;
}

export interface MenuContext {
  /** The menu's words as heard (the whole prompt, up to the pause after it). */
  transcript: string;
  /** What the person wants, in their words, e.g. "dispute a charge on my credit card". */
  intent: string;
  /** Names of the secrets given with the call, e.g. ["account", "dob"]. */
  secretNames: string[];
  /** The menus heard so far on this call and what was done at each, oldest first. */
  path: PathEntry[];
  /** Actions already taken at this same menu that led back to it: not to be chosen again. */
  tried: NavigatorAction[];
  /**
   * Ways this number is known to lead nowhere (on an earlier dial of this
   * call, or an earlier call): at a menu like `menu`, `action` ended in
   * `ending` (a hang-up, a loop, a recorded message instead of a queue).
   */
  deadEnds?: DeadEnd[];
  /**
   * Earlier hearings of this same menu on this call, oldest first: a menu
   * heard through a poor line is read from all of them together.
   */
  heardBefore?: string[];
}

export interface DeadEnd {
  menu: string;
  action: NavigatorAction;
  /** What it led to, in a few words: "hung up: 'visit our website. Goodbye.'". */
  ending: string;
}

export interface Navigator {
  readonly name: string;
  decide(context: MenuContext): Promise<NavigatorDecision>;
}
