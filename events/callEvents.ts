import { z } from 'zod';

/**
 * What a call discovers and does, as events in its own stream. Each type
 * has a schema version; events stored under an older version are raised to
 * the current one as they are read, so a learner only knows the newest
 * shapes. Nothing here holds a secret: keys are `{secret:NAME}` references.
 */
const flowRef = z.strictObject({ id: z.string(), version: z.number().int().positive() });
const decisions = z.strictObject({
  rules: z.number().int().nonnegative(),
  model: z.number().int().nonnegative(),
});

export const callEventSchemas = {
  'call.started': z.strictObject({
    phoneNumber: z.string(),
    company: z.string(),
    intent: z.string(),
    /** The flow version the call follows; null when it explores. */
    flow: flowRef.nullable(),
    /** How the far end answered the dial. */
    dialOutcome: z.enum(['answered', 'busy', 'no-answer', 'disconnected']),
  }),
  'call.menu_heard': z.strictObject({
    transcript: z.string(),
    /** Why hearing stopped (a pause, the expected words, a condition, the time). */
    endedBy: z.string(),
    /** How long the prompt took to hear, ms. */
    heardMs: z.number().int().nonnegative(),
    /** The flow knew another menu here. */
    drifted: z.boolean(),
  }),
  'call.digits_sent': z.strictObject({ dtmf: z.string().min(1) }),
  'call.speech_sent': z.strictObject({
    text: z.string().nullable(),
    audio: z.string().nullable(),
  }),
  /** A way through the menus that led nowhere: the line hung up after it. */
  'call.dead_end': z.strictObject({
    phoneNumber: z.string(),
    /** The menu acted at, as heard. */
    menu: z.string(),
    /** What was done there (a navigator action; a secret by name only). */
    action: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('press'), digits: z.string().min(1) }),
      z.strictObject({ kind: z.literal('go-back'), digits: z.string().min(1) }),
      z.strictObject({ kind: z.literal('say'), phrase: z.string().min(1) }),
      z.strictObject({
        kind: z.literal('key-secret'),
        name: z.string().min(1),
        terminator: z.string(),
      }),
      z.strictObject({ kind: z.literal('wait') }),
    ]),
    /** What it led to, in a few words. */
    ending: z.string(),
    /** Which dial of the call it was (1 for the first). */
    dial: z.number().int().positive(),
  }),
  'call.hold_started': z.strictObject({
    /** The longest the call will hold, s. */
    timeoutS: z.number().positive(),
  }),
  'call.announcement_heard': z.strictObject({
    kind: z.enum(['fingerprint', 'opening']),
    value: z.string().min(1),
  }),
  'call.human_detected': z.strictObject({
    reason: z.enum(['new-voice', 'cues', 'waits-for-answer']),
    heldMs: z.number().int().nonnegative(),
    transcript: z.string().nullable(),
    /** From the start of the person's speech to the decision, ms (version 2; null before). */
    detectionMs: z.number().int().nonnegative().nullable(),
  }),
  'call.transferred': z.strictObject({ bridged: z.boolean(), reason: z.string().nullable() }),
  'call.ended': z.strictObject({
    outcome: z.string(),
    reason: z.string().nullable(),
    decisions,
    /** Seconds on hold in all (version 2; null before). */
    holdSeconds: z.number().int().nonnegative().nullable(),
  }),
} as const;

export type CallEventType = keyof typeof callEventSchemas;
export type CallEventData<T extends CallEventType> = z.output<(typeof callEventSchemas)[T]>;
export type CallEvent = {
  [T in CallEventType]: { type: T; data: CallEventData<T> };
}[CallEventType];

/** The version each type is written at today. */
export const CALL_EVENT_VERSIONS: Record<CallEventType, number> = {
  'call.started': 1,
  'call.menu_heard': 1,
  'call.digits_sent': 1,
  'call.speech_sent': 1,
  'call.dead_end': 1,
  'call.hold_started': 1,
  'call.announcement_heard': 1,
  'call.human_detected': 2,
  'call.transferred': 1,
  'call.ended': 2,
};

/** Adds fields a later version has, as null: what the older writer did not know. */
const withNulls =
  (...fields: string[]) =>
  (data: unknown): unknown => ({
    ...Object.fromEntries(fields.map((f) => [f, null])),
    ...(data as Record<string, unknown>),
  });

/**
 * Raises data stored at an older version by one version, per type: a
 * change to a schema adds its upcaster here (from the old version to the
 * next) and bumps the type's version above.
 */
const upcasters: Partial<Record<CallEventType, Record<number, (data: unknown) => unknown>>> = {
  'call.human_detected': { 1: withNulls('detectionMs') },
  'call.ended': { 1: withNulls('holdSeconds') },
};

export const CALL_STREAM_PREFIX = 'call-';

/** The stream of one call's events. */
export function callStream(callId: string): string {
  return callId.startsWith(CALL_STREAM_PREFIX) ? callId : `${CALL_STREAM_PREFIX}${callId}`;
}

export function isCallEventType(type: string): type is CallEventType {
  return Object.hasOwn(callEventSchemas, type);
}

export class InvalidCallEvent extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidCallEvent';
  }
}

/** A stored event as the current schema reads it; an unknown type or data that fits no schema is named in the error. */
export function readCallEvent(event: {
  type: string;
  schemaVersion: number;
  data: unknown;
  id?: string;
}): CallEvent {
  const { type } = event;
  if (!isCallEventType(type))
    throw new InvalidCallEvent(`event ${event.id ?? ''} has an unknown type "${type}"`.trim());
  const current = CALL_EVENT_VERSIONS[type];
  if (event.schemaVersion > current)
    throw new InvalidCallEvent(
      `event ${event.id ?? ''} of type ${type} is at version ${event.schemaVersion}, newer than this reader (${current})`,
    );
  let data = event.data;
  for (let v = event.schemaVersion; v < current; v++) {
    const up = upcasters[type]?.[v];
    if (!up) throw new InvalidCallEvent(`no upcaster for ${type} from version ${v}`);
    data = up(data);
  }
  const parsed = callEventSchemas[type].safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(data)'}: ${i.message}`)
      .join('; ');
    throw new InvalidCallEvent(`event ${event.id ?? ''} of type ${type} is invalid: ${issues}`);
  }
  return { type, data: parsed.data } as CallEvent;
}

/** Checks data against its type's schema before it is appended: a bad event is never stored. */
export function checkedData<T extends CallEventType>(
  type: T,
  data: CallEventData<T>,
): CallEventData<T> {
  return callEventSchemas[type].parse(data) as CallEventData<T>;
}
