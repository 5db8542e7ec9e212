import { z } from 'zod';
import { e164Schema } from '../flows/model.js';
import { deviceSchema } from '../media/telephony/sim/protocol.js';

const secretName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'secret names are lower-case identifiers, e.g. account');

/** The body of POST /api/calls. */
export const startCallSchema = z.strictObject({
  phone_number: e164Schema,
  company: z.string().trim().min(1).max(200),
  intent: z.string().trim().min(1).max(1000),
  user_device: deviceSchema,
  /** A flow to follow (its latest version unless one is named); null for none; absent, the number's latest flow. */
  flow: z
    .strictObject({ id: z.string().min(1), version: z.number().int().positive().optional() })
    .nullable()
    .optional(),
  /** Values to key in when asked (account numbers...): DTMF keys only. Kept encrypted, never logged. */
  secrets: z
    .record(
      secretName,
      z.string().regex(/^[0-9*#]{1,64}$/, 'a secret is keyed in, so it is DTMF keys (0-9, *, #)'),
    )
    .default({}),
});
export type StartCallBody = z.output<typeof startCallSchema>;

export const cancelCallSchema = z.strictObject({ reason: z.string().max(500).optional() });

export const flowListQuerySchema = z.strictObject({
  company: z.string().min(1).optional(),
  tag: z.string().min(1).optional(),
  phone_number: e164Schema.optional(),
});

/** The body of POST /api/call-flows/learn: which stored calls to learn from again. */
export const learnSchema = z
  .strictObject({
    call_id: z.string().min(1).max(200).optional(),
    phone_number: e164Schema.optional(),
    /** Every stored call: rebuild every learned flow from scratch. */
    all: z.literal(true).optional(),
    /** Show what would change, write nothing. */
    dry_run: z.boolean().default(false),
  })
  .refine((b) => [b.call_id, b.phone_number, b.all].filter((x) => x !== undefined).length === 1, {
    message: 'name exactly one of call_id, phone_number or all: true',
  });
export type LearnBody = z.output<typeof learnSchema>;

export const flowVersionQuerySchema = z.strictObject({
  version: z.coerce.number().int().positive().optional(),
});

/** GET /api/calls: filters, newest first, a page at a time. */
export const callListQuerySchema = z.strictObject({
  status: z.enum(['started', 'ended']).optional(),
  company: z.string().min(1).max(200).optional(),
  phone_number: e164Schema.optional(),
  outcome: z.string().min(1).max(100).optional(),
  flow_id: z.string().min(1).max(200).optional(),
  /** The `next` of the previous page. */
  after: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** POST /api/calls/:id/digits: keys in DTMF notation, a secret by reference. */
export const sendDigitsSchema = z.strictObject({
  digits: z
    .string()
    .min(1)
    .max(200)
    .regex(
      /^([0-9*#A-Dw]|\{secret:[a-z][a-z0-9_]{0,63}\})+$/,
      'digits are DTMF keys (0-9, *, #, A-D), "w" for a half-second pause, or {secret:NAME} for a secret given with the call',
    ),
});

/** POST /api/calls/:id/say: words spoken to the far end. */
export const sayTextSchema = z.strictObject({ text: z.string().trim().min(1).max(500) });

/** The version in /api/call-flows/:id/versions/:version. */
export const flowVersionParamSchema = z.coerce
  .number({ error: 'a version is a whole number from 1' })
  .int('a version is a whole number from 1')
  .positive('a version is a whole number from 1');
