import { parse } from 'sdp-transform';

export type G711 = 'PCMU' | 'PCMA';

/** What the carrier takes from a caller's offer: where to send audio, and in which codec. */
export interface MediaPlan {
  address: string;
  port: number;
  codec: G711;
  payloadType: number;
  /** The caller's payload type for RFC 4733 keys, if it offered them. */
  eventPayloadType: number | undefined;
  /** What the caller will do: a held call only sends (or nothing), and hears nothing. */
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
  /** Every stream offered, in order: the answer declines all but the one taken (RFC 3264). */
  streams: Array<{ type: string; protocol: string; payload: string; taken: boolean }>;
}

const STATIC: Record<number, G711> = { 0: 'PCMU', 8: 'PCMA' };

/**
 * The caller's SDP offer, read for an audio stream the carrier can carry:
 * plain RTP (the carrier has no SRTP), G.711 at 8 kHz in the caller's order
 * of preference. Throws, saying why, when there is none: the INVITE is then
 * refused with a 488.
 */
export function planFromOffer(sdp: string): MediaPlan {
  const session = parse(sdp);
  const offered = session.media.filter((m) => m.type === 'audio' && m.port > 0);
  if (offered.length === 0) throw new Error('the offer has no audio stream');
  const audio = offered.find((m) => /^RTP\/AVP$/i.test(m.protocol));
  if (!audio)
    throw new Error(
      `the offer has only ${offered.map((m) => m.protocol).join(', ')} audio; this carrier takes plain RTP (RTP/AVP)`,
    );
  const address = audio.connection?.ip ?? session.connection?.ip;
  if (!address) throw new Error('the offer names no address for its audio (c=)');
  const codecOf = (pt: number): string | undefined => {
    const mapped = audio.rtp.find((r) => r.payload === pt);
    if (mapped) return mapped.rate === 8000 ? mapped.codec.toUpperCase() : undefined;
    return STATIC[pt];
  };
  const nameOf = (pt: number): string => {
    const mapped = audio.rtp.find((r) => r.payload === pt);
    return mapped ? `${mapped.codec}/${mapped.rate}` : (STATIC[pt] ?? String(pt));
  };
  const payloads = String(audio.payloads ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
  const payloadType = payloads.find((pt) => codecOf(pt) === 'PCMU' || codecOf(pt) === 'PCMA');
  if (payloadType === undefined)
    throw new Error(
      `the offer has no G.711 (PCMU or PCMA at 8000 Hz); it offered ${payloads.map((pt) => nameOf(pt)).join(', ')}`,
    );
  const event = audio.rtp.find(
    (r) => r.codec.toLowerCase() === 'telephone-event' && r.rate === 8000,
  );
  const direction = audio.direction ?? session.direction ?? 'sendrecv';
  return {
    address,
    port: audio.port,
    codec: codecOf(payloadType) as G711,
    payloadType,
    eventPayloadType: event?.payload,
    direction,
    streams: session.media.map((m) => ({
      type: m.type,
      protocol: m.protocol,
      payload: String(m.payloads ?? '0').split(/\s+/)[0] || '0',
      taken: m === audio,
    })),
  };
}

const ANSWER_DIRECTION = {
  sendrecv: 'sendrecv',
  sendonly: 'recvonly',
  recvonly: 'sendonly',
  inactive: 'inactive',
} as const;

/** The carrier's answer: the one codec it chose, keys if offered, and the direction that mirrors the caller's. */
export function answerFor(
  plan: MediaPlan,
  local: { address: string; port: number; sessionId: number; version: number },
): string {
  const pts = [
    plan.payloadType,
    ...(plan.eventPayloadType !== undefined ? [plan.eventPayloadType] : []),
  ];
  const taken = [
    `m=audio ${local.port} RTP/AVP ${pts.join(' ')}`,
    `a=rtpmap:${plan.payloadType} ${plan.codec}/8000`,
    ...(plan.eventPayloadType !== undefined
      ? [
          `a=rtpmap:${plan.eventPayloadType} telephone-event/8000`,
          `a=fmtp:${plan.eventPayloadType} 0-15`,
        ]
      : []),
    'a=ptime:20',
    `a=${ANSWER_DIRECTION[plan.direction]}`,
  ];
  return [
    'v=0',
    `o=holdslayer-carrier ${local.sessionId} ${local.version} IN IP4 ${local.address}`,
    's=Hold Slayer simulated carrier',
    `c=IN IP4 ${local.address}`,
    't=0 0',
    ...plan.streams.flatMap((s) =>
      s.taken ? taken : [`m=${s.type} 0 ${s.protocol} ${s.payload}`],
    ),
    '',
  ].join('\r\n');
}
