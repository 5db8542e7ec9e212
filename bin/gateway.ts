/**
 * The FreeSWITCH gateway: connects to drachtio-server (SIP) and FreeSWITCH
 * (media), and serves the workers' line protocol on GATEWAY_HOST:PORT, so
 * that workers with TELEPHONY=freeswitch and GATEWAY_URL place calls through
 * the SIP trunk. Prints {"ready":true,"url":...} on stdout once it serves.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import Srf from 'drachtio-srf';
import Mrf from 'drachtio-fsmrf';
import { loadGatewayConfig } from '../config/gatewayEnv.js';
import { AudioForkServer } from '../media/telephony/freeswitch/audioForkServer.js';
import type { MediaServerLike, SrfLike } from '../media/telephony/freeswitch/drachtioBoundary.js';
import { PLAIN_RTP_VARIABLE, offerPlainRtp } from '../media/telephony/freeswitch/plainRtp.js';
import { GatewayServer } from '../media/telephony/freeswitch/gatewayServer.js';
import { createLogger } from '../runtime/logger.js';

const config = loadGatewayConfig();
const log = createLogger('gateway', config.LOG_LEVEL);

/** drachtio-srf's connect() returns no promise: its 'connect' event says how it went. */
function connectDrachtio(): Promise<Srf> {
  const srf = new Srf();
  return new Promise((resolve, reject) => {
    (srf as unknown as NodeJS.EventEmitter).once(
      'connect',
      (err: Error | null, hostport: string) => {
        if (err)
          reject(
            new Error(
              `drachtio-server at ${config.DRACHTIO_HOST}:${config.DRACHTIO_PORT}: ${err.message}`,
            ),
          );
        else {
          log.info({ hostport }, 'connected to drachtio-server');
          resolve(srf);
        }
      },
    );
    // Without a listener, a socket error would be thrown; drachtio-srf reconnects by itself.
    (srf as unknown as NodeJS.EventEmitter).on('error', (err: Error) =>
      log.warn({ err }, 'drachtio-server connection error'),
    );
    srf.connect({
      host: config.DRACHTIO_HOST,
      port: config.DRACHTIO_PORT,
      secret: config.DRACHTIO_SECRET,
    });
  });
}

// FreeSWITCH writes recordings where it is told, but makes no folders.
for (const dir of ['speech', 'recordings'])
  await mkdir(path.join(config.mediaDir, dir), { recursive: true });

const srf = await connectDrachtio();
const mrf = new Mrf(srf);
const media = await mrf.connect({
  address: config.FREESWITCH_HOST,
  port: config.FREESWITCH_PORT,
  secret: config.FREESWITCH_SECRET,
  listenPort: config.FREESWITCH_LISTEN_PORT,
  ...(config.FREESWITCH_LISTEN_ADDRESS ? { listenAddress: config.FREESWITCH_LISTEN_ADDRESS } : {}),
});
log.info({ address: config.FREESWITCH_HOST }, 'connected to FreeSWITCH');
await offerPlainRtp(media as unknown as MediaServerLike);
log.info({ variable: PLAIN_RTP_VARIABLE }, 'FreeSWITCH offers the trunk plain RTP');

const audioFork = new AudioForkServer({
  host: config.AUDIO_FORK_HOST,
  port: config.AUDIO_FORK_PORT,
  sampleRate: config.GATEWAY_SAMPLE_RATE,
});
const ownForkUrl = await audioFork.listen();
const gateway = new GatewayServer({
  line: {
    // The packages' objects, seen through the surface the gateway is written and tested against.
    srf: srf as unknown as SrfLike,
    media: media as unknown as MediaServerLike,
    trunk: config.trunk,
    mediaDir: config.mediaDir,
    log: (line) => log.info(line, 'line'),
  },
  audioFork,
  audioForkUrl: config.AUDIO_FORK_URL ?? ownForkUrl,
  sampleRate: config.GATEWAY_SAMPLE_RATE,
  ringTimeoutMs: config.RING_TIMEOUT_S * 1000,
  orphanTimeoutMs: config.ORPHAN_TIMEOUT_S * 1000,
  retainEndedMs: 10 * 60_000,
  host: config.GATEWAY_HOST,
  port: config.GATEWAY_PORT,
  log: (line) => log.info(line, 'gateway'),
});
const url = await gateway.listen();
log.info({ url, trunk: config.trunk.host }, 'gateway serving');
process.stdout.write(`${JSON.stringify({ ready: true, url })}\n`);

let stopping = false;
const stop = () =>
  void (async () => {
    if (stopping) return;
    stopping = true;
    await gateway.close();
    await audioFork.close();
    media.disconnect();
    srf.disconnect();
    process.exit(0);
  })();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
