import { createSocket, type Socket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import alawmulaw from 'alawmulaw';
import { VoiceActivityDetector } from '../../media/analysis/vad.js';
import { readRtp, writeRtp } from './rtpPacket.js';
import type { MediaPlan } from './sdpAnswer.js';
import { TelephoneEvents } from './telephoneEvents.js';

/** 8 kHz, 20 ms: what one G.711 packet carries. */
const SAMPLES_PER_PACKET = 160;
/** Speech starts after this many voiced frames, and ends after this many quiet ones. */
const ONSET_FRAMES = 3;
const OFFSET_FRAMES = 25;
/** A caller that stops sending RTP mid-word (silence suppression, a stream's end) has stopped speaking. */
const GAP_MS = 300;
/** Audio kept from before the onset, so an utterance starts with its first sound; and the most kept at all (10 s). */
const PREROLL_FRAMES = 10;
const MAX_UTTERANCE_FRAMES = 500;

export interface RtpSessionEvents {
  /** A key arrived as an RFC 4733 event. */
  key(digit: string): void;
  /** The caller started or stopped speaking, as a voice activity detector hears it; at the end, what it said. */
  speech(speaking: boolean, utterance?: Int16Array): void;
}

/**
 * One leg's media on the SIP face: a UDP socket that sends the call's
 * audio as G.711 RTP to the address the caller's SDP named, and hears
 * the caller's RTP back (keys as telephone-events, voice as G.711).
 */
export class RtpSession {
  private sequence = randomInt(0, 0x10000);
  private timestamp = randomInt(0, 0x100000000);
  private readonly ssrc = randomInt(0, 0x100000000);
  private first = true;
  private readonly events = new TelephoneEvents();
  private voiced = 0;
  private quiet = 0;
  private speaking = false;
  private closed = false;
  private gap: NodeJS.Timeout | undefined;
  /** The last frames heard, and while speech lasts, all of it. */
  private heard: Int16Array[] = [];
  /** Packets heard from the caller, by kind: what a test or a person reads to see media flowed. */
  readonly received = { audio: 0, events: 0, other: 0 };

  private constructor(
    private readonly socket: Socket,
    private plan: MediaPlan,
    private readonly vad: VoiceActivityDetector,
    private readonly on: RtpSessionEvents,
  ) {
    socket.on('message', (data) => this.hear(data));
    // A peer that went away makes ICMP errors; the call's signalling ends it, not the socket.
    socket.on('error', () => undefined);
  }

  static async open(address: string, plan: MediaPlan, on: RtpSessionEvents): Promise<RtpSession> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new RtpSession(socket, plan, await VoiceActivityDetector.create(8000), on);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** A re-INVITE moved the caller's media, or put it on hold. */
  replan(plan: MediaPlan): void {
    this.plan = plan;
  }

  /** One 20 ms frame of the call at 8 kHz, out to the caller unless it holds the call. */
  send(frame: Int16Array): void {
    if (this.closed) return;
    if (this.plan.direction === 'sendonly' || this.plan.direction === 'inactive') return;
    const samples =
      frame.length === SAMPLES_PER_PACKET ? frame : frame.subarray(0, SAMPLES_PER_PACKET);
    const law = this.plan.codec === 'PCMU' ? alawmulaw.mulaw : alawmulaw.alaw;
    const packet = writeRtp({
      payloadType: this.plan.payloadType,
      marker: this.first,
      sequence: this.sequence,
      timestamp: this.timestamp,
      ssrc: this.ssrc,
      payload: Buffer.from(law.encode(samples)),
    });
    this.first = false;
    this.sequence = (this.sequence + 1) & 0xffff;
    this.timestamp = (this.timestamp + SAMPLES_PER_PACKET) >>> 0;
    this.socket.send(packet, this.plan.port, this.plan.address);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.gap);
    this.socket.close();
    this.vad.dispose();
  }

  private hear(data: Buffer): void {
    if (this.closed) return;
    const packet = readRtp(data);
    if (!packet) return;
    if (packet.payloadType === this.plan.eventPayloadType) {
      this.received.events++;
      const key = this.events.read(packet.payload, packet.timestamp);
      if (key) this.on.key(key);
      return;
    }
    if (packet.payloadType !== 0 && packet.payloadType !== 8) {
      this.received.other++;
      return;
    }
    this.received.audio++;
    const law = packet.payloadType === 0 ? alawmulaw.mulaw : alawmulaw.alaw;
    const samples = law.decode(new Uint8Array(packet.payload));
    for (let at = 0; at + SAMPLES_PER_PACKET <= samples.length; at += SAMPLES_PER_PACKET)
      this.listen(samples.subarray(at, at + SAMPLES_PER_PACKET));
  }

  private listen(frame: Int16Array): void {
    clearTimeout(this.gap);
    this.heard.push(frame.slice());
    const keep = this.speaking ? MAX_UTTERANCE_FRAMES : PREROLL_FRAMES;
    if (this.heard.length > keep) this.heard.splice(0, this.heard.length - keep);
    if (this.speaking) this.gap = setTimeout(() => this.stopSpeaking(), GAP_MS);
    if (this.vad.isVoice(frame)) {
      this.voiced++;
      this.quiet = 0;
      if (!this.speaking && this.voiced >= ONSET_FRAMES) {
        this.speaking = true;
        this.on.speech(true);
      }
    } else {
      this.quiet++;
      this.voiced = 0;
      if (this.speaking && this.quiet >= OFFSET_FRAMES) this.stopSpeaking();
    }
  }

  private stopSpeaking(): void {
    clearTimeout(this.gap);
    if (!this.speaking || this.closed) return;
    this.speaking = false;
    this.voiced = 0;
    const utterance = new Int16Array(this.heard.length * SAMPLES_PER_PACKET);
    this.heard.forEach((f, i) => utterance.set(f, i * SAMPLES_PER_PACKET));
    this.heard = [];
    this.on.speech(false, utterance);
  }
}
