import { AudioForkFrames } from '../../media/telephony/freeswitch/audioForkFrames.js';
import { answerForFreeswitch, g711Offer } from '../../media/telephony/freeswitch/g711Offer.js';
import { offerPlainRtp } from '../../media/telephony/freeswitch/plainRtp.js';
import { FakeDrachtio } from '../support/fakeDrachtio.js';
import { dialOutcomeOf } from '../../media/telephony/freeswitch/sipOutcome.js';
import {
  callerHeaders,
  requestUriFor,
  sipTrunkSchema,
  trunkAuth,
} from '../../media/telephony/freeswitch/sipTrunk.js';
import { issuesOf } from '../../validation/issues.js';

const sipError = (status: number, reason?: string) =>
  Object.assign(new Error(`Sip non-success response: ${status}`), { status, reason });

describe('SIP final responses as line states', () => {
  it.each([
    [486, 'busy'],
    [600, 'busy'],
    [603, 'busy'],
    [408, 'no-answer'],
    [480, 'no-answer'],
    [487, 'no-answer'],
    [404, 'disconnected'],
    [410, 'disconnected'],
    [484, 'disconnected'],
    [604, 'disconnected'],
    [403, 'disconnected'],
    [503, 'disconnected'],
  ])('%i is %s', (status, state) => {
    expect(dialOutcomeOf(sipError(status)).state).toBe(state);
  });

  it('keeps the status and reason as the cause, and names a failure that had none', () => {
    expect(dialOutcomeOf(sipError(486, 'Busy Here'))).toEqual({
      state: 'busy',
      cause: 'sip 486 Busy Here',
    });
    expect(dialOutcomeOf(new Error('socket destroyed'))).toEqual({
      state: 'disconnected',
      cause: 'no SIP answer: socket destroyed',
    });
  });
});

describe("mod_audio_fork's messages as 20 ms frames", () => {
  const pcm = (from: number, count: number) => {
    const bytes = Buffer.alloc(count * 2);
    for (let i = 0; i < count; i++) bytes.writeInt16LE(((from + i) % 30000) - 15000, i * 2);
    return bytes;
  };

  it('cuts messages of any size into whole frames, in order, carrying odd bytes over', () => {
    const frames = new AudioForkFrames(8000);
    const whole = pcm(0, 160 * 4);
    // 3.5 frames, then a split in the middle of a sample, then the rest.
    const parts = [whole.subarray(0, 1120), whole.subarray(1120, 1121), whole.subarray(1121)];
    const out = parts.flatMap((p) => frames.push(Buffer.from(p)));
    expect(out.map((f) => f.length)).toEqual([160, 160, 160, 160]);
    const joined = Buffer.concat(out.map((f) => Buffer.from(f.buffer)));
    expect(joined.equals(whole)).toBe(true);
  });

  it('makes 320-sample frames at 16 kHz and holds back a part frame', () => {
    const frames = new AudioForkFrames(16000);
    expect(frames.push(pcm(0, 500))).toHaveLength(1);
    expect(frames.push(pcm(500, 139))).toHaveLength(0);
    const next = frames.push(pcm(639, 1));
    expect(next).toHaveLength(1);
    expect(next[0]![0]).toBe(320 - 15000);
  });
});

describe('the SIP trunk', () => {
  const trunk = sipTrunkSchema.parse({
    host: 'sip.example.net:5080',
    transport: 'tcp',
    callerId: '+15550001111',
  });

  it('sends numbers through the trunk and SIP addresses as they are', () => {
    expect(requestUriFor(trunk, '+18005550100')).toBe(
      'sip:+18005550100@sip.example.net:5080;transport=tcp',
    );
    const digits = sipTrunkSchema.parse({
      host: 'trunk.example',
      numberFormat: 'digits',
      prefix: '99',
    });
    expect(requestUriFor(digits, '+18005550100')).toBe(
      'sip:9918005550100@trunk.example;transport=udp',
    );
    expect(requestUriFor(trunk, 'sip:alice@pbx.example.com')).toBe('sip:alice@pbx.example.com');
    expect(() => requestUriFor(trunk, '555-0100')).toThrow(
      '555-0100 is neither an E.164 number nor a SIP address',
    );
  });

  it('shows the caller id the trunk is told, and answers challenges only with both credentials', () => {
    expect(callerHeaders(trunk, undefined)).toEqual({
      From: '<sip:+15550001111@sip.example.net>',
      'P-Asserted-Identity': '<sip:+15550001111@sip.example.net>',
    });
    expect(callerHeaders(sipTrunkSchema.parse({ host: 'h' }), undefined)).toEqual({});
    expect(trunkAuth(trunk)).toBeUndefined();
    expect(trunkAuth(sipTrunkSchema.parse({ host: 'h', username: 'u', password: 'p' }))).toEqual({
      username: 'u',
      password: 'p',
    });
  });

  it('names what is wrong with a trunk', () => {
    const bad = sipTrunkSchema.safeParse({ host: 'sip example', transport: 'sctp' });
    expect(
      issuesOf(bad.error!)
        .map((i) => i.path)
        .sort(),
    ).toEqual(['host', 'transport']);
    const half = sipTrunkSchema.safeParse({ host: 'sip.example.net', username: 'only-me' });
    expect(issuesOf(half.error!)).toEqual([
      { path: 'password', message: 'give both username and password, or neither' },
    ]);
  });
});

describe("FreeSWITCH's offer, as the trunk is sent it", () => {
  const offer = (media: string[], session: string[] = []) =>
    [
      'v=0',
      'o=FreeSWITCH 1 2 IN IP4 10.0.0.7',
      's=FreeSWITCH',
      'c=IN IP4 10.0.0.7',
      't=0 0',
      ...session,
      ...media,
      '',
    ].join('\r\n');

  it('puts PCMU before PCMA, keeps telephone-event, and drops every other codec and stream', () => {
    const out = g711Offer(
      offer(
        [
          'm=audio 20000 RTP/AVP 8 102 0 101',
          'a=rtpmap:8 PCMA/8000',
          'a=rtpmap:102 opus/48000/2',
          'a=fmtp:102 useinbandfec=1',
          'a=rtpmap:0 PCMU/8000',
          'a=rtpmap:101 telephone-event/8000',
          'a=fmtp:101 0-16',
          'a=sendrecv',
          'm=video 20002 RTP/AVP 96',
          'a=rtpmap:96 VP8/90000',
        ],
        ['a=group:BUNDLE 0 1'],
      ),
    );
    expect(out).toMatch(/^m=audio 20000 RTP\/AVP 0 8 101$/m);
    expect(out).not.toMatch(/opus|useinbandfec|VP8|m=video|BUNDLE/);
    expect(out).toContain('a=sendrecv');
  });

  it('refuses an offer with no G.711, naming what FreeSWITCH offered', () => {
    expect(() =>
      g711Offer(
        offer([
          'm=audio 20000 RTP/AVP 102 101',
          'a=rtpmap:102 opus/48000/2',
          'a=rtpmap:101 telephone-event/8000',
        ]),
      ),
    ).toThrow('FreeSWITCH offered no G.711 codec (it offered opus, telephone-event)');
    expect(() => g711Offer(offer(['m=video 20002 RTP/AVP 96', 'a=rtpmap:96 VP8/90000']))).toThrow(
      'FreeSWITCH offered no audio stream',
    );
  });

  const dual = offer([
    'm=audio 20188 RTP/SAVP 0 8 101 13',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-15',
    'a=crypto:1 AEAD_AES_256_GCM_8 inline:rnz9TCrbn7O7ooxjj+7Msz9icwGTlMGM7Rv6cYeDzqVZjPxyn491DhKvgrM=',
    'a=ptime:20',
    'm=audio 20188 RTP/AVP 0 8 101 13',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-15',
    'a=ptime:20',
  ]);

  it("takes the plain RTP stream of FreeSWITCH's SRTP-and-plain offer, without its keys", () => {
    const out = g711Offer(dual);
    expect(out.match(/^m=.*$/gm)).toEqual(['m=audio 20188 RTP/AVP 0 8 101']);
    expect(out).not.toMatch(/a=crypto|SAVP/);
    expect(() =>
      g711Offer(offer(['m=audio 20188 RTP/SAVP 0', 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x'])),
    ).toThrow(
      'FreeSWITCH offered only RTP/SAVP audio, and the trunk takes plain RTP (RTP/AVP): set rtp_secure_media=false in its vars.xml',
    );
  });

  it("fits the trunk's one-stream answer to FreeSWITCH's offer, declining the streams it did not take", () => {
    const trunk = offer([
      'm=audio 40000 RTP/AVP 0 101',
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:101 telephone-event/8000',
    ]);
    const fitted = answerForFreeswitch(dual, trunk);
    expect(fitted.match(/^m=.*$/gm)).toEqual([
      'm=audio 0 RTP/SAVP 0',
      'm=audio 40000 RTP/AVP 0 101',
    ]);
    expect(fitted).toContain('a=rtpmap:101 telephone-event/8000');
    // An offer of one stream is answered as the trunk answered it.
    const single = g711Offer(dual);
    expect(answerForFreeswitch(single, trunk)).toBe(trunk);
  });
});

describe('FreeSWITCH told to offer plain RTP', () => {
  it('sets rtp_secure_media_inbound=forbidden globally, and fails loudly when FreeSWITCH refuses', async () => {
    const fake = new FakeDrachtio();
    await offerPlainRtp(fake.media);
    expect(fake.requests).toEqual([
      { to: 'media', method: 'api', command: 'global_setvar rtp_secure_media_inbound=forbidden' },
    ]);
    const refusing = { api: async () => '-ERR global_setvar Command not found!' };
    await expect(offerPlainRtp(refusing)).rejects.toThrow(
      'FreeSWITCH would not take rtp_secure_media_inbound=forbidden (global_setvar answered "-ERR global_setvar Command not found!")',
    );
  });
});
