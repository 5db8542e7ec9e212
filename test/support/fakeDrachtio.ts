import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import type {
  DialogLike,
  EndpointLike,
  EslEventLike,
  ForkAudioOptions,
  MediaServerLike,
  SentInvite,
  SrfLike,
  UacCallbacks,
  UacOptions,
} from '../../media/telephony/freeswitch/drachtioBoundary.js';

/**
 * An offer as FreeSWITCH 1.10.12 makes it for a leg drachtio-fsmrf places:
 * the audio twice on one port, first as SRTP with its SDES keys, then as
 * plain RTP (as seen on a real call), here with the stock codec
 * preferences too: OPUS first, and video.
 */
export function freeswitchOffer(port: number): string {
  const codecs = [
    'a=rtpmap:102 opus/48000/2',
    'a=fmtp:102 useinbandfec=1; maxaveragebitrate=30000; maxplaybackrate=48000; ptime=20',
    'a=rtpmap:9 G722/8000',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-16',
    'a=rtpmap:13 CN/8000',
  ];
  return [
    'v=0',
    `o=FreeSWITCH 1764000000 1764000001 IN IP4 10.0.0.7`,
    's=FreeSWITCH',
    'c=IN IP4 10.0.0.7',
    't=0 0',
    `m=audio ${port} RTP/SAVP 102 9 0 8 101 13`,
    ...codecs,
    'a=crypto:1 AEAD_AES_256_GCM_8 inline:rnz9TCrbn7O7ooxjj+7Msz9icwGTlMGM7Rv6cYeDzqVZjPxyn491DhKvgrM=',
    'a=crypto:7 AES_CM_128_HMAC_SHA1_80 inline:kdgBNfOnFC5wtVBAddp2wag9lBFWhq8dPuRO/qEo',
    'a=ptime:20',
    `m=audio ${port} RTP/AVP 102 9 0 8 101 13`,
    ...codecs,
    'a=ptime:20',
    'a=sendrecv',
    `m=video ${port + 2} RTP/AVP 96`,
    'a=rtpmap:96 VP8/90000',
    'a=sendrecv',
    '',
  ].join('\r\n');
}

/** Every request the adapter made of drachtio and FreeSWITCH, in order, as a test asserts them. */
export type Request =
  | { to: 'srf'; method: 'createUAC'; uri: string; options: UacOptions }
  | { to: 'invite'; method: 'cancel' }
  | { to: 'media'; method: 'api'; command: string }
  | { to: 'dialog'; id: string; method: 'destroy' }
  | { to: 'reinvite'; id: string; status: number; body: string | undefined }
  | { to: 'media'; method: 'createEndpoint' }
  | { to: 'endpoint'; uuid: string; method: string; args: unknown[] };

const esl = (response = '+OK'): EslEventLike => ({
  getHeader: (name) => (name === 'Application-Response' ? response : undefined),
  getBody: () => response,
});

export class FakeDialog extends EventEmitter implements DialogLike {
  readonly sip: { callId: string };
  readonly remote: { sdp: string };
  /** The far end never answers our BYE: srf's destroy() then waits as long as SIP does. */
  byeUnanswered = false;
  constructor(
    private readonly requests: Request[],
    readonly id: string,
    sdp: string,
  ) {
    super();
    this.sip = { callId: id };
    this.remote = { sdp };
  }
  destroy(): Promise<unknown> {
    this.requests.push({ to: 'dialog', id: this.id, method: 'destroy' });
    return this.byeUnanswered ? new Promise(() => undefined) : Promise.resolve();
  }
  /**
   * The far end sends a re-INVITE. As srf does, with nobody listening for
   * 'modify' it is answered at once with the SDP we had.
   */
  reinvite(body: string): Promise<{ status: number; body: string | undefined }> {
    this.remote.sdp = body;
    return new Promise((resolve) => {
      const response = {
        send: (status: number, options?: { body?: string }) => {
          this.requests.push({ to: 'reinvite', id: this.id, status, body: options?.body });
          resolve({ status, body: options?.body });
        },
      };
      if (this.listenerCount('modify') === 0) response.send(200, { body: 'v=0 the old answer' });
      else this.emit('modify', { body }, response);
    });
  }
  modify(): Promise<string> {
    return Promise.resolve(this.remote.sdp);
  }
  /** The far end sends BYE. */
  hangUpFarEnd(): void {
    this.emit('destroy', {}, 'BYE');
  }
}

export class FakeEndpoint extends EventEmitter implements EndpointLike {
  readonly local: { sdp: string };
  /** Files that existed while they were played. */
  readonly played: string[] = [];
  /** FreeSWITCH's BYE after a hangup never arrives: fsmrf's destroy() then never resolves. */
  byeLost = false;
  private readonly customListeners = new Map<string, Set<(body: unknown) => void>>();
  constructor(
    private readonly requests: Request[],
    readonly uuid: string,
    private readonly behaviour: FarEnd = {},
    n = 1,
  ) {
    super();
    this.local = { sdp: freeswitchOffer(20000 + n * 4) };
  }
  addCustomEventListener(event: string, handler: (body: unknown) => void): void {
    let set = this.customListeners.get(event);
    if (!set) this.customListeners.set(event, (set = new Set()));
    set.add(handler);
  }
  removeCustomEventListener(event: string, handler?: (body: unknown) => void): void {
    if (handler) this.customListeners.get(event)?.delete(handler);
    else this.customListeners.delete(event);
  }
  /** FreeSWITCH fires a CUSTOM event on this channel (mod_audio_fork::connect_failed). */
  emitCustom(event: string, body: unknown): void {
    for (const handler of this.customListeners.get(event) ?? []) handler(body);
  }
  /** When set, modify() fails: FreeSWITCH refused the SDP it was given. */
  refuseModify = false;
  private record(method: string, ...args: unknown[]) {
    this.requests.push({ to: 'endpoint', uuid: this.uuid, method, args });
  }
  /** When set, a modify waits until the test lets it through: the gap between an answer and its media. */
  holdModify = false;
  private readonly heldModifies: Array<() => void> = [];
  modify(remoteSdp: string) {
    this.record('modify', remoteSdp);
    if (this.refuseModify) return Promise.reject(new Error('488 Not Acceptable Here'));
    if (!this.holdModify) return Promise.resolve(`v=0 ${this.uuid} answers ${remoteSdp}`);
    return new Promise<string>((resolve) =>
      this.heldModifies.push(() => resolve(`v=0 ${this.uuid} answers ${remoteSdp}`)),
    );
  }
  releaseModifies(): void {
    for (const release of this.heldModifies.splice(0)) release();
  }
  /** FreeSWITCH ends the channel on its own (media timeout, uuid_kill). */
  endByFreeswitch(reason: string): void {
    this.emit('destroy', { reason });
  }
  execute(app: string, arg?: string) {
    this.record('execute', app, arg);
    return Promise.resolve(esl());
  }
  api(command: string, args?: string) {
    this.record('api', command, args);
    return Promise.resolve(esl());
  }
  set(variables: Record<string, string | number | boolean>) {
    this.record('set', variables);
    return Promise.resolve();
  }
  play(file: string) {
    this.record('play', file);
    if (existsSync(file)) this.played.push(file);
    return Promise.resolve({});
  }
  bridge(other: EndpointLike) {
    this.record('bridge', other.uuid);
    return Promise.resolve();
  }
  recordSession(path: string) {
    this.record('recordSession', path);
    return Promise.resolve(esl());
  }
  forkAudioStart(options: ForkAudioOptions) {
    this.record('forkAudioStart', options);
    this.behaviour.onForkStart?.(this, options);
    return Promise.resolve();
  }
  forkAudioStop() {
    this.record('forkAudioStop');
    return Promise.resolve();
  }
  destroy() {
    this.record('destroy');
    if (this.byeLost) return new Promise<unknown>(() => undefined);
    this.emit('destroy', { reason: 'NORMAL_CLEARING' });
    return Promise.resolve();
  }
}

/** How the far end behaves when nobody drives it by hand: who answers, what FreeSWITCH does on a fork. */
export interface FarEnd {
  /** The final answer to an INVITE to `uri`: 200, or a failure status. */
  respond?: (uri: string) => { status: 200 } | { status: number; reason: string };
  onForkStart?: (endpoint: FakeEndpoint, options: ForkAudioOptions) => void;
}

/** An INVITE in flight: the test answers it, fails it, or sees it cancelled. */
export interface PendingInvite {
  uri: string;
  options: UacOptions;
  callbacks: UacCallbacks;
  answer(sdp?: string): FakeDialog;
  fail(status: number, reason?: string): void;
  cancelled: boolean;
}

/** drachtio and FreeSWITCH as the adapter sees them, recording each request made of them. */
export class FakeDrachtio {
  constructor(private readonly farEnd: FarEnd = {}) {}

  readonly requests: Request[] = [];
  readonly invites: PendingInvite[] = [];
  readonly endpoints: FakeEndpoint[] = [];
  private nextInvite: Array<(invite: PendingInvite) => void> = [];

  readonly srf: SrfLike = {
    createUAC: (uri, options, callbacks) => {
      this.requests.push({
        to: 'srf',
        method: 'createUAC',
        uri,
        options: structuredClone(options),
      });
      return new Promise<DialogLike>((resolve, reject) => {
        const n = this.invites.length + 1;
        const invite: PendingInvite = {
          uri,
          options,
          callbacks,
          cancelled: false,
          answer: (sdp = `v=0 answer ${n}`) => {
            const dialog = new FakeDialog(this.requests, `dialog-${n}`, sdp);
            resolve(dialog);
            return dialog;
          },
          fail: (status, reason) =>
            reject(
              Object.assign(new Error(`Sip non-success response: ${status}`), { status, reason }),
            ),
        };
        const sent: SentInvite = {
          cancel: () => {
            this.requests.push({ to: 'invite', method: 'cancel' });
            invite.cancelled = true;
            invite.fail(487, 'Request Terminated');
          },
          get: (header) => (header === 'Call-ID' ? `invite-${n}` : undefined),
        };
        this.invites.push(invite);
        callbacks.cbRequest?.(null, sent);
        this.nextInvite.shift()?.(invite);
        const response = this.farEnd.respond?.(uri);
        if (response)
          setTimeout(() => {
            if (response.status === 200) invite.answer();
            else invite.fail(response.status, 'reason' in response ? response.reason : undefined);
          }, 20);
      });
    },
  };

  readonly media: MediaServerLike = {
    createEndpoint: () => {
      this.requests.push({ to: 'media', method: 'createEndpoint' });
      const n = this.endpoints.length + 1;
      const endpoint = new FakeEndpoint(this.requests, `ep-${n}`, this.farEnd, n);
      this.endpoints.push(endpoint);
      return Promise.resolve(endpoint);
    },
    api: (command: string) => {
      this.requests.push({ to: 'media', method: 'api', command });
      const known = /^global_setvar [a-z_]+=\S+$/.test(command);
      return Promise.resolve(known ? '+OK' : `-ERR ${command.split(' ')[0]} Command not found!`);
    },
  };

  /** The next INVITE, as soon as it is sent. */
  invite(n: number): Promise<PendingInvite> {
    const sent = this.invites[n - 1];
    if (sent) return Promise.resolve(sent);
    return new Promise((resolve) => this.nextInvite.push(resolve));
  }
}
