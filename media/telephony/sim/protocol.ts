import { z } from 'zod';

/**
 * The wire protocol between a caller (a Hold Slayer worker) and the simulated
 * carrier, over one WebSocket per attached call leg. Text frames carry JSON
 * control messages; binary frames carry 20 ms of 16-bit little-endian mono
 * PCM, in both directions, in real time. Toward the caller the carrier sends
 * only what a real line gives: audio, call progress and captions standing in
 * for streaming speech-to-text. Never node ids, never who is human.
 *
 * The same transport carries the user's phone: a client that registers a
 * device is rung when a call is bridged to it, answers, and then hears the
 * call.
 */
export const PROTOCOL_PATH = '/v1/legs';

const callId = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/);
const requestId = z.number().int().nonnegative();
export const deviceSchema = z
  .string()
  .regex(
    /^(\+[1-9][0-9]{6,14}|sip:[^\s@]+@[^\s]+|sim:[A-Za-z0-9_.-]{1,64})$/,
    'must be an E.164 number (+15551234567), a SIP URI (sip:user@host) or a simulated phone (sim:name)',
  );

export const callerMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('dial'),
    callId,
    to: z.string().min(1).max(32),
    from: z.string().max(32).optional(),
    sampleRate: z.union([z.literal(8000), z.literal(16000)]).default(8000),
  }),
  z.strictObject({ type: z.literal('attach'), callId }),
  /** First message of a user's phone: it will be rung when a call is bridged to `device`. */
  z.strictObject({ type: z.literal('register'), device: deviceSchema }),
  /** The registered phone picks up, or declines, the call ringing it. */
  z.strictObject({ type: z.literal('answer'), id: requestId, callId }),
  z.strictObject({ type: z.literal('reject'), id: requestId, callId }),
  z.strictObject({
    type: z.literal('dtmf'),
    id: requestId,
    digits: z.string().regex(/^[0-9*#A-D]{1,64}$/),
  }),
  /** The caller starts speaking; audio frames follow; `text` is what it says, for the carrier's recogniser and log. */
  z.strictObject({
    type: z.literal('speech-start'),
    id: requestId,
    text: z.string().min(1).max(2000),
  }),
  /** The caller stopped speaking; `speech` is the id of its speech-start. */
  z.strictObject({ type: z.literal('speech-end'), id: requestId, speech: requestId }),
  z.strictObject({ type: z.literal('bridge'), id: requestId, device: deviceSchema }),
  z.strictObject({ type: z.literal('hangup'), id: requestId }),
]);
export type CallerMessage = z.input<typeof callerMessageSchema>;
export type ParsedCallerMessage = z.output<typeof callerMessageSchema>;

export const LINE_STATES = [
  'ringing',
  'answered',
  'busy',
  'no-answer',
  'disconnected',
  'ended',
] as const;
export type LineState = (typeof LINE_STATES)[number];

export const carrierMessageSchema = z.discriminatedUnion('type', [
  /** First reply to dial or attach: the leg is now bound to this socket. */
  z.strictObject({
    type: z.literal('attached'),
    callId,
    sampleRate: z.union([z.literal(8000), z.literal(16000)]),
    state: z.enum(LINE_STATES),
    bridged: z.boolean(),
  }),
  z.strictObject({ type: z.literal('registered'), device: deviceSchema }),
  /** To a registered phone: a call is being bridged to it; answer or reject it. */
  z.strictObject({ type: z.literal('ring'), callId }),
  z.strictObject({
    type: z.literal('progress'),
    state: z.enum(LINE_STATES),
    cause: z.string().optional(),
  }),
  z.strictObject({ type: z.literal('caption'), text: z.string(), final: z.boolean() }),
  z.strictObject({
    type: z.literal('bridge-progress'),
    id: requestId,
    state: z.enum(['ringing', 'answered', 'failed']),
    cause: z.string().optional(),
  }),
  z.strictObject({ type: z.literal('ack'), id: requestId }),
  z.strictObject({ type: z.literal('error'), id: requestId.optional(), message: z.string() }),
]);
export type CarrierMessage = z.input<typeof carrierMessageSchema>;
