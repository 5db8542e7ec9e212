/**
 * RTP packets (RFC 3550) as the SIP face sends and reads them: the 12-byte
 * fixed header, CSRCs and a header extension skipped, padding removed.
 * The maintained TypeScript RTP library brings a whole media framework
 * with it; the fixed header is all a G.711 line needs.
 */
export interface RtpPacket {
  payloadType: number;
  marker: boolean;
  sequence: number;
  timestamp: number;
  ssrc: number;
  payload: Buffer;
}

const VERSION = 2;
const FIXED_HEADER = 12;

export function writeRtp(packet: RtpPacket): Buffer {
  const out = Buffer.alloc(FIXED_HEADER + packet.payload.length);
  out[0] = VERSION << 6;
  out[1] = (packet.marker ? 0x80 : 0) | (packet.payloadType & 0x7f);
  out.writeUInt16BE(packet.sequence & 0xffff, 2);
  out.writeUInt32BE(packet.timestamp >>> 0, 4);
  out.writeUInt32BE(packet.ssrc >>> 0, 8);
  packet.payload.copy(out, FIXED_HEADER);
  return out;
}

/** The packet in `data`, or undefined for anything that is not RTP version 2 (RTCP is told apart by its type). */
export function readRtp(data: Buffer): RtpPacket | undefined {
  if (data.length < FIXED_HEADER || data[0]! >> 6 !== VERSION) return undefined;
  const payloadType = data[1]! & 0x7f;
  // RTCP on the same port (RFC 5761): its packet types 200-204 land on 72-76 here.
  if (payloadType >= 72 && payloadType <= 76) return undefined;
  let at = FIXED_HEADER + (data[0]! & 0x0f) * 4;
  if (data[0]! & 0x10) {
    if (data.length < at + 4) return undefined;
    at += 4 + data.readUInt16BE(at + 2) * 4;
  }
  let end = data.length;
  if (data[0]! & 0x20) end -= data[data.length - 1]!;
  if (at > end) return undefined;
  return {
    payloadType,
    marker: (data[1]! & 0x80) !== 0,
    sequence: data.readUInt16BE(2),
    timestamp: data.readUInt32BE(4),
    ssrc: data.readUInt32BE(8),
    payload: data.subarray(at, end),
  };
}
