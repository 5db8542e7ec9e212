import { STEP_TYPES, type CallFlow, type FlowStep } from '../../flows/model.js';
import type { RelearnedFlow } from '../../learner/relearn.js';
import type { FlowSource, FlowVersionSummary } from '../../store/flowRepository.js';
import type { ValidationIssue } from '../../validation/issues.js';
import {
  CALL_OUTCOMES,
  type ByHandResult,
  type CallPhase,
  type CallStatus,
} from '../../workflows/definitions.js';
import type { CallPage, CallView } from '../callService.js';
import { dateTime, nullable, objectSchema, schemaRef } from './parts.js';
import type { JsonSchema } from './types.js';

/**
 * What the API answers with, by hand after the TypeScript types the routes
 * answer with: objectSchema makes the type checker hold each one to its
 * type's keys.
 */

/** Every phase, and what it means: a Record, so a phase added to CallPhase must be described here. */
const PHASES: Record<CallPhase, string> = {
  dialing: 'ringing the company',
  navigating: 'walking its phone menu',
  holding: 'waiting on hold',
  transferring: "ringing the user's phone to bridge the person who answered",
  connected: 'the user and the person are talking',
  ended: 'over: see outcome and reason',
};

const SOURCES: Record<FlowSource, string> = {
  api: 'written by a person through the API',
  learner: 'learned from calls that reached a person',
};

const described = (meanings: Record<string, string>): string =>
  Object.entries(meanings)
    .map(([value, meaning]) => `\`${value}\`: ${meaning}`)
    .join('; ');

type FlowPin = NonNullable<CallView['flow']>;
type StepView = NonNullable<CallStatus['step']>;

const flowPin = objectSchema<FlowPin>(
  { id: { type: 'string' }, version: { type: 'integer', minimum: 1 } },
  { description: 'A flow at one version, pinned when the call started.' },
);

const callView = objectSchema<CallView>(
  {
    id: { type: 'string', description: 'The call id, e.g. call-6f1c...' },
    phone_number: schemaRef('PhoneNumber'),
    company: { type: 'string' },
    intent: { type: 'string', description: 'The errand, in the words it was given.' },
    user_device: schemaRef('Device'),
    flow: nullable(schemaRef('FlowPin')),
    phase: {
      type: 'string',
      enum: Object.keys(PHASES),
      description: described(PHASES),
    },
    step: nullable(
      objectSchema<StepView>(
        {
          id: { type: 'string' },
          type: { type: 'string', enum: [...STEP_TYPES] },
          description: { type: 'string' },
        },
        { description: "The flow's step under way, while a worker reports it." },
      ),
    ),
    hold_started_at: nullable(dateTime('When the current (or last) hold began.')),
    hold_seconds: {
      type: 'number',
      minimum: 0,
      description: 'Seconds on hold so far, a hold in progress included.',
    },
    last_transcript: nullable({ type: 'string' }),
    outcome: nullable({
      type: 'string',
      description: `How the call ended, once it has: ${CALL_OUTCOMES.join(', ')}.`,
    }),
    reason: nullable({ type: 'string' }),
    decisions: objectSchema<CallView['decisions']>(
      {
        rules: { type: 'integer', minimum: 0 },
        model: { type: 'integer', minimum: 0 },
      },
      { description: "Menu decisions made on the call: by the navigator's rules, and by a model." },
    ),
    dials: nullable({
      type: 'integer',
      minimum: 1,
      description:
        'Dials made: an exploring call whose way through the menus hung up dials again (three at most), avoiding it. Null when no worker reports the call.',
    }),
    dead_ends: nullable({
      type: 'integer',
      minimum: 0,
      description:
        'Ways through the menus met on this call that led nowhere. Null when no worker reports the call.',
    }),
    started_at: dateTime('When the call was placed.'),
    ended_at: nullable(dateTime('When the call ended.')),
    live: {
      type: 'boolean',
      description:
        'Whether a worker answered for the call just now; if not, only the stored record is shown (no step, hold start or transcript).',
    },
  },
  {
    description:
      'A call: its stored record, with what the workflow reports while it runs. Ended calls show their outcome, hold time and flow version.',
  },
);

const callPage = objectSchema<CallPage>(
  {
    calls: { type: 'array', items: schemaRef('CallView') },
    next: nullable({
      type: 'string',
      description: 'Pass as `after` for the next page; null on the last.',
    }),
  },
  { description: 'A page of calls, newest first.' },
);

const callStarted = objectSchema<{ id: string; flow: FlowPin | null; status_url: string }>(
  {
    id: { type: 'string' },
    flow: nullable(schemaRef('FlowPin')),
    status_url: { type: 'string', description: 'Where to read the call.' },
  },
  { description: 'A call placed: the flow it follows (null when it explores).' },
);

const callRequested = objectSchema<{ id: string; requested: 'cancel' | 'connect' }>(
  { id: { type: 'string' }, requested: { type: 'string', enum: ['cancel', 'connect'] } },
  { description: 'A request passed to the running call, which acts on it at once.' },
);

const byHandAnswer = objectSchema<{ id: string } & ByHandResult>(
  {
    id: { type: 'string' },
    sent: { type: 'boolean' },
    reason: nullable({ type: 'string', description: 'Why not, when not sent.' }),
  },
  { description: 'Whether the keys or words went out on the line.' },
);

const byHandQueued = objectSchema<{ id: string; sent: null; reason: string }>(
  { id: { type: 'string' }, sent: { type: 'null' }, reason: { type: 'string' } },
  { description: 'The keys or words wait for the step under way; they go out when it ends.' },
);

/** A stored step is a written one with its defaults filled in: every field but dtmf is there. */
const STORED_STEP_FIELDS: Record<keyof FlowStep, boolean> = {
  id: true,
  type: true,
  description: true,
  dtmf: false,
  timeout: true,
  next_step: true,
  conditions: true,
  metadata: true,
};

const flowStep: JsonSchema = {
  description: 'One step of a stored flow, defaults filled in.',
  allOf: [schemaRef('FlowStepInput')],
  required: Object.entries(STORED_STEP_FIELDS)
    .filter(([, always]) => always)
    .map(([field]) => field),
};

const callFlow = objectSchema<CallFlow>(
  {
    id: { type: 'string', description: 'The flow id, e.g. flow_6f1c...' },
    name: { type: 'string' },
    company: { type: 'string' },
    phone_number: schemaRef('PhoneNumber'),
    description: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
    version: { type: 'integer', minimum: 1, description: 'The version shown.' },
    steps: { type: 'array', items: schemaRef('FlowStep'), minItems: 1 },
    success_count: {
      type: 'integer',
      minimum: 0,
      description: 'Calls that followed this version and ended connected.',
    },
    failure_count: {
      type: 'integer',
      minimum: 0,
      description: 'Calls that followed this version and ended otherwise.',
    },
    created_at: dateTime('When the flow was first stored.'),
    updated_at: dateTime('When its latest version was stored.'),
  },
  { description: 'A stored flow at one version.' },
);

const flowVersionSummary = objectSchema<FlowVersionSummary>(
  {
    version: { type: 'integer', minimum: 1 },
    source: { type: 'string', enum: Object.keys(SOURCES), description: described(SOURCES) },
    steps: { type: 'integer', minimum: 0, description: 'How many steps it has.' },
    success_count: { type: 'integer', minimum: 0 },
    failure_count: { type: 'integer', minimum: 0 },
    created_at: dateTime('When the version was stored.'),
  },
  { description: 'One version of a flow, as its history lists it.' },
);

const flowValidation = objectSchema<{ valid: boolean; issues: ValidationIssue[] }>(
  {
    valid: { type: 'boolean' },
    issues: { type: 'array', items: schemaRef('ValidationIssue') },
  },
  { description: 'Whether the flow would be accepted, and if not every reason why.' },
);

const relearnedFlow = objectSchema<RelearnedFlow>(
  {
    phone_number: schemaRef('PhoneNumber'),
    company: { type: 'string' },
    intent: { type: 'string' },
    flow_id: nullable({ type: 'string' }),
    from_version: nullable({
      type: 'integer',
      minimum: 1,
      description: "The flow's latest version before; null when none was learned yet.",
    }),
    to_version: nullable({
      type: 'integer',
      minimum: 1,
      description: 'The version written; null in a dry run or when nothing changed.',
    }),
    calls: { type: 'integer', minimum: 1, description: 'Calls folded into it.' },
    changed: { type: 'boolean' },
    diff: {
      type: 'array',
      items: { type: 'string' },
      description:
        'What changed, a line each: "+" a step added, "-" one removed, "~" a field changed.',
    },
    steps: { type: 'array', items: schemaRef('FlowStep') },
  },
  {
    description:
      "What learning again did, or in a dry run would do, to one number's flow for one errand.",
  },
);

const learnResult = objectSchema<{ dry_run: boolean; flows: RelearnedFlow[] }>({
  dry_run: { type: 'boolean' },
  flows: { type: 'array', items: schemaRef('RelearnedFlow') },
});

const health = objectSchema<{ ok: true }>({ ok: { type: 'boolean', const: true } });

const readiness = objectSchema<{ ready: boolean; checks: Record<string, string> }>({
  ready: { type: 'boolean' },
  checks: {
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Each thing the API needs (postgres, temporal, event_store...): "ok", or why not.',
    examples: [{ postgres: 'ok', temporal: 'ok', event_store: 'no answer in 2000 ms' }],
  },
});

export function responseSchemas(): Record<string, JsonSchema> {
  return {
    FlowPin: flowPin,
    CallView: callView,
    CallPage: callPage,
    CallStarted: callStarted,
    CallRequested: callRequested,
    ByHandAnswer: byHandAnswer,
    ByHandQueued: byHandQueued,
    FlowStep: flowStep,
    CallFlow: callFlow,
    FlowVersionSummary: flowVersionSummary,
    FlowValidation: flowValidation,
    RelearnedFlow: relearnedFlow,
    LearnResult: learnResult,
    Health: health,
    Readiness: readiness,
  };
}
