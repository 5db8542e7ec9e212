import { loadConfig } from '../../config/env.js';
import { loadGatewayConfig } from '../../config/gatewayEnv.js';
import { ValidationError } from '../../validation/issues.js';

function issuesOf(run: () => unknown): Record<string, string> {
  try {
    run();
  } catch (e) {
    if (e instanceof ValidationError)
      return Object.fromEntries(e.issues.map((i) => [i.path, i.message]));
    throw e;
  }
  throw new Error('the configuration was accepted');
}

describe('the FreeSWITCH gateway configuration', () => {
  it('takes a trunk and drachtio secret, with defaults for the rest', () => {
    const config = loadGatewayConfig({
      DRACHTIO_SECRET: 'cymru',
      SIP_TRUNK_HOST: 'sip.example.net:5060',
      SIP_TRUNK_USERNAME: 'acct',
      SIP_TRUNK_PASSWORD: 'pw',
      CALLER_ID: '+15550001111',
      HOLDSLAYER_DATA_DIR: '/var/lib/holdslayer',
    });
    expect(config).toMatchObject({
      DRACHTIO_PORT: 9022,
      FREESWITCH_PORT: 8021,
      GATEWAY_PORT: 5080,
      RING_TIMEOUT_S: 60,
      mediaDir: '/var/lib/holdslayer/media',
      trunk: {
        host: 'sip.example.net:5060',
        transport: 'udp',
        username: 'acct',
        password: 'pw',
        callerId: '+15550001111',
        numberFormat: 'e164',
      },
    });
  });

  it('names what is missing or wrong', () => {
    expect(
      issuesOf(() => loadGatewayConfig({ RING_TIMEOUT_S: '1', AUDIO_FORK_URL: 'http://x' })),
    ).toEqual({
      DRACHTIO_SECRET: expect.stringContaining('expected string'),
      SIP_TRUNK_HOST: expect.stringContaining('expected string'),
      RING_TIMEOUT_S: expect.stringContaining('>=5'),
      AUDIO_FORK_URL: 'must be a ws:// URL ending in /audio-fork/',
    });
    expect(
      issuesOf(() =>
        loadGatewayConfig({
          DRACHTIO_SECRET: 's',
          SIP_TRUNK_HOST: 'sip.example.net',
          SIP_TRUNK_USERNAME: 'only',
        }),
      ),
    ).toEqual({ password: 'give both username and password, or neither' });
  });
});

describe('a worker on the FreeSWITCH gateway', () => {
  it('needs the gateway and a recogniser: a real line has no captions', () => {
    expect(issuesOf(() => loadConfig({ TELEPHONY: 'freeswitch' }))).toEqual({
      GATEWAY_URL: 'is required: TELEPHONY is freeswitch',
      STT_PROVIDER:
        'must be deepgram or openai when TELEPHONY is freeswitch: a real line has no captions',
    });
    const config = loadConfig({
      TELEPHONY: 'freeswitch',
      GATEWAY_URL: 'ws://gateway:5080',
      STT_PROVIDER: 'deepgram',
      DEEPGRAM_API_KEY: 'dg-key',
    });
    expect(config).toMatchObject({
      TELEPHONY: 'freeswitch',
      GATEWAY_URL: 'ws://gateway:5080',
      GATEWAY_SAMPLE_RATE: 8000,
    });
  });
});
