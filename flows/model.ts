import { z } from 'zod';
import { DtmfSyntaxError, parseDtmf } from './dtmf.js';
import { MAX_STEP_TIMEOUT_S, flowGraphIssues, type GraphIssue } from './flowGraph.js';
import { DEFAULT_HOLD_TIMEOUT_S, DEFAULT_STEP_TIMEOUT_S } from './stepDefaults.js';

/**
 * The call flow model of the design: a reusable path through one company's
 * phone menu, as a linked list of steps with branches.
 */
export const STEP_TYPES = ['DTMF', 'WAIT', 'LISTEN', 'HOLD', 'SPEAK', 'TRANSFER'] as const;
export type StepType = (typeof STEP_TYPES)[number];

export { DEFAULT_HOLD_TIMEOUT_S, DEFAULT_STEP_TIMEOUT_S };

const stepId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, "_", "." or "-"');

function isRegex(pattern: string): boolean {
  try {
    new RegExp(pattern, 'i');
    return true;
  } catch {
    return false;
  }
}

export const conditionSchema = z.strictObject({
  /** Case-insensitive regular expression matched against what the LISTEN step heard. */
  pattern: z.string().min(1).refine(isRegex, 'is not a valid regular expression'),
  next_step: stepId,
});

export const stepSchema = z
  .strictObject({
    id: stepId,
    type: z.enum(STEP_TYPES),
    description: z.string().max(500).default(''),
    dtmf: z.string().min(1).optional(),
    timeout: z.number().positive().max(MAX_STEP_TIMEOUT_S).optional(),
    next_step: stepId.nullable().optional(),
    conditions: z.array(conditionSchema).max(50).default([]),
    metadata: z.record(z.string(), z.unknown()).default({}),
  })
  .superRefine((step, ctx) => {
    if (step.dtmf !== undefined) {
      if (step.type !== 'DTMF' && step.type !== 'LISTEN') {
        ctx.addIssue({
          code: 'custom',
          path: ['dtmf'],
          message: `a ${step.type} step takes no dtmf`,
        });
      } else {
        try {
          parseDtmf(step.dtmf);
        } catch (e) {
          if (!(e instanceof DtmfSyntaxError)) throw e;
          ctx.addIssue({ code: 'custom', path: ['dtmf'], message: e.message });
        }
      }
    }
    if (step.type === 'DTMF' && step.dtmf === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['dtmf'],
        message: `DTMF step "${step.id}" has no digits`,
      });
    }
    if (step.type === 'SPEAK') {
      const { text, audio } = step.metadata;
      if (typeof text !== 'string' && typeof audio !== 'string') {
        ctx.addIssue({
          code: 'custom',
          path: ['metadata'],
          message: `SPEAK step "${step.id}" needs metadata.text or metadata.audio`,
        });
      }
      if (
        audio !== undefined &&
        (typeof audio !== 'string' || !/^[A-Za-z0-9_-]+\.wav$/.test(audio))
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['metadata', 'audio'],
          message: 'names a WAV file of the audio folder, e.g. "greeting.wav"',
        });
      }
    }
    if (
      step.metadata.expect !== undefined &&
      (step.type !== 'LISTEN' || typeof step.metadata.expect !== 'string')
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['metadata', 'expect'],
        message: 'is the text a LISTEN step expects its prompt to end with',
      });
    }
    const recordings = step.metadata.recordings;
    if (recordings !== undefined) {
      const valid =
        step.type === 'HOLD' &&
        typeof recordings === 'object' &&
        recordings !== null &&
        Object.entries(recordings).every(
          ([key, list]) =>
            (key === 'fingerprints' || key === 'openings') &&
            Array.isArray(list) &&
            list.every((x) => typeof x === 'string'),
        );
      if (!valid) {
        ctx.addIssue({
          code: 'custom',
          path: ['metadata', 'recordings'],
          message:
            'is what a HOLD step knows its queue plays: { fingerprints?: string[], openings?: string[] }',
        });
      }
    }
    if (step.conditions.length > 0 && step.type !== 'LISTEN') {
      ctx.addIssue({
        code: 'custom',
        path: ['conditions'],
        message: 'only a LISTEN step branches on conditions',
      });
    }
  })
  .transform((step) => ({
    ...step,
    timeout:
      step.timeout ?? (step.type === 'HOLD' ? DEFAULT_HOLD_TIMEOUT_S : DEFAULT_STEP_TIMEOUT_S),
    next_step: step.next_step ?? null,
  }));

export type FlowStep = z.output<typeof stepSchema>;
export type FlowStepInput = z.input<typeof stepSchema>;
export type FlowCondition = z.output<typeof conditionSchema>;

/**
 * Steps are checked as a graph: ids unique, every reference names a step;
 * then, once those hold, as the call would run them (flowGraph.ts).
 */
export const stepsSchema = z
  .array(stepSchema)
  .min(1, 'a flow needs at least one step')
  .max(500)
  .superRefine((steps, ctx) => {
    const issues = [...idIssues(steps), ...referenceIssues(steps)];
    // A duplicate id or a dangling reference would make every graph finding about it a second report.
    if (issues.length === 0) issues.push(...flowGraphIssues(steps));
    for (const issue of issues) ctx.addIssue({ code: 'custom', ...issue });
  });

function idIssues(steps: FlowStep[]): GraphIssue[] {
  const seen = new Map<string, number>();
  return steps.flatMap((step, index) => {
    const first = seen.get(step.id);
    if (first === undefined) {
      seen.set(step.id, index);
      return [];
    }
    return [
      {
        path: [index, 'id'],
        message: `step id "${step.id}" is used twice (also at steps[${first}])`,
      },
    ];
  });
}

// Runs even when a step itself is invalid, so its fields may be missing here.
function referenceIssues(steps: FlowStep[]): GraphIssue[] {
  const ids = new Set(steps.map((s) => s.id));
  return steps.flatMap((step, index) => [
    ...(step.next_step != null && !ids.has(step.next_step)
      ? [
          {
            path: [index, 'next_step'],
            message: `step "${step.id}" names next_step "${step.next_step}", which is not a step of this flow`,
          },
        ]
      : []),
    ...(step.conditions ?? []).flatMap((condition, ci) =>
      ids.has(condition.next_step)
        ? []
        : [
            {
              path: [index, 'conditions', ci, 'next_step'],
              message: `step "${step.id}" has a condition leading to "${condition.next_step}", which is not a step of this flow`,
            },
          ],
    ),
  ]);
}

const e164 = z
  .string()
  .regex(/^\+[1-9][0-9]{6,14}$/, 'must be an E.164 number such as +18005550100');

export const flowDefinitionSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  company: z.string().trim().min(1).max(200),
  phone_number: e164,
  description: z.string().max(2000).default(''),
  tags: z.array(z.string().trim().min(1).max(50)).max(20).default([]),
  steps: stepsSchema,
});

export type FlowDefinition = z.output<typeof flowDefinitionSchema>;
export type FlowDefinitionInput = z.input<typeof flowDefinitionSchema>;

export { e164 as e164Schema };

/** A stored flow at one version, as the API shows it and calls pin it. */
export interface CallFlow {
  id: string;
  name: string;
  company: string;
  phone_number: string;
  description: string;
  tags: string[];
  version: number;
  steps: FlowStep[];
  success_count: number;
  failure_count: number;
  created_at: string;
  updated_at: string;
}
