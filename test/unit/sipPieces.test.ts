import { readRtp, writeRtp } from '../../carrier/sip/rtpPacket.js';
import { answerFor, planFromOffer } from '../../carrier/sip/sdpAnswer.js';
import { TelephoneEvents } from '../../carrier/sip/telephoneEvents.js';

const offer = (m: string, lines: string[]) =>
  ['v=0', 'o=- 1 1 IN IP4 10.0.0.9', 's=-', 'c=IN IP4 10.0.0.9', 't=0 0', m, ...lines, ''].join(
    '\r\n',
  );

describe('RTP packets', () => {
  it('reads back what it writes, wrapping sequence and timestamp', () => {
    const payload = Buffer.from([1, 2, 3, 4]);
    const packet = {
      payloadType: 0,
      marker: true,
      sequence: 0x1ffff,
      timestamp: 2 ** 32 + 5,
      ssrc: 42,
      payload,
    };
    expect(readRtp(writeRtp(packet))).toEqual({ ...packet, sequence: 0xffff, timestamp: 5 });
  });

  it('skips CSRCs and a header extension, removes padding, and refuses RTCP and junk', () => {
    const body = Buffer.from([9, 9, 9]);
    const withExtras = Buffer.concat([
      Buffer.from([0x80 | 0x20 | 0x10 | 1, 8, 0, 1, 0, 0, 0, 160, 0, 0, 0, 7]),
      Buffer.from([0, 0, 0, 1]), // one CSRC
      Buffer.from([0xbe, 0xde, 0, 1, 1, 2, 3, 4]), // a one-word extension
      body,
      Buffer.from([0, 2]), // two bytes of padding
    ]);
    expect(readRtp(withExtras)?.payload).toEqual(body);
    expect(readRtp(Buffer.from([0x80, 200, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]))).toBeUndefined();
    expect(readRtp(Buffer.from('hello world, not rtp'))).toBeUndefined();
  });
});

describe('RFC 4733 keys', () => {
  it('reports each press once, however many packets carry it', () => {
    const events = new TelephoneEvents();
    const packet = (event: number, end: boolean, duration: number) =>
      Buffer.from([event, (end ? 0x80 : 0) | 10, duration >> 8, duration & 0xff]);
    const heard = [
      events.read(packet(5, false, 160), 1000),
      events.read(packet(5, false, 320), 1000),
      events.read(packet(5, true, 480), 1000),
      events.read(packet(5, true, 480), 1000),
      events.read(packet(11, false, 160), 2000),
      events.read(packet(16, false, 160), 3000),
    ];
    expect(heard.filter(Boolean)).toEqual(['5', '#']);
  });
});

describe("the carrier's SDP answer", () => {
  it("takes the caller's first G.711 and its telephone-event, and mirrors a hold", () => {
    const plan = planFromOffer(
      offer('m=audio 4000 RTP/AVP 9 8 0 96', [
        'a=rtpmap:9 G722/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:96 telephone-event/8000',
        'a=sendonly',
      ]),
    );
    expect(plan).toEqual({
      address: '10.0.0.9',
      port: 4000,
      codec: 'PCMA',
      payloadType: 8,
      eventPayloadType: 96,
      direction: 'sendonly',
      streams: [{ type: 'audio', protocol: 'RTP/AVP', payload: '9', taken: true }],
    });
    const answer = answerFor(plan, { address: '127.0.0.1', port: 5000, sessionId: 1, version: 2 });
    expect(answer).toMatch(/^m=audio 5000 RTP\/AVP 8 96$/m);
    expect(answer).toContain('a=recvonly');
  });

  it('reads static payload types without rtpmap, and refuses an offer with no G.711, naming it', () => {
    expect(planFromOffer(offer('m=audio 4000 RTP/AVP 0', [])).codec).toBe('PCMU');
    expect(() =>
      planFromOffer(offer('m=audio 4000 RTP/AVP 102', ['a=rtpmap:102 opus/48000/2'])),
    ).toThrow('the offer has no G.711 (PCMU or PCMA at 8000 Hz); it offered opus/48000');
    expect(() => planFromOffer(offer('m=video 4000 RTP/AVP 96', []))).toThrow(
      'the offer has no audio stream',
    );
  });

  it('takes the plain RTP audio of an offer that also offers it as SRTP, declining the rest stream by stream', () => {
    const plan = planFromOffer(
      offer('m=audio 4000 RTP/SAVP 0 101', [
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:kdgBNfOnFC5wtVBAddp2wag9lBFWhq8dPuRO/qEo',
        'm=audio 4000 RTP/AVP 0 101',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:101 telephone-event/8000',
        'm=video 4002 RTP/AVP 96',
        'a=rtpmap:96 VP8/90000',
      ]),
    );
    const answer = answerFor(plan, { address: '127.0.0.1', port: 5000, sessionId: 1, version: 1 });
    expect(answer.match(/^m=.*$/gm)).toEqual([
      'm=audio 0 RTP/SAVP 0',
      'm=audio 5000 RTP/AVP 0 101',
      'm=video 0 RTP/AVP 96',
    ]);
    expect(answer).not.toContain('a=crypto');
    expect(() =>
      planFromOffer(
        offer('m=audio 4000 RTP/SAVP 0', ['a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x']),
      ),
    ).toThrow('the offer has only RTP/SAVP audio; this carrier takes plain RTP (RTP/AVP)');
  });
});
