import { z } from 'zod';

/** Where outbound calls go, and how the trunk wants numbers and credentials. */
export const sipTrunkSchema = z
  .strictObject({
    /** The trunk's SIP server, host or host:port. */
    host: z
      .string()
      .regex(
        /^[A-Za-z0-9.-]+(:\d{1,5})?$/,
        'must be a host or host:port, e.g. sip.example.net:5060',
      ),
    transport: z.enum(['udp', 'tcp', 'tls']).default('udp'),
    /** Digest credentials, when the trunk challenges. */
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    /** Numbers as the trunk takes them: with the "+" (`e164`) or its digits alone (`digits`). */
    numberFormat: z.enum(['e164', 'digits']).default('e164'),
    /** Digits some trunks want before every number (a tech prefix). */
    prefix: z
      .string()
      .regex(/^[0-9*#]{0,10}$/, 'a prefix is up to ten digits, * or #')
      .default(''),
    /** The number calls come from, E.164. */
    callerId: z
      .string()
      .regex(/^\+[1-9][0-9]{6,14}$/, 'must be an E.164 number')
      .optional(),
  })
  .refine((t) => (t.username === undefined) === (t.password === undefined), {
    message: 'give both username and password, or neither',
    path: ['password'],
  });
export type SipTrunk = z.output<typeof sipTrunkSchema>;

const E164 = /^\+[1-9][0-9]{6,14}$/;

/**
 * Where an INVITE goes: a phone number through the trunk, or a SIP address
 * (a user's own phone, a PBX) as it is.
 */
export function requestUriFor(trunk: SipTrunk, destination: string): string {
  if (/^sips?:/i.test(destination)) return destination;
  if (!E164.test(destination))
    throw new Error(`${destination} is neither an E.164 number nor a SIP address`);
  const number = trunk.numberFormat === 'e164' ? destination : destination.slice(1);
  return `sip:${trunk.prefix}${number}@${trunk.host};transport=${trunk.transport}`;
}

/** Headers of an INVITE through the trunk: who calls, as the trunk should show it. */
export function callerHeaders(trunk: SipTrunk, from: string | undefined): Record<string, string> {
  const caller = from ?? trunk.callerId;
  if (!caller) return {};
  // It goes into SIP headers as it is: only a number may.
  if (!E164.test(caller)) throw new Error(`the caller id ${caller} is not an E.164 number`);
  const user = trunk.numberFormat === 'e164' ? caller : caller.replace(/^\+/, '');
  const identity = `<sip:${user}@${trunk.host.replace(/:\d+$/, '')}>`;
  return { From: identity, 'P-Asserted-Identity': identity };
}

/** The digest credentials to answer a challenge with, when the trunk has them. */
export function trunkAuth(trunk: SipTrunk): { username: string; password: string } | undefined {
  return trunk.username && trunk.password
    ? { username: trunk.username, password: trunk.password }
    : undefined;
}
