import { createSocket } from 'node:dgram';
import sip, { type Remote, type SipRequest, type SipStack } from 'sip';
import type { CarrierMessage } from '../../media/telephony/sim/protocol.js';
import type { SimCall } from '../call/simCall.js';
import type { CarrierServer } from '../server.js';
import type { SimulatedPhones } from '../userPhones.js';
import { RtpSession } from './rtpSession.js';
import { answerFor, planFromOffer, type MediaPlan } from './sdpAnswer.js';
import { SipDialog } from './sipDialog.js';
import type { SpokenChoices } from './spokenChoice.js';

export interface SipFaceOptions {
  carrier: Pick<CarrierServer, 'placeCall' | 'findCall'>;
  phones: SimulatedPhones;
  /** The address SIP and RTP listen on. */
  host: string;
  port: number;
  /** The address put in Contact and SDP, when `host` is a wildcard. */
  publicAddress?: string;
  /** How long a user's phone rings before it picks up. */
  answerAfterMs: number;
  /** Makes out which of a menu's spoken choices a caller said (see SpokenChoices); absent, speech has no words. */
  ear?: Pick<SpokenChoices, 'recognise'>;
  /** Where a company call's captions go (the carrier's recogniser): the SIP line itself carries none. */
  captions?: (callId: string, text: string, final: boolean) => void;
  log?: (line: Record<string, unknown>) => void;
}

/**
 * Ties a leg to a call of the carrier's: the gateway names the call it
 * places (and the user's leg it rings for that call) so that ground truth
 * is written under the workflow's call id. Without it, the SIP Call-ID is
 * the call's id, and a user's phone rung that way is a phone on its own.
 */
const CALL_ID_HEADER = 'x-holdslayer-call-id';
const NUMBER = /^\+?[1-9][0-9]{6,14}$/;
const FINAL_FOR: Record<string, [number, string]> = {
  busy: [486, 'Busy Here'],
  'no-answer': [480, 'Temporarily Unavailable'],
  disconnected: [404, 'Not Found'],
};

interface Leg {
  dialog: SipDialog;
  rtp: RtpSession;
  plan: MediaPlan;
  sdpVersion: number;
  /** The far end hung up or cancelled: nothing more is sent to it. */
  over: boolean;
  /** The carrier's call behind a company leg; the company leg ends it when its caller leaves. */
  call?: SimCall;
  silence?: NodeJS.Timeout;
}

/**
 * The simulated carrier as a SIP peer on UDP: INVITEs to its scenarios'
 * numbers are calls that play as G.711 RTP at 8 kHz and hear RFC 4733 keys
 * and RTP speech back; an INVITE to any other user is the person's own
 * phone, which picks up by itself. The same calls and ground truth as the
 * WebSocket protocol, but no captions on the line: a SIP line carries only
 * sound (the captions go to `captions`, for the carrier's recogniser), and
 * the carrier hears a caller's words only as far as its `ear` makes out
 * which of the menu's spoken choices they were.
 */
export class CarrierSipFace {
  private stack: SipStack | undefined;
  private readonly legs = new Map<string, Leg>();

  constructor(private readonly options: SipFaceOptions) {}

  private get address(): string {
    const { host, publicAddress } = this.options;
    return publicAddress ?? (host === '0.0.0.0' ? '127.0.0.1' : host);
  }

  private get contact(): string {
    return `sip:carrier@${this.address}:${this.options.port}`;
  }

  /** Resolves with the carrier's SIP address once it listens. */
  async listen(): Promise<string> {
    // The sip package binds without reporting failure: a port in use is found out here instead.
    await ensureFree(this.options.host, this.options.port);
    this.stack = sip.create(
      {
        address: this.options.host,
        port: this.options.port,
        publicAddress: this.address,
        udp: true,
        tcp: false,
        logger: { error: (e) => this.options.log?.({ msg: 'sip error', error: String(e) }) },
      },
      (request, remote) => this.onRequest(request, remote),
    );
    return this.contact;
  }

  async close(): Promise<void> {
    await Promise.all([...this.legs.values()].map((leg) => this.hangUp(leg)));
    this.stack?.destroy();
    this.stack = undefined;
  }

  private onRequest(request: SipRequest, _remote: Remote): void {
    const leg = this.legs.get(request.headers['call-id']);
    const inDialog =
      request.headers.to.params.tag !== undefined && request.headers.to.params.tag !== null;
    if (request.method === 'ACK') return leg?.dialog.acked();
    if (request.method === 'CANCEL') return this.cancelled(request, leg);
    if (inDialog) return this.inDialog(request, leg);
    if (request.method === 'OPTIONS') return this.send(request, 200, 'OK');
    if (request.method !== 'INVITE') return this.send(request, 405, 'Method Not Allowed');
    if (leg) return; // A retransmitted INVITE: its transaction answers it.
    void this.invited(request).catch((e: Error) =>
      this.options.log?.({
        msg: 'sip invite failed',
        callId: request.headers['call-id'],
        error: e.message,
      }),
    );
  }

  private async invited(request: SipRequest): Promise<void> {
    const dialog = new SipDialog(this.stack!, request, this.contact);
    dialog.respond(100, 'Trying');
    const user = sip.parseUri(request.uri)?.user ?? '';
    let plan: MediaPlan;
    try {
      plan = planFromOffer(request.content ?? '');
    } catch (e) {
      // An INVITE without an offer asks for ours; this carrier answers offers only.
      this.options.log?.({ msg: 'sip offer refused', reason: (e as Error).message });
      return dialog.respond(488, 'Not Acceptable Here');
    }
    const named = headerValue(request, CALL_ID_HEADER);
    if (NUMBER.test(user)) return this.companyCall(dialog, plan, user, named);
    return this.userPhone(dialog, plan, request, user, named);
  }

  /** A call to a number: the carrier's scenario for it, or the intercept for a number nobody has. */
  private async companyCall(
    dialog: SipDialog,
    plan: MediaPlan,
    user: string,
    named: string | undefined,
  ): Promise<void> {
    const to = user.startsWith('+') ? user : `+${user}`;
    let speechId = 0;
    const leg = await this.openLeg(dialog, plan, {
      key: (digit) => {
        this.options.log?.({ msg: 'sip key', callId: leg.call?.id, digit });
        leg.call?.receiveDtmf(digit);
      },
      speech: (speaking, utterance) => {
        if (speaking) return;
        const call = leg.call;
        if (!call) return;
        const id = ++speechId;
        const choices = call.speechChoices;
        // The words, if the carrier's ear makes out one of the menu's choices; the speech itself either way.
        void (
          this.options.ear && utterance && choices.length > 0
            ? this.options.ear.recognise(utterance, choices)
            : Promise.resolve('')
        )
          .catch(() => '')
          .then((text) => {
            this.options.log?.({ msg: 'sip speech', callId: call.id, heard: text });
            call.speechStarted(id, text);
            call.speechEnded(id);
          });
      },
    });
    const placed = this.options.carrier.placeCall({
      callId: named ?? dialog.callId,
      to,
      sampleRate: 8000,
    });
    if (!placed.created) {
      this.legs.delete(dialog.callId);
      leg.rtp.close();
      return dialog.respond(409, 'Call Id Already In Use');
    }
    leg.call = placed.call;
    let failure: [number, string] | undefined;
    placed.call.attach({
      send: (message: CarrierMessage) => {
        if (message.type === 'caption')
          return this.options.captions?.(placed.call.id, message.text, message.final);
        if (message.type !== 'progress' || leg.over) return;
        if (message.state === 'ringing') dialog.respond(183, 'Session Progress', this.answer(leg));
        else if (message.state === 'answered') dialog.respond(200, 'OK', this.answer(leg));
        else if (message.state !== 'ended') failure = FINAL_FOR[message.state];
        else if (dialog.answered) void this.hangUp(leg);
        else {
          dialog.respond(...(failure ?? ([503, 'Service Unavailable'] as const)));
          this.forget(leg);
        }
      },
      sendAudio: (frame) => leg.rtp.send(frame),
    });
    placed.call.start();
  }

  /**
   * The person's phone. Rung for a call the carrier holds, it is that call's
   * bridge (ground truth says so); `busy` and `no-answer` behave as named.
   */
  private async userPhone(
    dialog: SipDialog,
    plan: MediaPlan,
    request: SipRequest,
    user: string,
    named: string | undefined,
  ): Promise<void> {
    const leg = await this.openLeg(dialog, plan, { key: () => undefined, speech: () => undefined });
    dialog.respond(180, 'Ringing');
    if (user === 'busy') return this.refuse(leg, 486, 'Busy Here');
    if (user === 'no-answer') return; // Rings until the caller gives up (CANCEL).
    const uri = sip.parseUri(request.uri);
    const device = `sip:${user}@${uri?.host ?? this.address}${uri?.port ? `:${uri.port}` : ''}`;
    const call = named ? this.options.carrier.findCall(named) : undefined;
    if (call) {
      const { phones, answerAfterMs } = this.options;
      const unregister = phones.register(device, {
        ring: (callId) => setTimeout(() => phones.respond(callId, true), answerAfterMs).unref(),
        hearAudio: () => undefined,
        callEnded: () => void this.hangUp(leg),
      });
      try {
        await call.bridge(device, 0);
      } catch (e) {
        this.options.log?.({
          msg: 'sip bridge failed',
          callId: named,
          error: (e as Error).message,
        });
        return this.refuse(leg, 480, 'Temporarily Unavailable');
      } finally {
        unregister();
      }
    } else {
      await new Promise((resolve) => setTimeout(resolve, this.options.answerAfterMs));
    }
    if (leg.over) return;
    dialog.respond(200, 'OK', this.answer(leg));
    // A phone sends its (silent) microphone, so NATs and media timeouts see a live stream.
    const silence = new Int16Array(160);
    leg.silence = setInterval(() => leg.rtp.send(silence), 20);
  }

  private async openLeg(
    dialog: SipDialog,
    plan: MediaPlan,
    events: Parameters<typeof RtpSession.open>[2],
  ): Promise<Leg> {
    const rtp = await RtpSession.open(this.options.host, plan, events);
    const leg: Leg = { dialog, rtp, plan, sdpVersion: 1, over: false };
    this.legs.set(dialog.callId, leg);
    return leg;
  }

  private answer(leg: Leg): string {
    return answerFor(leg.plan, {
      address: this.address,
      port: leg.rtp.port,
      sessionId: leg.rtp.port,
      version: leg.sdpVersion,
    });
  }

  private inDialog(request: SipRequest, leg: Leg | undefined): void {
    if (!leg) return this.send(request, 481, 'Call/Transaction Does Not Exist');
    if (request.method === 'BYE') {
      leg.dialog.reply(request, 200, 'OK');
      leg.over = true;
      leg.call?.hangupByCaller('the caller hung up');
      return this.forget(leg);
    }
    if (request.method === 'INVITE') {
      // Hold, unhold, or media moving elsewhere: same codec rules, the direction mirrored.
      try {
        leg.plan = planFromOffer(request.content ?? '');
      } catch {
        return leg.dialog.reply(request, 488, 'Not Acceptable Here');
      }
      leg.rtp.replan(leg.plan);
      leg.sdpVersion++;
      return leg.dialog.reply(request, 200, 'OK', this.answer(leg));
    }
    leg.dialog.reply(request, 200, 'OK');
  }

  private cancelled(request: SipRequest, leg: Leg | undefined): void {
    if (!leg || leg.dialog.isFinal)
      return this.send(request, 481, 'Call/Transaction Does Not Exist');
    this.send(request, 200, 'OK');
    leg.over = true;
    leg.dialog.respond(487, 'Request Terminated');
    leg.call?.hangupByCaller('the caller gave up before an answer');
    this.forget(leg);
  }

  private refuse(leg: Leg, status: number, reason: string): void {
    if (leg.over) return;
    leg.dialog.respond(status, reason);
    this.forget(leg);
  }

  /** The carrier ends a leg: a BYE if it was answered, a final response if it still rang. */
  private async hangUp(leg: Leg): Promise<void> {
    if (leg.over) return;
    leg.over = true;
    if (leg.dialog.answered) {
      this.forget(leg);
      await leg.dialog.bye();
    } else {
      leg.dialog.respond(480, 'Temporarily Unavailable');
      this.forget(leg);
    }
    leg.call?.hangupByCaller('carrier shut down');
  }

  private forget(leg: Leg): void {
    // What came in over RTP: the first thing to read when a caller says it was not heard.
    this.options.log?.({
      msg: 'sip leg ended',
      sipCallId: leg.dialog.callId,
      received: leg.rtp.received,
    });
    clearInterval(leg.silence);
    leg.dialog.close();
    leg.rtp.close();
    if (this.legs.get(leg.dialog.callId) === leg) this.legs.delete(leg.dialog.callId);
  }

  private send(request: SipRequest, status: number, reason: string): void {
    this.stack?.send(sip.makeResponse(request, status, reason));
  }
}

function headerValue(request: SipRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && /^[A-Za-z0-9_.:-]{1,128}$/.test(value) ? value : undefined;
}

function ensureFree(host: string, port: number): Promise<void> {
  const probe = createSocket('udp4');
  return new Promise((resolve, reject) => {
    probe.once('error', (e) =>
      reject(new Error(`cannot listen for SIP on ${host}:${port}: ${e.message}`)),
    );
    probe.bind(port, host, () => probe.close(() => resolve()));
  });
}
