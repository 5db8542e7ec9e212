import { parse, write, type MediaDescription, type SessionDescription } from 'sdp-transform';

/** What a telephone trunk takes: G.711 µ-law, then A-law, and keys as RFC 4733 events. */
const WANTED = ['PCMU', 'PCMA', 'telephone-event'];
const PLAIN_RTP = /^RTP\/AVP$/i;

/**
 * FreeSWITCH's offer cut down to what a trunk expects: one plain RTP audio
 * stream, G.711 first. FreeSWITCH 1.10's stock codec preferences lead with
 * OPUS and may add a video stream, and an offer it makes for a leg placed by
 * drachtio-fsmrf carries its audio twice (SRTP with a dozen SDES keys, then
 * plain RTP on the same port); trunks answer such offers with the wrong
 * codec, the wrong stream, or a 488. Throws, naming what to fix in
 * FreeSWITCH's configuration, when no plain G.711 stream is on offer.
 */
export function g711Offer(sdp: string): string {
  const session = parse(sdp);
  const audio = plainAudio(session);
  const keep = audio.rtp
    .filter((r) => WANTED.includes(r.codec) && r.rate === 8000)
    .sort((a, b) => WANTED.indexOf(a.codec) - WANTED.indexOf(b.codec));
  if (!keep.some((r) => r.codec !== 'telephone-event'))
    throw new Error(
      `FreeSWITCH offered no G.711 codec (it offered ${audio.rtp.map((r) => r.codec).join(', ') || 'none'}): put PCMU,PCMA in its codec preferences`,
    );
  const payloads = new Set(keep.map((r) => r.payload));
  const trimmed: MediaDescription = {
    ...audio,
    rtp: keep,
    payloads: keep.map((r) => r.payload).join(' '),
    ...(audio.fmtp ? { fmtp: audio.fmtp.filter((f) => payloads.has(f.payload)) } : {}),
    ...(audio.rtcpFb
      ? { rtcpFb: audio.rtcpFb.filter((f) => f.payload === '*' || payloads.has(Number(f.payload))) }
      : {}),
  };
  delete trimmed.crypto;
  // A BUNDLE group would name the streams just dropped.
  const rest = { ...session };
  delete rest.groups;
  return write({ ...rest, media: [trimmed] });
}

/**
 * The trunk's answer to `g711Offer`, fitted to the offer FreeSWITCH made:
 * an answer has one stream for each stream offered (RFC 3264), so the
 * trunk's stream answers FreeSWITCH's plain RTP audio and every other
 * stream FreeSWITCH offered is declined (port 0). Otherwise FreeSWITCH
 * reads the plain answer against its SRTP stream and secures a line the
 * trunk sends in the clear. An answer that already fits is left as it is.
 */
export function answerForFreeswitch(freeswitchOffer: string, trunkAnswer: string): string {
  const offer = parse(freeswitchOffer);
  const answer = parse(trunkAnswer);
  if (offer.media.length === answer.media.length) return trunkAnswer;
  const chosen = offer.media.indexOf(plainAudio(offer));
  const stream = answer.media.find((m) => m.type === 'audio');
  if (!stream) return trunkAnswer;
  const media = offer.media.map((m, i): MediaDescription =>
    i === chosen
      ? stream
      : {
          type: m.type,
          port: 0,
          protocol: m.protocol,
          payloads: String(m.payloads ?? '').split(/\s+/)[0] ?? '0',
          rtp: [],
          fmtp: [],
        },
  );
  return write({ ...answer, media });
}

/** The offer's plain RTP audio stream, or its only audio stream if that is SRTP-only (refused). */
function plainAudio(session: SessionDescription): MediaDescription {
  const streams = session.media.filter((m) => m.type === 'audio' && m.port > 0);
  if (streams.length === 0) throw new Error('FreeSWITCH offered no audio stream');
  const plain = streams.find((m) => PLAIN_RTP.test(m.protocol));
  if (!plain)
    throw new Error(
      `FreeSWITCH offered only ${streams.map((m) => m.protocol).join(', ')} audio, and the trunk takes plain RTP (RTP/AVP): set rtp_secure_media=false in its vars.xml`,
    );
  return plain;
}
