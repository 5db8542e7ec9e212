import { z } from 'zod';
import { sipTrunkSchema, type SipTrunk } from '../media/telephony/freeswitch/sipTrunk.js';
import { parseWith } from '../validation/issues.js';
import { logLevel, optional, port, sampleRate } from './envSchemas.js';
import { dataDir } from './paths.js';

const host = z.string().regex(/^[A-Za-z0-9.:-]+$/, 'must be a host name or address');

/**
 * What the FreeSWITCH gateway (npm run gateway) reads from the environment:
 * where drachtio-server and FreeSWITCH are, the SIP trunk, and where
 * FreeSWITCH sends each call's audio.
 */
const gatewayEnvFields = z.object({
  DRACHTIO_HOST: host.default('127.0.0.1'),
  DRACHTIO_PORT: port.default(9022),
  DRACHTIO_SECRET: z.string().min(1, 'is required: drachtio-server admin secret'),
  FREESWITCH_HOST: host.default('127.0.0.1'),
  /** FreeSWITCH's event socket. */
  FREESWITCH_PORT: port.default(8021),
  FREESWITCH_SECRET: z.string().min(1).default('ClueCon'),
  /** Where FreeSWITCH connects back for each call's control socket: an address of this host it can reach. */
  FREESWITCH_LISTEN_ADDRESS: optional(host),
  FREESWITCH_LISTEN_PORT: port.default(0),
  SIP_TRUNK_HOST: z.string().min(1, 'is required: the SIP trunk, host or host:port'),
  SIP_TRUNK_TRANSPORT: z.enum(['udp', 'tcp', 'tls']).default('udp'),
  SIP_TRUNK_USERNAME: optional(z.string().min(1)),
  SIP_TRUNK_PASSWORD: optional(z.string().min(1)),
  SIP_TRUNK_NUMBER_FORMAT: z.enum(['e164', 'digits']).default('e164'),
  SIP_TRUNK_PREFIX: z.string().default(''),
  CALLER_ID: optional(z.string()),
  /** The gateway's line protocol, for the workers (their GATEWAY_URL). */
  GATEWAY_HOST: host.default('127.0.0.1'),
  GATEWAY_PORT: port.default(5080),
  GATEWAY_SAMPLE_RATE: sampleRate,
  /** The server mod_audio_fork sends audio to. */
  AUDIO_FORK_HOST: host.default('127.0.0.1'),
  AUDIO_FORK_PORT: port.default(5081),
  /** That server as FreeSWITCH reaches it, e.g. ws://gateway:5081/audio-fork/; absent, its own address. */
  AUDIO_FORK_URL: optional(
    z
      .string()
      .regex(/^wss?:\/\/[^\s]+\/audio-fork\/$/, 'must be a ws:// URL ending in /audio-fork/'),
  ),
  /** A folder this process writes and FreeSWITCH reads (speech to play, recordings); the same path on both. */
  MEDIA_DIR: optional(z.string().min(1)),
  RING_TIMEOUT_S: z.coerce.number().int().min(5).max(300).default(60),
  ORPHAN_TIMEOUT_S: z.coerce.number().int().min(10).max(86_400).default(600),
  LOG_LEVEL: logLevel,
});

/** FreeSWITCH must be told how it reaches the fork server: a server on every address has no one address to give. */
const gatewayEnvSchema = gatewayEnvFields.refine(
  (env) => env.AUDIO_FORK_URL !== undefined || !['0.0.0.0', '::'].includes(env.AUDIO_FORK_HOST),
  {
    path: ['AUDIO_FORK_URL'],
    message:
      'is required when AUDIO_FORK_HOST listens on every address: the URL FreeSWITCH reaches it at',
  },
);

export type GatewayEnv = z.output<typeof gatewayEnvSchema>;

export interface GatewayConfig extends GatewayEnv {
  trunk: SipTrunk;
  mediaDir: string;
}

/** The gateway's configuration, or a ValidationError naming each bad variable. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = parseWith(gatewayEnvSchema, env, 'gateway configuration (environment variables)');
  const trunk = parseWith(
    sipTrunkSchema,
    {
      host: parsed.SIP_TRUNK_HOST,
      transport: parsed.SIP_TRUNK_TRANSPORT,
      numberFormat: parsed.SIP_TRUNK_NUMBER_FORMAT,
      prefix: parsed.SIP_TRUNK_PREFIX,
      ...(parsed.SIP_TRUNK_USERNAME ? { username: parsed.SIP_TRUNK_USERNAME } : {}),
      ...(parsed.SIP_TRUNK_PASSWORD ? { password: parsed.SIP_TRUNK_PASSWORD } : {}),
      ...(parsed.CALLER_ID ? { callerId: parsed.CALLER_ID } : {}),
    },
    'SIP trunk (SIP_TRUNK_*, CALLER_ID)',
  );
  return { ...parsed, trunk, mediaDir: parsed.MEDIA_DIR ?? `${dataDir(env)}/media` };
}
