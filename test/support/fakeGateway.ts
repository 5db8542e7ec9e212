import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AudioForkServer } from '../../media/telephony/freeswitch/audioForkServer.js';
import { GatewayServer } from '../../media/telephony/freeswitch/gatewayServer.js';
import { sipTrunkSchema } from '../../media/telephony/freeswitch/sipTrunk.js';
import type { FakeDrachtio } from './fakeDrachtio.js';

export interface FakeGateway {
  gateway: GatewayServer;
  /** The line protocol, for workers. */
  url: string;
  /** The audio fork server, as FreeSWITCH is told to reach it. */
  forkUrl: string;
  close(): Promise<void>;
}

/**
 * The real gateway and audio fork server on loopback, at 8 kHz, with
 * drachtio and FreeSWITCH played by `fake`.
 */
export async function startFakeGateway(
  fake: FakeDrachtio,
  options: { ringTimeoutMs?: number } = {},
): Promise<FakeGateway> {
  const audioFork = new AudioForkServer({ host: '127.0.0.1', port: 0, sampleRate: 8000 });
  const forkUrl = await audioFork.listen();
  const gateway = new GatewayServer({
    line: {
      srf: fake.srf,
      media: fake.media,
      trunk: sipTrunkSchema.parse({ host: 'sip.example.net' }),
      mediaDir: mkdtempSync(path.join(tmpdir(), 'gateway-media-')),
    },
    audioFork,
    audioForkUrl: forkUrl,
    sampleRate: 8000,
    ringTimeoutMs: options.ringTimeoutMs ?? 10_000,
    orphanTimeoutMs: 60_000,
    retainEndedMs: 60_000,
    host: '127.0.0.1',
    port: 0,
  });
  const url = await gateway.listen();
  return {
    gateway,
    url,
    forkUrl,
    async close() {
      await gateway.close();
      await audioFork.close();
    },
  };
}
