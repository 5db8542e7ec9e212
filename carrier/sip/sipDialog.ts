import { randomBytes } from 'node:crypto';
import sip, { type SipRequest, type SipResponse, type SipStack } from 'sip';

/** RFC 3261's T1 and the 2xx retransmission it paces, until the ACK comes or 32 s pass. */
const T1_MS = 500;
const T2_MS = 4000;
const TIMER_H_MS = 32_000;

/**
 * The carrier's side of one INVITE dialog, as the called party (UAS):
 * provisional and final responses, the 2xx sent again until it is ACKed
 * (the transaction layer leaves that to us, RFC 6026), and a BYE of its
 * own when the carrier hangs up.
 */
export class SipDialog {
  readonly localTag = randomBytes(6).toString('hex');
  private localSeq = 1;
  private retransmit: NodeJS.Timeout | undefined;
  private giveUp: NodeJS.Timeout | undefined;
  private finalSent = false;
  private confirmed = false;
  private byeSent = false;
  private accepted = false;

  constructor(
    private readonly stack: SipStack,
    readonly invite: SipRequest,
    private readonly contact: string,
  ) {}

  get callId(): string {
    return this.invite.headers['call-id'];
  }

  /** A 2xx went out: the dialog is up (its ACK may still be on its way). */
  get answered(): boolean {
    return this.accepted;
  }

  get isFinal(): boolean {
    return this.finalSent;
  }

  /** A response to the INVITE; 1xx may come many times, the final one once. */
  respond(status: number, reason: string, sdp?: string): void {
    if (this.finalSent) return;
    const response = this.response(this.invite, status, reason, sdp);
    if (status >= 200) this.finalSent = true;
    this.stack.send(response);
    if (status >= 200 && status < 300) {
      this.accepted = true;
      this.resendUntilAcked(response);
    }
  }

  /** The ACK for our 2xx arrived. */
  acked(): void {
    this.confirmed = true;
    this.stopResending();
  }

  /** Answers an in-dialog request (BYE, re-INVITE, INFO, OPTIONS). */
  reply(request: SipRequest, status: number, reason: string, sdp?: string): void {
    this.stack.send(this.response(request, status, reason, sdp));
  }

  /** The carrier hangs up an answered call; resolves once the BYE is answered or given up on. */
  bye(): Promise<void> {
    if (this.byeSent || !this.accepted) return Promise.resolve();
    this.byeSent = true;
    this.stopResending();
    const theirs = this.invite.headers;
    const target = firstContact(theirs.contact) ?? theirs.from.uri;
    const request: SipRequest = {
      method: 'BYE',
      uri: target,
      headers: {
        to: theirs.from,
        from: { ...theirs.to, params: { ...theirs.to.params, tag: this.localTag } },
        'call-id': this.callId,
        cseq: { method: 'BYE', seq: this.localSeq++ },
        via: [],
        'content-length': 0,
      },
      content: '',
    };
    this.routeToOwnHost(request);
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, TIMER_H_MS);
      this.stack.send(request, (response: SipResponse) => {
        if (response.status >= 200) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  close(): void {
    this.stopResending();
  }

  /**
   * The sip package takes a request to its own host for one to itself, to
   * go back over a flow, and fails on any other; a caller on the same host
   * (drachtio-server beside the carrier) is reached over a flow route.
   */
  private routeToOwnHost(request: SipRequest): void {
    const target = sip.parseUri(request.uri);
    const own = sip.parseUri(this.contact);
    if (!target || !own || target.host !== this.stack.hostname()) return;
    const flow = this.stack.encodeFlowUri({
      protocol: 'UDP',
      address: target.host,
      port: target.port ?? 5060,
      local: { address: own.host, port: own.port ?? 5060 },
    });
    request.headers.route = [{ uri: sip.stringifyUri(flow), params: {} }];
  }

  private response(request: SipRequest, status: number, reason: string, sdp?: string): SipResponse {
    const to = request.headers.to;
    return sip.makeResponse(request, status, reason, {
      headers: {
        to:
          status === 100
            ? to
            : { ...to, params: { ...to.params, tag: to.params.tag ?? this.localTag } },
        contact: [{ uri: this.contact, params: {} }],
        ...(sdp ? { 'content-type': 'application/sdp' } : {}),
        'content-length': sdp ? Buffer.byteLength(sdp) : 0,
      },
      content: sdp ?? '',
    });
  }

  private resendUntilAcked(response: SipResponse): void {
    let wait = T1_MS;
    const again = () => {
      if (this.confirmed) return;
      this.stack.send(response);
      wait = Math.min(wait * 2, T2_MS);
      this.retransmit = setTimeout(again, wait);
    };
    this.retransmit = setTimeout(again, wait);
    this.giveUp = setTimeout(() => this.stopResending(), TIMER_H_MS);
  }

  private stopResending(): void {
    clearTimeout(this.retransmit);
    clearTimeout(this.giveUp);
  }
}

function firstContact(contact: unknown): string | undefined {
  if (Array.isArray(contact)) {
    const first: unknown = contact[0];
    if (first && typeof first === 'object' && typeof (first as { uri?: unknown }).uri === 'string')
      return (first as { uri: string }).uri;
  }
  return undefined;
}
