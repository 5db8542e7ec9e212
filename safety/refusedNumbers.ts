/**
 * Numbers Hold Slayer never dials, whoever asks: emergency services (a
 * robot holding on 911 ties up a line someone may need) and premium-rate or
 * revenue-sharing ranges (a call left on hold there runs up a bill by the
 * minute). Both lists are configurable; these are the defaults.
 */

/** Emergency and other short service codes, matched as the whole number dialled. */
export const DEFAULT_EMERGENCY_NUMBERS = [
  '911', // North America
  '933', // North America's 911 address test line
  '112', // Europe, and most GSM phones anywhere
  '999', // United Kingdom, Ireland, Hong Kong...
  '000', // Australia
  '111', // New Zealand
  '110',
  '119', // Japan, Korea, China...
  '100',
  '101',
  '102',
  '108', // India
  '15',
  '17',
  '18', // France
  '190',
  '192',
  '193', // Brazil
  '10111', // South Africa
];

/** Premium-rate, revenue-sharing and satellite ranges, as E.164 prefixes. */
export const DEFAULT_REFUSED_PREFIXES = [
  '+1900', // North American premium rate
  '+1976',
  '+449', // United Kingdom 09
  '+4487', // United Kingdom 087, revenue sharing
  '+4470', // United Kingdom 070 "personal numbers", a known fraud range
  '+49900', // Germany
  '+49137',
  '+3389', // France 089
  '+3908', // Italy 89x
  '+3989',
  '+34803', // Spain
  '+34806',
  '+34807',
  '+3190', // Netherlands 090x
  '+3290', // Belgium
  '+4190', // Switzerland
  '+4390', // Austria
  '+61190', // Australia
  '+881', // satellite and international networks: billed at premium rates
  '+882',
  '+883',
];

export interface RefusedNumberRules {
  emergency: readonly string[];
  prefixes: readonly string[];
}

export interface Refusal {
  kind: 'emergency' | 'premium-rate';
  message: string;
}

/**
 * What a person may type for a number, made plain: "+1 (900) 555-0100" →
 * "+19005550100". A SIP or tel URI is the number in it: a trunk dials
 * "sip:911@trunk" as it would dial 911.
 */
function plain(number: string): string {
  const uri = /^(?:sips?:([^@;]+)@|tel:([^;]+))/i.exec(number.trim());
  const user = uri ? (uri[1] ?? uri[2]!) : number;
  return user.replace(/[\s().-]/g, '');
}

/**
 * Why `number` must not be dialled, or undefined when it may be. An
 * emergency code is caught as typed ("911"), and with a country code in
 * front of it ("+1911", "+44999"); a North American number is caught
 * without its "+" ("1-900-555-0100").
 */
export function refusalFor(number: string, rules: RefusedNumberRules): Refusal | undefined {
  const dialled = plain(number);
  if (!/^\+?[0-9]+$/.test(dialled)) return undefined;
  const digits = dialled.replace(/^\+/, '');
  const emergency = rules.emergency.find(
    (code) =>
      digits === code ||
      (dialled.startsWith('+') &&
        digits.length - code.length <= 3 &&
        digits.endsWith(code) &&
        digits.length > code.length),
  );
  if (emergency)
    return {
      kind: 'emergency',
      message: `${number} is an emergency number (${emergency}): Hold Slayer never calls emergency services`,
    };
  const international = dialled.startsWith('+')
    ? dialled
    : digits.length === 11 && digits.startsWith('1')
      ? `+${digits}`
      : undefined;
  const prefix = international && rules.prefixes.find((p) => international.startsWith(p));
  if (prefix)
    return {
      kind: 'premium-rate',
      message: `${number} is in a premium-rate range (${prefix}…): Hold Slayer does not call numbers billed by the minute`,
    };
  return undefined;
}

/** The rules in force: the configured lists, or the defaults where none is configured. */
export function refusedNumberRules(config: {
  REFUSED_EMERGENCY_NUMBERS?: string[] | undefined;
  REFUSED_NUMBER_PREFIXES?: string[] | undefined;
}): RefusedNumberRules {
  return {
    emergency: config.REFUSED_EMERGENCY_NUMBERS ?? DEFAULT_EMERGENCY_NUMBERS,
    prefixes: config.REFUSED_NUMBER_PREFIXES ?? DEFAULT_REFUSED_PREFIXES,
  };
}
