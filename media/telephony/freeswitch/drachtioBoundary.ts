/**
 * The parts of drachtio-srf and drachtio-fsmrf the FreeSWITCH adapter uses,
 * as it uses them. The packages' own types are missing (fsmrf) or wrong
 * where this adapter relies on them (srf calls `cbRequest` with an error
 * first; `connect()` returns no promise), so the adapter is written against
 * these, and the real objects are cast to them once, where they are made.
 * Unit tests give fakes of exactly this surface.
 */

/** A SIP final response other than 2xx, as srf rejects with it. */
export interface SipErrorLike {
  status: number;
  reason?: string;
}

export function isSipError(e: unknown): e is SipErrorLike {
  return typeof e === 'object' && e !== null && typeof (e as SipErrorLike).status === 'number';
}

/** The INVITE as sent: it can be cancelled while it rings. */
export interface SentInvite {
  cancel(): void;
  get(header: string): string | undefined;
}

export interface ProvisionalResponse {
  status: number;
  reason?: string;
  /** SDP of early media (a 183 with a body). */
  body?: string;
}

export interface UacOptions {
  localSdp: string;
  headers?: Record<string, string>;
  /** Outbound proxy: the trunk's address, when the request URI names the trunk's realm. */
  proxy?: string;
  /** Answered to a 401/407 challenge with a digest, once per call. */
  auth?: { username: string; password: string };
}

export interface UacCallbacks {
  cbRequest?: (err: Error | null, invite: SentInvite) => void;
  cbProvisional?: (response: ProvisionalResponse) => void;
}

/** A re-INVITE the far end sent in a dialog, as srf hands it over when 'modify' is listened for. */
export interface ReinviteLike {
  /** The new offer; empty when the far end asks for ours (an offerless re-INVITE). */
  readonly body: string;
}

export interface ReinviteResponseLike {
  send(status: number, options?: { body?: string; headers?: Record<string, string> }): unknown;
}

export type ReinviteListener = (request: ReinviteLike, response: ReinviteResponseLike) => void;

export interface DialogLike {
  readonly id: string;
  readonly sip: { callId: string };
  readonly remote: { sdp: string };
  destroy(): Promise<unknown>;
  modify(sdp: string): Promise<string>;
  on(event: 'destroy', listener: (request: unknown, reason?: string) => void): unknown;
  /** Without a listener srf answers every re-INVITE with the old SDP, and the media never moves. */
  on(event: 'modify', listener: ReinviteListener): unknown;
  off(event: 'destroy', listener: (request: unknown, reason?: string) => void): unknown;
}

export interface SrfLike {
  createUAC(uri: string, options: UacOptions, callbacks: UacCallbacks): Promise<DialogLike>;
}

/** A FreeSWITCH event, as fsmrf resolves `execute` and `api` with it. */
export interface EslEventLike {
  getHeader(name: string): string | undefined;
  getBody(): string;
}

export interface ForkAudioOptions {
  wsUrl: string;
  /** `mono` is the channel's read stream: what the far end says. */
  mixType: 'mono' | 'mixed' | 'stereo';
  /** mod_audio_fork resamples to this, so the rate is known without any metadata. */
  sampling: '8k' | '16k';
}

export interface EndpointLike {
  readonly uuid: string;
  readonly local: { sdp: string };
  modify(remoteSdp: string): Promise<string>;
  execute(app: string, arg?: string): Promise<EslEventLike>;
  api(command: string, args?: string): Promise<EslEventLike>;
  set(variables: Record<string, string | number | boolean>): Promise<unknown>;
  play(file: string): Promise<unknown>;
  bridge(other: EndpointLike): Promise<unknown>;
  /** Resolves even when FreeSWITCH could not record: its Application-Response says. */
  recordSession(path: string): Promise<EslEventLike>;
  forkAudioStart(options: ForkAudioOptions): Promise<unknown>;
  forkAudioStop(): Promise<unknown>;
  /** A FreeSWITCH CUSTOM event on this channel, by its subclass; the handler gets its body, as JSON if it parses. */
  addCustomEventListener(event: string, handler: (body: unknown) => void): void;
  removeCustomEventListener(event: string, handler?: (body: unknown) => void): void;
  destroy(): Promise<unknown>;
  on(event: 'destroy', listener: (info?: { reason?: string }) => void): unknown;
  off(event: 'destroy', listener: (info?: { reason?: string }) => void): unknown;
}

export interface MediaServerLike {
  createEndpoint(): Promise<EndpointLike>;
  /** A FreeSWITCH API command over the event socket; resolves with its reply's body. */
  api(command: string): Promise<string>;
}
