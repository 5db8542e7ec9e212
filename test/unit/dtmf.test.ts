import { DtmfSyntaxError, parseDtmf, secretNamesIn } from '../../flows/dtmf.js';

describe('DTMF notation', () => {
  it('splits digits, half-second pauses and secret references', () => {
    expect(parseDtmf('1w{secret:account}#')).toEqual([
      { kind: 'digits', digits: '1' },
      { kind: 'pause', ms: 500 },
      { kind: 'secret', name: 'account' },
      { kind: 'digits', digits: '#' },
    ]);
    expect(secretNamesIn('{secret:account}#{secret:pin}')).toEqual(['account', 'pin']);
  });

  it.each([
    ['', /no digits/],
    ['12-3', /"-" at position 2/],
    ['{secret:Account}', /not a secret reference/],
    ['{secret:account', /unclosed/],
    ['{pin}', /not a secret reference/],
  ])('refuses %j', (text, message) => {
    expect(() => parseDtmf(text)).toThrow(DtmfSyntaxError);
    expect(() => parseDtmf(text)).toThrow(message);
  });
});
