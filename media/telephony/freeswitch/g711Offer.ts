import { parse, write, type MediaDescription } from 'sdp-transform';

/** What a telephone trunk takes: G.711 µ-law, then A-law, and keys as RFC 4733 events. */
const WANTED = ['PCMU', 'PCMA', 'telephone-event'];

/**
 * FreeSWITCH's offer cut down to what a trunk expects: audio only, G.711
 * first. FreeSWITCH 1.10's stock codec preferences lead with OPUS and may
 * add a video stream; many trunks answer such an offer with the wrong codec
 * or refuse it (488). Throws when the offer has no G.711 at all: that is
 * FreeSWITCH's codec configuration, and a person must fix it there.
 */
export function g711Offer(sdp: string): string {
  const session = parse(sdp);
  const audio = session.media.find((m) => m.type === 'audio');
  if (!audio) throw new Error('FreeSWITCH offered no audio stream');
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
  // A BUNDLE group would name the streams just dropped.
  const rest = { ...session };
  delete rest.groups;
  return write({ ...rest, media: [trimmed] });
}
