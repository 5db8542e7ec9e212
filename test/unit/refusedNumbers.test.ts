import {
  DEFAULT_EMERGENCY_NUMBERS,
  DEFAULT_REFUSED_PREFIXES,
  refusalFor,
  refusedNumberRules,
} from '../../safety/refusedNumbers.js';

const rules = { emergency: DEFAULT_EMERGENCY_NUMBERS, prefixes: DEFAULT_REFUSED_PREFIXES };
const kind = (number: string) => refusalFor(number, rules)?.kind ?? 'allowed';

describe('numbers never dialled', () => {
  it.each([
    ['911', 'emergency'],
    ['112', 'emergency'],
    ['999', 'emergency'],
    ['+1911', 'emergency'],
    ['+44 999', 'emergency'],
    ['+61000', 'emergency'],
    ['sip:911@trunk.example.com', 'emergency'],
    ['sips:112@trunk.example.com;transport=tls', 'emergency'],
    ['tel:+1-911', 'emergency'],
    ['+1 (900) 555-0100', 'premium-rate'],
    ['1-900-555-0100', 'premium-rate'],
    ['+19765550100', 'premium-rate'],
    ['+449098790000', 'premium-rate'],
    ['sip:+19005550100@trunk.example.com', 'premium-rate'],
    ['+18005550100', 'allowed'],
    ['+441632960000', 'allowed'],
    // An ordinary number that merely ends in 911 is a number, not a call to emergency services.
    ['+12125550911', 'allowed'],
    ['sip:alice@example.com', 'allowed'],
    ['sim:me', 'allowed'],
  ])('%s is %s', (number, expected) => {
    expect(kind(number)).toBe(expected);
  });

  it('says why, naming the code or range', () => {
    expect(refusalFor('911', rules)?.message).toBe(
      '911 is an emergency number (911): Hold Slayer never calls emergency services',
    );
    expect(refusalFor('+19005550100', rules)?.message).toMatch(/premium-rate range \(\+1900…\)/);
  });

  it('takes configured lists in place of the defaults, an empty one too', () => {
    const configured = refusedNumberRules({
      REFUSED_EMERGENCY_NUMBERS: ['311'],
      REFUSED_NUMBER_PREFIXES: [],
    });
    expect(refusalFor('311', configured)?.kind).toBe('emergency');
    expect(refusalFor('911', configured)).toBeUndefined();
    expect(refusalFor('+19005550100', configured)).toBeUndefined();
    expect(refusedNumberRules({})).toEqual(rules);
  });
});
