import path from 'node:path';
import { freePort } from '../runtime/freePort.js';
import { startGatewayProcess } from '../runtime/gatewayProcess.js';
import type { WorkerLine } from '../runtime/localService.js';
import type { Stack } from '../runtime/stack.js';

/**
 * The worker's line through the FreeSWITCH gateway, drachtio-server and
 * FreeSWITCH (found as DRACHTIO_* and FREESWITCH_* say) to the carrier's SIP
 * face, its trunk. The words come from the carrier's recogniser over
 * Deepgram's protocol: a SIP line carries no captions.
 */
export async function lineThroughFreeswitch(
  stack: Stack,
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<WorkerLine & { trunk: string }> {
  // sip:carrier@host:port; URL would read it all as a path (sip: is not a special scheme).
  const trunk = /@([^;>]+)/.exec(stack.carrierSip ?? '')?.[1];
  if (!trunk)
    throw new Error(
      'calls through FreeSWITCH need the carrier to answer SIP: start it with SIM_SIP_PORT',
    );
  const gateway = await startGatewayProcess({
    env: {
      ...env,
      SIP_TRUNK_HOST: trunk,
      GATEWAY_PORT: String(await freePort()),
      AUDIO_FORK_PORT: String(await freePort()),
      MEDIA_DIR: env.MEDIA_DIR ?? path.join(dataDir, 'media'),
    },
    logFile: path.join(dataDir, 'logs', 'gateway.log'),
  });
  return {
    trunk,
    url: gateway.url,
    config: {
      TELEPHONY: 'freeswitch',
      GATEWAY_URL: gateway.url,
      STT_PROVIDER: 'deepgram',
      DEEPGRAM_URL: stack.carrierUrl,
      DEEPGRAM_API_KEY: 'carrier-recogniser',
    },
    stop: () => gateway.stop(),
  };
}
