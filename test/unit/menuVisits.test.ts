import { menuDrifted } from '../../navigator/menuDrift.js';
import { MenuVisits, describeAction, dtmfOf } from '../../workflows/menuVisits.js';

const MAIN =
  'For account balances, press 1. For card services, press 2. To dispute a charge, press 3.';

describe('menus heard while exploring', () => {
  it('knows a menu heard again, even misheard a little, and what was done there', () => {
    const visits = new MenuVisits();
    expect(visits.triedAt(MAIN)).toEqual([]);
    visits.record(MAIN, { kind: 'press', digits: '3' });
    const misheard = MAIN.replace('balances', 'balance').replace('card', 'car');
    expect(visits.triedAt(misheard)).toEqual([{ kind: 'press', digits: '3' }]);
    visits.record(misheard, { kind: 'press', digits: '2' });
    expect(visits.triedAt(MAIN)).toHaveLength(2);
    expect(visits.triedAt('Please enter your account number, followed by pound.')).toEqual([]);
  });

  it('gives the hearings of a menu asked to be heard again, even one noise made sound unlike it', () => {
    const visits = new MenuVisits();
    const poor = 'For a count balances, press. For card services, dress 2. To dispute a, press 3.';
    visits.record(poor, { kind: 'wait' }, true);
    const clearer = MAIN.replace('card services', 'car services');
    expect(visits.triedAt(clearer)).toEqual([]);
    expect(visits.hearingsOf(clearer)).toEqual([poor]);
    expect(visits.hearingsOf('Please enter your account number, followed by pound.')).toEqual([]);
  });

  it('never reads a sibling menu reached by a key as another hearing of this one', () => {
    const visits = new MenuVisits();
    visits.record(MAIN, { kind: 'press', digits: '2' });
    const cards = 'Card services. To report a lost card, press 1. To order a new card, press 2.';
    expect(visits.hearingsOf(cards)).toEqual([]);
  });

  it('counts a known dead end as tried at its menu, and tells what it led to', () => {
    const deadEnd = {
      menu: MAIN,
      action: { kind: 'press', digits: '1' } as const,
      ending: 'hung up after "Balances are in our app. Goodbye."',
    };
    const visits = new MenuVisits([deadEnd]);
    const again = MAIN.replace('balances', 'balance');
    expect(visits.triedAt(again)).toEqual([{ kind: 'press', digits: '1' }]);
    expect(visits.deadEndsAt(again)).toEqual([deadEnd]);
    expect(visits.triedAt('Please enter your account number, followed by pound.')).toEqual([]);
  });

  it('keys secrets by reference and says what each action does', () => {
    expect(dtmfOf({ kind: 'key-secret', name: 'account', terminator: '#' })).toBe(
      '{secret:account}#',
    );
    expect(dtmfOf({ kind: 'go-back', digits: '*' })).toBe('*');
    expect(dtmfOf({ kind: 'say', phrase: 'billing' })).toBeUndefined();
    expect(describeAction({ kind: 'say', phrase: 'billing' })).toBe('say "billing"');
  });
});

describe('menu drift', () => {
  it('is no drift when the menu is the same, with a greeting before it', () => {
    expect(menuDrifted(MAIN, `Thank you for calling Acme Bank. ${MAIN}`, '3')).toBe(false);
  });

  it('is drift when the flow key now names another option, or none', () => {
    const renumbered =
      'For account balances, press 1. For card services, press 2. For mortgages, press 3. To dispute a charge, press 4.';
    expect(menuDrifted(MAIN, renumbered, '3')).toBe(true);
    expect(menuDrifted(MAIN, 'For balances, press 1. For cards, press 2.', '3')).toBe(true);
  });

  it('is drift when an entry the flow keys is no longer asked for, or nothing was heard', () => {
    const entry = 'Please enter your ten digit account number, followed by the pound key.';
    expect(menuDrifted(entry, entry, '{secret:account}#')).toBe(false);
    expect(menuDrifted(entry, MAIN, '{secret:account}#')).toBe(true);
    expect(menuDrifted(MAIN, '', '3')).toBe(true);
  });
});
