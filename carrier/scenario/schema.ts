import { z } from 'zod';
import { lineConditionsSchema } from '../line/lineConditions.js';

/**
 * The scenario format holdslayer-scenario/v1 (SCENARIOS.md). Every object is
 * strict: an unknown key is an error that names its path.
 */
const seconds = z.number().nonnegative().max(86_400);
const positiveSeconds = z.number().positive().max(86_400);

export const TONES = ['ringback', 'busy', 'sit', 'beep'] as const;

const clipKinds = {
  say: z.strictObject({ say: z.string().min(1).max(5000) }),
  sound: z.strictObject({
    sound: z
      .string()
      .regex(
        /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/,
        'must name a recorded prompt such as "basic-pbx-ivr-main"',
      ),
    caption: z.string().optional(),
  }),
  moh: z.strictObject({
    moh: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'must name a music-on-hold track such as "macroform-cold_day"'),
    seconds: positiveSeconds.optional(),
  }),
  tone: z.strictObject({ tone: z.enum(TONES), seconds: positiveSeconds.optional() }),
  silence: z.strictObject({ silence: positiveSeconds }),
  file: z.strictObject({
    file: z
      .string()
      .min(1)
      .refine(
        (p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'),
        'must be a path inside the scenario folder',
      ),
    caption: z.string().optional(),
  }),
} as const;

export type Clip = {
  [K in keyof typeof clipKinds]: z.output<(typeof clipKinds)[K]>;
}[keyof typeof clipKinds];

function parseClip(value: unknown, ctx: z.RefinementCtx, path: PropertyKey[]): Clip | undefined {
  const kinds = Object.keys(clipKinds) as (keyof typeof clipKinds)[];
  const kind =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? kinds.find((k) => Object.hasOwn(value, k))
      : undefined;
  if (!kind) {
    ctx.addIssue({
      code: 'custom',
      path,
      message: `a clip is an object with one of ${kinds.join(', ')}`,
    });
    return undefined;
  }
  const result = clipKinds[kind].safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} in a "${kind}" clip`
        : issue.message;
    ctx.addIssue({ code: 'custom', path: [...path, ...issue.path], message });
  }
  return undefined;
}

/** One clip, or a list played in order. Errors name the clip's own key. */
export const playSchema = z.unknown().transform((value, ctx): Clip[] => {
  if (value === undefined) {
    ctx.addIssue({ code: 'custom', message: 'is required: a clip or a list of clips' });
    return [];
  }
  if (Array.isArray(value)) {
    if (value.length === 0)
      ctx.addIssue({ code: 'custom', message: 'a clip list must not be empty' });
    return value.flatMap((clip, i) => parseClip(clip, ctx, [i]) ?? []);
  }
  const clip = parseClip(value, ctx, []);
  return clip ? [clip] : [];
});
export type Play = Clip[];

const nodeRef = z.string().min(1);
const dtmfKey = z.string().regex(/^[0-9*#]{1,8}$/, 'option keys are DTMF digits (0-9, *, #)');

const promptNode = z.strictObject({ type: z.literal('prompt'), play: playSchema, next: nodeRef });

const menuNode = z.strictObject({
  type: z.literal('menu'),
  play: playSchema,
  options: z.record(dtmfKey, nodeRef).default({}),
  speech: z.record(z.string().min(1), nodeRef).optional(),
  timeout: positiveSeconds.default(5),
  retries: z.number().int().min(0).max(20).default(2),
  invalid: playSchema.optional(),
  bargeIn: z.boolean().default(true),
  onTimeout: nodeRef.optional(),
  onExhausted: nodeRef.optional(),
});

const inputNode = z.strictObject({
  type: z.literal('input'),
  play: playSchema,
  digits: z
    .strictObject({
      min: z.number().int().min(1).max(64),
      max: z.number().int().min(1).max(64),
      terminator: z.enum(['#', '*']).optional(),
    })
    .refine((d) => d.min <= d.max, { message: 'min must not exceed max' }),
  expect: z
    .string()
    .refine(
      (e) => e.startsWith('secret:') || isRegex(e),
      'must be "secret:NAME" or a valid regular expression',
    )
    .optional(),
  next: nodeRef,
  onInvalid: nodeRef.optional(),
});

const waitRange = z.union([
  seconds,
  z
    .tuple([seconds, seconds])
    .refine(([a, b]) => a <= b, { message: 'the first wait bound must not exceed the second' }),
]);

const queueNode = z.strictObject({
  type: z.literal('queue'),
  music: playSchema,
  announce: z
    .strictObject({ play: playSchema, every: positiveSeconds, first: seconds.optional() })
    .optional(),
  wait: waitRange,
  agent: nodeRef,
  callback: z
    .strictObject({
      every: positiveSeconds,
      play: playSchema,
      digit: z.string().regex(/^[0-9*#]$/, 'must be one DTMF key'),
      next: nodeRef,
    })
    .optional(),
});

const agentNode = z.strictObject({
  type: z.literal('agent'),
  play: playSchema,
  department: z.string().min(1),
  patience: positiveSeconds.default(10),
});

const hangupNode = z.strictObject({ type: z.literal('hangup'), play: playSchema.optional() });

export const nodeSchema = z.discriminatedUnion('type', [
  promptNode,
  menuNode,
  inputNode,
  queueNode,
  agentNode,
  hangupNode,
]);
export type ScenarioNode = z.output<typeof nodeSchema>;
export type MenuNode = z.output<typeof menuNode>;
export type InputNode = z.output<typeof inputNode>;
export type QueueNode = z.output<typeof queueNode>;
export type AgentNode = z.output<typeof agentNode>;

export const OUTCOMES = ['answer', 'busy', 'no-answer', 'disconnected'] as const;
export type LineOutcome = (typeof OUTCOMES)[number];

const taskSchema = z
  .strictObject({
    intent: z.string().min(1),
    expect: z.string().min(1).optional(),
    expectOutcome: z.enum(['busy', 'no-answer', 'disconnected']).optional(),
    secrets: z
      .record(
        z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'secret names are lower-case identifiers'),
        z.string().regex(/^[0-9*#]+$/, 'a secret is keyed in, so it is DTMF digits'),
      )
      .default({}),
  })
  .refine((t) => (t.expect === undefined) !== (t.expectOutcome === undefined), {
    message: 'a task names exactly one of "expect" (an agent node) or "expectOutcome"',
  });

export const scenarioSchema = z
  .strictObject({
    format: z.literal('holdslayer-scenario/v1'),
    id: z.string().regex(/^[a-z0-9-]+$/, 'must match [a-z0-9-]+'),
    company: z.string().min(1),
    number: z
      .string()
      .regex(/^\+[1-9][0-9]{6,14}$/, 'must be an E.164 number such as +18005550100'),
    ring: seconds.default(2),
    outcome: z.enum(OUTCOMES).default('answer'),
    start: nodeRef,
    nodes: z.record(z.string().min(1), nodeSchema),
    task: taskSchema,
    /** An extension of the format: the network conditions the line's audio reaches the caller through. */
    line: lineConditionsSchema.optional(),
  })
  .superRefine((scenario, ctx) => {
    const exists = (ref: string) => Object.hasOwn(scenario.nodes, ref);
    const check = (ref: string | undefined, path: PropertyKey[]) => {
      if (ref !== undefined && !exists(ref)) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `names node "${ref}", which is not in "nodes"`,
        });
      }
    };
    check(scenario.start, ['start']);
    for (const [id, node] of Object.entries(scenario.nodes)) {
      const at = (...rest: PropertyKey[]) => ['nodes', id, ...rest];
      switch (node.type) {
        case 'prompt':
          check(node.next, at('next'));
          break;
        case 'menu':
          for (const [key, ref] of Object.entries(node.options)) check(ref, at('options', key));
          for (const [phrase, ref] of Object.entries(node.speech ?? {}))
            check(ref, at('speech', phrase));
          check(node.onTimeout, at('onTimeout'));
          check(node.onExhausted, at('onExhausted'));
          if (Object.keys(node.options).length === 0 && !node.speech) {
            ctx.addIssue({
              code: 'custom',
              path: at('options'),
              message: 'a menu needs options or speech',
            });
          }
          break;
        case 'input':
          check(node.next, at('next'));
          check(node.onInvalid, at('onInvalid'));
          if (
            node.expect?.startsWith('secret:') &&
            !Object.hasOwn(scenario.task.secrets, node.expect.slice(7))
          ) {
            ctx.addIssue({
              code: 'custom',
              path: at('expect'),
              message: `names secret "${node.expect.slice(7)}", which is not in task.secrets`,
            });
          }
          break;
        case 'queue':
          check(node.agent, at('agent'));
          check(node.callback?.next, at('callback', 'next'));
          if (exists(node.agent) && scenario.nodes[node.agent]!.type !== 'agent') {
            ctx.addIssue({
              code: 'custom',
              path: at('agent'),
              message: `names "${node.agent}", which is not an agent node`,
            });
          }
          break;
        default:
          break;
      }
    }
    if (scenario.task.expect !== undefined) {
      const target = scenario.nodes[scenario.task.expect];
      if (!target) check(scenario.task.expect, ['task', 'expect']);
      else if (target.type !== 'agent') {
        ctx.addIssue({
          code: 'custom',
          path: ['task', 'expect'],
          message: `names "${scenario.task.expect}", which is not an agent node`,
        });
      }
    }
  });

export type Scenario = z.output<typeof scenarioSchema>;

function isRegex(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
