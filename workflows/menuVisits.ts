import type { DeadEnd, NavigatorAction } from '../navigator/decision.js';
import { SAME_MENU, menuSimilarity } from '../navigator/menuSimilarity.js';

/** Hearings this alike may be one menu heard through a poor line. */
const LIKE_MENU = 0.3;

interface Visit {
  transcript: string;
  actions: NavigatorAction[];
  /** Every hearing of the menu, oldest first (the first is `transcript`). */
  hearings: string[];
}

interface LastAction {
  visit: Visit;
  /** The navigator asked to hear this menu again: the next prompt is most likely it, repeated. */
  hearAgain: boolean;
}

/**
 * The menus a call has heard while exploring, and what it did at each. A
 * menu heard again after acting at it means that action led back (an
 * invalid choice, a loop): the navigator is told not to choose it again.
 */
export class MenuVisits {
  private readonly visits: Visit[] = [];
  private last: LastAction | undefined;

  /** Ways known to lead nowhere (earlier dials, earlier calls): tried already wherever their menu is heard. */
  constructor(private readonly deadEnds: readonly DeadEnd[] = []) {}

  /** What was already done at this menu, if it was heard before, and what is known to lead nowhere from it. */
  triedAt(transcript: string): NavigatorAction[] {
    const done = this.find(transcript)?.actions ?? [];
    return [...done, ...this.deadEndsAt(transcript).map((d) => d.action)];
  }

  /** The dead ends known at a menu like this one, to tell the navigator what they led to. */
  deadEndsAt(transcript: string): DeadEnd[] {
    return this.deadEnds.filter((d) => menuSimilarity(d.menu, transcript) >= SAME_MENU);
  }

  /**
   * What this menu sounded like the times it was heard before, oldest
   * first: the hearings of the same menu, and those of the menu just asked
   * to be heard again when this one is at least somewhat like it (a poor
   * line makes one menu sound unlike itself; a sibling menu, asked for by a
   * key, is never mixed in).
   */
  hearingsOf(transcript: string): string[] {
    const same = this.find(transcript);
    const asked =
      this.last?.hearAgain &&
      this.last.visit !== same &&
      this.last.visit.hearings.some((h) => menuSimilarity(h, transcript) >= LIKE_MENU)
        ? this.last.visit
        : undefined;
    return [...(asked?.hearings ?? []), ...(same?.hearings ?? [])];
  }

  record(transcript: string, action: NavigatorAction, hearAgain = false): void {
    let visit = this.find(transcript);
    if (visit) {
      visit.actions.push(action);
      visit.hearings.push(transcript);
    } else {
      visit = { transcript, actions: [action], hearings: [transcript] };
      this.visits.push(visit);
    }
    this.last = { visit, hearAgain };
  }

  private find(transcript: string): Visit | undefined {
    let best: Visit | undefined;
    let bestScore = SAME_MENU;
    for (const visit of this.visits) {
      const score = menuSimilarity(visit.transcript, transcript);
      if (score >= bestScore) {
        best = visit;
        bestScore = score;
      }
    }
    return best;
  }
}

/** The keys an action sends: a secret by reference, resolved by the activity that keys it. */
export function dtmfOf(action: NavigatorAction): string | undefined {
  switch (action.kind) {
    case 'press':
    case 'go-back':
      return action.digits;
    case 'key-secret':
      return `{secret:${action.name}}${action.terminator}`;
    default:
      return undefined;
  }
}

/** How the call's status shows an action. */
export function describeAction(action: NavigatorAction): string {
  switch (action.kind) {
    case 'press':
      return `press ${action.digits}`;
    case 'go-back':
      return `go back (${action.digits})`;
    case 'key-secret':
      return `key in ${action.name}${action.terminator}`;
    case 'say':
      return `say "${action.phrase}"`;
    case 'wait':
      return 'listen on';
  }
}
