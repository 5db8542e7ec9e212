/** What a menu offers, as the parser reads it from its words. */
export type OptionKind =
  /** An ordinary choice, to be matched with the intent. */
  | 'choice'
  /** A person: operator, representative, agent. */
  | 'operator'
  /** "All other questions", "anything else". */
  | 'other'
  /** "More options", "to hear more choices": another menu of the same line. */
  | 'more'
  /** Back to the menu before ("press star to go back"). */
  | 'back'
  /** The same menu again ("to hear these options again"). */
  | 'repeat'
  /** The menu in a language: only English is chosen. */
  | 'language'
  /** A call back or a voicemail instead of a person now: never chosen. */
  | 'callback'
  /** Staying on the line, where the line says that reaches someone: no key at all. */
  | 'stay';

export interface MenuOption {
  /** Keys to press, or the phrase to say for a speech option. */
  keys: string;
  /** What the option is for, in the menu's words. */
  label: string;
  kind: OptionKind;
  by: 'dtmf' | 'speech';
}

/** The menu asks for something to be keyed in: an account number, a date of birth, an extension. */
export interface InputRequest {
  /** What is asked for, in the menu's words, e.g. "ten digit account number". */
  what: string;
  /** What it takes instead ("the phone number on the account, or the account number"). */
  alternatives?: string[];
  /** Whom the entry is for, when the prompt says ("if you're calling about a credit card, enter ..."). */
  condition?: string;
  /** The key that ends the entry, when the menu names one. */
  terminator: '' | '#';
  /** How many digits it says the entry has, when it says. */
  digits?: number;
  /** The menu takes a party's extension (any time, as an alternative to its options). */
  extension: boolean;
}

export interface ParsedMenu {
  options: MenuOption[];
  /** The menu wants the caller to say why they call, in their own words. */
  freeSpeech: boolean;
  input: InputRequest | undefined;
  /** The line says that staying on it reaches someone: waiting is a way through. */
  waitOffer: boolean;
}
