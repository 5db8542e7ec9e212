import path from 'node:path';
import { z } from 'zod';
import { parseLineFlag } from '../carrier/line/lineConditions.js';
import { parseWith } from '../validation/issues.js';
import { logLevel, optional, port, sampleRate, wsUrl } from './envSchemas.js';
import { dataDir, projectRoot } from './paths.js';

/** A comma-separated list of numbers or prefixes; "none" is the empty list. */
const numberList = (pattern: RegExp, message: string) =>
  z
    .string()
    .transform((v) =>
      v.trim() === 'none'
        ? []
        : v
            .split(',')
            .map((x) => x.trim())
            .filter((x) => x.length > 0),
    )
    .pipe(z.array(z.string().regex(pattern, message)));

const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:7233');

/**
 * Everything Hold Slayer reads from the environment, validated at start-up
 * so that a wrong value stops it with the variable's name, not later with a
 * riddle. Absent values select the embedded defaults.
 */
export const envSchema = z.object({
  HOLDSLAYER_DATA_DIR: optional(z.string().min(1)),
  /** A Temporal frontend; absent, a local dev server is started. */
  TEMPORAL_ADDRESS: optional(hostPort),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('hold-slayer-calls'),
  /** The `temporal` CLI to start the dev server with; found on PATH or built when absent. */
  TEMPORAL_CLI: optional(z.string().min(1)),
  TEMPORAL_UI_PORT: port.default(8233),
  /** PostgreSQL; absent, an embedded server is started. */
  DATABASE_URL: optional(
    z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL'),
  ),
  /** 32 bytes, base64: encrypts the secrets given with calls. Absent, one is made and kept in the data folder. */
  HOLDSLAYER_SECRET_KEY: optional(
    z
      .string()
      .refine((k) => Buffer.from(k, 'base64').length === 32, 'must be 32 bytes, base64-encoded'),
  ),
  /** Where calls' events are kept: PostgreSQL (the database above) or KurrentDB. */
  EVENT_STORE: z.enum(['postgres', 'kurrentdb']).default('postgres'),
  /** KurrentDB, e.g. kurrentdb://127.0.0.1:2113?tls=false. */
  KURRENTDB_URL: optional(
    z
      .string()
      .regex(
        /^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\/\S+$/,
        'must be a kurrentdb:// connection string',
      ),
  ),
  /** Whether this worker also runs the learner, which folds calls' events into flows (one runs at a time across workers). */
  LEARNER: z.enum(['on', 'off']).default('on'),
  /** What carries calls: the simulated carrier, or the FreeSWITCH gateway (npm run gateway) in front of a SIP trunk. */
  TELEPHONY: z.enum(['sim', 'freeswitch']).default('sim'),
  /** The FreeSWITCH gateway's line protocol, for TELEPHONY=freeswitch. */
  GATEWAY_URL: optional(wsUrl),
  /** The rate the gateway forks the far end's audio at. */
  GATEWAY_SAMPLE_RATE: sampleRate,
  /** The simulated carrier; absent, one is started. */
  SIM_CARRIER_URL: optional(wsUrl),
  /** Folders or files of scenarios for a carrier started here, separated by ":". */
  SIM_SCENARIOS: z.string().min(1).default(path.join(projectRoot, 'scenarios')),
  /** Share of caption words a carrier started here gets wrong, standing in for a real recogniser. */
  SIM_CAPTION_WER: z.coerce.number().min(0).max(1).default(0),
  /** Network conditions a carrier started here puts on every call's audio: a preset (clean, typical, poor) or JSON (carrier/line/lineConditions). */
  SIM_LINE: optional(
    z.string().superRefine((value, ctx) => {
      try {
        parseLineFlag(value);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
      }
    }),
  ),
  /** How soon the simulated user's phone picks up: a SIP device set to auto-answer (Call-Info answer-after=0) takes about this long. */
  /** A carrier started here also answers SIP on this UDP port (its SIP face), for calls placed through FreeSWITCH. */
  SIM_SIP_PORT: optional(port.refine((p) => p > 0, 'must be a port from 1 to 65535')),
  SIM_USER_ANSWER_MS: z.coerce.number().int().min(0).max(120_000).default(200),
  SIM_SAMPLE_RATE: sampleRate,
  /** Speech to text: the simulated carrier's captions (offline), Deepgram live streaming, or OpenAI transcription. */
  STT_PROVIDER: z.enum(['captions', 'deepgram', 'openai']).default('captions'),
  /** Text to speech: eSpeak NG (offline) or OpenAI. */
  TTS_PROVIDER: z.enum(['espeak', 'openai']).default('espeak'),
  /** Who decides where the menu rules are unsure: nobody (the rules' best guess stands), an OpenAI model or an Anthropic one. */
  NAVIGATOR_MODEL: z.enum(['none', 'openai', 'anthropic']).default('none'),
  /** Below this confidence the rules' choice goes to the language model. */
  NAVIGATOR_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.6),
  DEEPGRAM_API_KEY: optional(z.string().min(1)),
  /** Another server speaking Deepgram's protocol, e.g. ws://127.0.0.1:8080. */
  DEEPGRAM_URL: optional(z.string().regex(/^wss?:\/\/[^\s]+$/, 'must be a ws:// or wss:// URL')),
  DEEPGRAM_MODEL: z.string().min(1).default('nova-3'),
  OPENAI_API_KEY: optional(z.string().min(1)),
  /** Another server speaking OpenAI's protocol, e.g. http://127.0.0.1:4010/v1. */
  OPENAI_BASE_URL: optional(z.string().url('must be a URL, e.g. http://127.0.0.1:4010/v1')),
  OPENAI_TRANSCRIBE_MODEL: z.string().min(1).default('gpt-4o-mini-transcribe'),
  OPENAI_TTS_MODEL: z.string().min(1).default('gpt-4o-mini-tts'),
  OPENAI_TTS_VOICE: z.string().min(1).default('alloy'),
  OPENAI_NAVIGATOR_MODEL: z.string().min(1).default('gpt-4o-mini'),
  ANTHROPIC_API_KEY: optional(z.string().min(1)),
  /** Another server speaking Anthropic's protocol, e.g. http://127.0.0.1:4020 (the SDK adds /v1/messages). */
  ANTHROPIC_BASE_URL: optional(
    z.url({
      protocol: /^https?$/,
      error: 'must be an http:// or https:// URL, e.g. http://127.0.0.1:4020',
    }),
  ),
  ANTHROPIC_NAVIGATOR_MODEL: z.string().min(1).default('claude-haiku-4-5'),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  /** Keys the API accepts (comma-separated); absent, one is made and kept in the data folder's api-key file. */
  API_KEYS: optional(
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((k) => k.trim())
          .filter((k) => k.length > 0),
      )
      .pipe(
        z
          .array(
            z
              .string()
              .regex(
                /^[A-Za-z0-9._~+/=-]{16,200}$/,
                'each key is 16-200 letters, digits or ._~+/=- (no spaces, no commas)',
              ),
          )
          .min(1, 'name at least one key'),
      ),
  ),
  /** Largest request body the API reads, in KiB. */
  API_BODY_LIMIT_KB: z.coerce.number().int().min(1).max(10_240).default(256),
  /** Emergency codes never dialled, comma-separated ("none" for none); absent, the built-in list. */
  REFUSED_EMERGENCY_NUMBERS: optional(
    numberList(/^[0-9]{2,6}$/, 'an emergency code is 2-6 digits, e.g. 911'),
  ),
  /** E.164 prefixes never dialled (premium rate...), comma-separated ("none" for none); absent, the built-in list. */
  REFUSED_NUMBER_PREFIXES: optional(
    numberList(/^\+[0-9]{1,10}$/, 'a prefix is "+" and 1-10 digits, e.g. +1900'),
  ),
  API_PORT: port.default(3000),
  /** The number calls are placed from. */
  CALLER_ID: optional(z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'must be an E.164 number')),
  /** How soon a hold whose worker died is picked up by another worker. */
  HOLD_HEARTBEAT_TIMEOUT_S: z.coerce.number().int().min(2).max(300).default(10),
  LOG_LEVEL: logLevel,
});

/** A provider chosen without its key is a mistake to report at start-up, naming the variable. */
const checkedEnvSchema = envSchema.superRefine((env, ctx) => {
  const needs = (
    key: 'DEEPGRAM_API_KEY' | 'OPENAI_API_KEY' | 'ANTHROPIC_API_KEY',
    because: string,
  ) => {
    if (!env[key])
      ctx.addIssue({ code: 'custom', path: [key], message: `is required: ${because}` });
  };
  if (env.STT_PROVIDER === 'deepgram') needs('DEEPGRAM_API_KEY', 'STT_PROVIDER is deepgram');
  if (env.STT_PROVIDER === 'openai') needs('OPENAI_API_KEY', 'STT_PROVIDER is openai');
  if (env.TTS_PROVIDER === 'openai') needs('OPENAI_API_KEY', 'TTS_PROVIDER is openai');
  if (env.NAVIGATOR_MODEL === 'openai') needs('OPENAI_API_KEY', 'NAVIGATOR_MODEL is openai');
  if (env.NAVIGATOR_MODEL === 'anthropic') {
    needs('ANTHROPIC_API_KEY', 'NAVIGATOR_MODEL is anthropic');
  }
  if (env.TELEPHONY === 'freeswitch') {
    if (!env.GATEWAY_URL)
      ctx.addIssue({
        code: 'custom',
        path: ['GATEWAY_URL'],
        message: 'is required: TELEPHONY is freeswitch',
      });
    // A real line carries no captions: what it says must be heard by a recogniser.
    if (env.STT_PROVIDER === 'captions')
      ctx.addIssue({
        code: 'custom',
        path: ['STT_PROVIDER'],
        message:
          'must be deepgram or openai when TELEPHONY is freeswitch: a real line has no captions',
      });
  }
  if (env.EVENT_STORE === 'kurrentdb' && !env.KURRENTDB_URL)
    ctx.addIssue({
      code: 'custom',
      path: ['KURRENTDB_URL'],
      message: 'is required: EVENT_STORE is kurrentdb',
    });
});

export type Env = z.output<typeof envSchema>;

export interface Config extends Env {
  dataDir: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = parseWith(checkedEnvSchema, env, 'configuration (environment variables)');
  return { ...parsed, dataDir: dataDir(env) };
}
