import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { PcmAudio, SampleRate } from '../../audio/pcm.js';
import { writeWav } from '../../audio/wav.js';
import { TransferFailedError, type LineState } from '../callLeg.js';
import {
  isSipError,
  type DialogLike,
  type EndpointLike,
  type MediaServerLike,
  type ReinviteLike,
  type ReinviteResponseLike,
  type SentInvite,
  type SrfLike,
} from './drachtioBoundary.js';
import { answerForFreeswitch, g711Offer } from './g711Offer.js';
import { dialOutcomeOf } from './sipOutcome.js';
import { callerHeaders, requestUriFor, trunkAuth, type SipTrunk } from './sipTrunk.js';

/** How long each key's tone lasts; the gap between keys is FreeSWITCH's own. */
const DTMF_TONE_MS = 100;
/** send_dtmf returns before the tones have played: wait this much per key, and once more after them. */
const DTMF_GAP_MS = 250;
const DTMF_SETTLE_MS = 750;
/** An answered line with no media for this long is hung up by FreeSWITCH itself: a call the gateway lost ends. */
const MEDIA_TIMEOUT_MS = 60_000;
/**
 * How long a hang-up waits for its BYE to be answered, or an endpoint for
 * FreeSWITCH's BYE. Either can be lost (a wrong Contact, a dead peer), and
 * a call that is over must say so whatever the network does.
 */
const RELEASE_TIMEOUT_MS = 5000;
/** mod_audio_fork never reconnects by itself: it is started again after each of these, then the call fails. */
const FORK_RETRY_DELAYS_MS = [250, 1000, 3000];
const FORK_FAILED = 'mod_audio_fork::connect_failed';
const FORK_DISCONNECTED = 'mod_audio_fork::disconnect';
/** Names the call on both its legs; trunks pass X- headers by or drop them, the simulated carrier files its ground truth by it. */
export const CALL_ID_HEADER = 'X-Holdslayer-Call-Id';

export interface FreeswitchLineDeps {
  srf: SrfLike;
  media: MediaServerLike;
  trunk: SipTrunk;
  /** The WebSocket server mod_audio_fork sends the far end's audio to; the call id is appended. */
  audioForkUrl: string;
  sampleRate: SampleRate;
  /** A folder this process writes and FreeSWITCH reads: speech to play, and the calls' recordings. */
  mediaDir: string;
  log?: (line: Record<string, unknown>) => void;
  /** Tests shorten the waits for lost BYEs and a failing audio fork. */
  releaseTimeoutMs?: number;
  forkRetryDelaysMs?: number[];
}

export interface LineEvents {
  state: (state: LineState, cause: string | undefined) => void;
}

/**
 * One call to a company through the trunk, with a FreeSWITCH endpoint for
 * its media: FreeSWITCH makes the SDP offer, the trunk answers it, the
 * endpoint then plays, keys, records and forks the far end's audio. The
 * user's phone, when brought in, is a second leg with an endpoint of its
 * own, bridged to the first.
 */
export class FreeswitchLine {
  private readonly emitter = new EventEmitter();
  private lineState: LineState = 'ringing';
  private invite: SentInvite | undefined;
  private dialog: DialogLike | undefined;
  private userLeg: { endpoint: EndpointLike; dialog: DialogLike } | undefined;
  /** The user's phone while it rings: cancelled if the call ends first. */
  private userInvite: SentInvite | undefined;
  private bridging = false;
  private ringTimer: NodeJS.Timeout | undefined;
  /** Hung up by us before the far end answered, or rung for too long: the INVITE is cancelled as soon as it can be. */
  private abandoned = false;
  private closing: Promise<void> | undefined;
  /** The ring timeout passed before an answer. */
  private timedOut = false;
  /** FreeSWITCH's offer, cut to G.711 for the trunk. */
  private offer = '';
  /** FreeSWITCH's own offer, which the trunk's answer is fitted to. */
  private freeswitchOffer = '';
  private forkAttempts = 0;
  private forkRetry: NodeJS.Timeout | undefined;

  private constructor(
    private readonly deps: FreeswitchLineDeps,
    readonly callId: string,
    private readonly endpoint: EndpointLike,
  ) {}

  /**
   * Starts the call and returns while it rings; `state` events say how the
   * attempt ends. An attempt still ringing after `ringTimeoutMs` is cancelled.
   */
  static async place(
    deps: FreeswitchLineDeps,
    request: { callId: string; to: string; from?: string },
    ringTimeoutMs: number,
  ): Promise<FreeswitchLine> {
    // Both checked before anything is set up: a bad number or caller id is the request's fault.
    const uri = requestUriFor(deps.trunk, request.to);
    const headers = callerHeaders(deps.trunk, request.from);
    const endpoint = await deps.media.createEndpoint();
    const line = new FreeswitchLine(deps, request.callId, endpoint);
    try {
      await line.prepareMedia();
    } catch (e) {
      await line.within('free the endpoint', endpoint.destroy());
      throw e;
    }
    line.ringTimer = setTimeout(() => {
      // Before the INVITE is on the wire there is nothing to cancel yet: cbRequest does it then.
      line.abandoned = true;
      line.timedOut = true;
      line.invite?.cancel();
    }, ringTimeoutMs);
    // FreeSWITCH may end the channel itself (media timeout, an operator's uuid_kill, a lost socket).
    endpoint.on('destroy', (info) => void line.mediaEnded(info?.reason));
    void line.ring(uri, { ...headers, [CALL_ID_HEADER]: request.callId });
    return line;
  }

  get state(): LineState {
    return this.lineState;
  }

  /** Resolves once the call has ended one way or another, or after `timeoutMs`. */
  whenOver(timeoutMs: number): Promise<void> {
    if (this.isOver()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const onState = () => {
        if (this.isOver()) done();
      };
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.on('state', onState);
    });
  }

  get bridged(): boolean {
    return this.userLeg !== undefined;
  }

  on<E extends keyof LineEvents>(event: E, listener: LineEvents[E]): void {
    this.emitter.on(event, listener);
  }

  off<E extends keyof LineEvents>(event: E, listener: LineEvents[E]): void {
    this.emitter.off(event, listener);
  }

  /** Keys as RFC 2833 events; resolves once the far end has had time to hear them all. */
  async sendDtmf(digits: string): Promise<void> {
    this.ensureAnswered('send keys');
    const done = await this.endpoint.execute('send_dtmf', `${digits}@${DTMF_TONE_MS}`);
    const response = done.getHeader('Application-Response');
    if (response && response.startsWith('-ERR')) throw new Error(`send_dtmf failed: ${response}`);
    await delay(digits.length * (DTMF_TONE_MS + DTMF_GAP_MS) + DTMF_SETTLE_MS);
  }

  /** Plays speech to the far end from a file FreeSWITCH reads; resolves when it has played. */
  async speak(audio: PcmAudio): Promise<void> {
    this.ensureAnswered('speak');
    const file = path.join(this.deps.mediaDir, 'speech', `${this.callId}-${randomUUID()}.wav`);
    await mkdir(path.dirname(file), { recursive: true });
    await writeWav(file, audio);
    try {
      await this.endpoint.play(file);
    } finally {
      await rm(file, { force: true });
    }
  }

  /**
   * Rings the user's device (a SIP address, or a number through the trunk)
   * on a leg of its own and joins the two; rejects if it is not answered.
   */
  async bridge(device: string): Promise<void> {
    this.ensureAnswered('bring the user in');
    if (this.bridging || this.userLeg)
      throw new TransferFailedError('the user is already being brought in');
    let uri: string;
    try {
      uri = requestUriFor(this.deps.trunk, device);
    } catch (e) {
      throw new TransferFailedError(`cannot ring ${device}: ${(e as Error).message}`);
    }
    this.bridging = true;
    const endpoint = await this.deps.media.createEndpoint();
    const freeswitchOffer = endpoint.local.sdp;
    let dialog: DialogLike | undefined;
    try {
      dialog = await this.deps.srf.createUAC(
        uri,
        {
          localSdp: g711Offer(freeswitchOffer),
          headers: { ...callerHeaders(this.deps.trunk, undefined), [CALL_ID_HEADER]: this.callId },
          ...authFor(this.deps.trunk, uri),
        },
        {
          cbRequest: (err, invite) => {
            if (err) return;
            this.userInvite = invite;
            if (this.isOver()) invite.cancel();
          },
        },
      );
      this.userInvite = undefined;
      const leg = { endpoint, dialog };
      // The user hanging up ends the call: the company's leg has no one left to talk to.
      dialog.on('destroy', () => void this.hangup());
      dialog.on('modify', (request, response) => void this.moveMedia(endpoint, request, response));
      this.ensureAnswered('bring the user in');
      await endpoint.modify(answerForFreeswitch(freeswitchOffer, dialog.remote.sdp));
      this.ensureAnswered('bring the user in');
      await this.endpoint.bridge(endpoint);
      this.userLeg = leg;
    } catch (e) {
      this.userInvite = undefined;
      await Promise.all([
        dialog && this.within("hang up the user's phone", dialog.destroy()),
        this.within("free the user's endpoint", endpoint.destroy()),
      ]);
      throw new TransferFailedError(
        `${device} was not reached: ${isSipError(e) ? dialOutcomeOf(e).cause : (e as Error).message}`,
      );
    } finally {
      this.bridging = false;
    }
  }

  /** Ends both legs; a call still ringing is cancelled. Calls while it is under way share it. */
  hangup(): Promise<void> {
    if (this.isOver()) return Promise.resolve();
    if (!this.dialog) {
      // The INVITE's rejection (a 487) ends the attempt and frees the endpoint.
      this.abandoned = true;
      this.invite?.cancel();
      this.userInvite?.cancel();
      return Promise.resolve();
    }
    this.closing ??= this.close('ended', 'hung up by us');
    return this.closing;
  }

  /** Hangs up whatever is up, frees both endpoints, and says how the call ended. */
  private async close(state: LineState, cause: string, byeFrom?: DialogLike): Promise<void> {
    clearTimeout(this.ringTimer);
    const dialogs = [this.dialog, this.userLeg?.dialog].filter(
      (d): d is DialogLike => d !== undefined && d !== byeFrom,
    );
    this.dialog = undefined;
    this.userInvite?.cancel();
    await Promise.all(dialogs.map((d) => this.within('hang up', d.destroy())));
    await this.release();
    this.setState(state, cause);
  }

  /** Media first: the fork hears ringback and early media, and a lost line ends by itself. */
  private async prepareMedia(): Promise<void> {
    this.freeswitchOffer = this.endpoint.local.sdp;
    this.offer = g711Offer(this.freeswitchOffer);
    // Keys as RTP events (RFC 2833), which trunks pass on, rather than tones in the audio.
    await this.endpoint.set({ dtmf_type: 'rfc2833' });
    const failed = (body: unknown) => void this.forkFailed(body);
    this.endpoint.addCustomEventListener(FORK_FAILED, failed);
    this.endpoint.addCustomEventListener(FORK_DISCONNECTED, failed);
    await this.startFork();
  }

  /**
   * No metadata: mod_audio_fork's versions disagree on where its argument
   * goes, and nothing in it is needed (the URL names the call, the sampling
   * argument fixes the rate).
   */
  private startFork(): Promise<unknown> {
    return this.endpoint.forkAudioStart({
      wsUrl: `${this.deps.audioForkUrl.replace(/\/$/, '')}/${encodeURIComponent(this.callId)}`,
      mixType: 'mono',
      sampling: this.deps.sampleRate === 16000 ? '16k' : '8k',
    });
  }

  /**
   * The fork could not reach the audio fork server, or lost it: without it
   * nobody hears the far end, so it is started again a few times, and then
   * the call ends saying why (a hold nobody listens to must not go on).
   */
  private async forkFailed(body: unknown): Promise<void> {
    if (this.isOver() || this.closing) return;
    const delays = this.deps.forkRetryDelaysMs ?? FORK_RETRY_DELAYS_MS;
    const attempt = this.forkAttempts++;
    const reason = typeof body === 'string' ? body : JSON.stringify(body ?? null);
    this.deps.log?.({ callId: this.callId, event: 'audio-fork-failed', attempt, reason });
    if (attempt >= delays.length) {
      this.closing ??= this.close(
        'disconnected',
        `FreeSWITCH could not send the far end's audio to ${this.deps.audioForkUrl} (mod_audio_fork failed ${attempt + 1} times)`,
      );
      if (!this.dialog) {
        // Still ringing: the INVITE's rejection ends the attempt.
        this.abandoned = true;
        this.invite?.cancel();
      }
      return;
    }
    clearTimeout(this.forkRetry);
    this.forkRetry = setTimeout(() => {
      if (this.isOver() || this.closing) return;
      void this.endpoint
        .forkAudioStop()
        .catch(() => undefined)
        .then(() => this.startFork())
        .catch((e: Error) => this.forkFailed(e.message));
    }, delays[attempt]);
  }

  /**
   * A re-INVITE from the far end: hold, unhold, or media moving (a transfer
   * to the agent who picks up). FreeSWITCH must get the new SDP and its
   * answer go back, or the audio keeps flowing to where it was.
   */
  private async moveMedia(
    endpoint: EndpointLike,
    request: ReinviteLike,
    response: ReinviteResponseLike,
  ): Promise<void> {
    const sdpHeaders = { 'Content-Type': 'application/sdp' };
    if (!request.body) {
      // An offerless re-INVITE asks for our offer: the media FreeSWITCH has now, as a trunk takes it.
      try {
        response.send(200, { body: g711Offer(endpoint.local.sdp), headers: sdpHeaders });
      } catch (e) {
        this.deps.log?.({ callId: this.callId, event: 'reinvite-refused', reason: String(e) });
        response.send(488);
      }
      return;
    }
    try {
      const answer = await endpoint.modify(request.body);
      response.send(200, { body: answer, headers: sdpHeaders });
    } catch (e) {
      this.deps.log?.({ callId: this.callId, event: 'reinvite-refused', reason: String(e) });
      response.send(488);
    }
  }

  private async ring(uri: string, headers: Record<string, string>): Promise<void> {
    let earlyMedia: string | undefined;
    let dialog: DialogLike;
    try {
      dialog = await this.deps.srf.createUAC(
        uri,
        {
          localSdp: this.offer,
          headers,
          ...authFor(this.deps.trunk, uri),
        },
        {
          cbRequest: (err, invite) => {
            if (err) return;
            this.invite = invite;
            if (this.abandoned) invite.cancel();
          },
          cbProvisional: (response) => {
            // A 183 with SDP is the line's own ringback or announcements: hear it.
            if (response.body && response.body !== earlyMedia) {
              earlyMedia = response.body;
              void this.endpoint
                .modify(answerForFreeswitch(this.freeswitchOffer, response.body))
                .catch(() => undefined);
            }
          },
        },
      );
    } catch (e) {
      clearTimeout(this.ringTimer);
      this.invite = undefined;
      await this.release();
      if (this.abandoned && !this.ringTimedOut(e)) {
        this.setState('ended', 'hung up by us before an answer');
        return;
      }
      const outcome = dialOutcomeOf(e);
      this.deps.log?.({ callId: this.callId, event: 'dial-failed', cause: outcome.cause });
      this.setState(outcome.state, outcome.cause);
      return;
    }
    clearTimeout(this.ringTimer);
    this.invite = undefined;
    // The dialog is ours from its 200 on: a BYE or a hang-up from now on must find it.
    this.dialog = dialog;
    dialog.on('destroy', () => void this.farEndHungUp(dialog));
    dialog.on(
      'modify',
      (request, response) => void this.moveMedia(this.endpoint, request, response),
    );
    if (this.abandoned) {
      // Hung up while the answer was on its way.
      await this.close('ended', 'hung up by us before an answer');
      return;
    }
    try {
      if (dialog.remote.sdp !== earlyMedia)
        await this.endpoint.modify(answerForFreeswitch(this.freeswitchOffer, dialog.remote.sdp));
      if (this.isOver()) return;
      await this.endpoint.set({ media_timeout: MEDIA_TIMEOUT_MS });
      await this.record();
    } catch (e) {
      if (this.isOver()) return;
      this.closing ??= this.close(
        'disconnected',
        `the media would not start: ${(e as Error).message}`,
      );
      await this.closing;
      return;
    }
    if (this.lineState === 'ringing') this.setState('answered', undefined);
  }

  /** A 487 after the ring timeout is no answer; after our hang-up it is only the end of the attempt. */
  private ringTimedOut(e: unknown): boolean {
    return this.abandoned && isSipError(e) && e.status === 487 && this.timedOut;
  }

  /**
   * Two recordings from the answer on: each side in a channel of its own
   * (who said what), and both mixed (the call as heard). FreeSWITCH reads
   * RECORD_STEREO as each recording starts.
   */
  private async record(): Promise<void> {
    const file = (kind: string) =>
      path.join(this.deps.mediaDir, 'recordings', `${this.callId}.${kind}.wav`);
    for (const [stereo, kind] of [
      [true, 'sides'],
      [false, 'mixed'],
    ] as const) {
      await this.endpoint.set({ RECORD_STEREO: stereo });
      const started = await this.endpoint.recordSession(file(kind));
      // A call goes on without its recording, but someone should know.
      const response = started.getHeader('Application-Response');
      if (response?.startsWith('-ERR'))
        this.deps.log?.({ callId: this.callId, event: 'not-recorded', kind, response });
    }
  }

  private farEndHungUp(dialog: DialogLike): Promise<void> {
    if (this.isOver()) return Promise.resolve();
    this.closing ??= this.close('ended', 'the far end hung up', dialog);
    return this.closing;
  }

  private mediaEnded(reason: string | undefined): Promise<void> {
    if (this.isOver() || !this.dialog) return Promise.resolve();
    this.closing ??= this.close(
      'ended',
      `FreeSWITCH ended the channel (${reason ?? 'no reason given'})`,
    );
    return this.closing;
  }

  /** Ringing and answered lead somewhere; every other state is the last one. */
  private isOver(): boolean {
    return this.lineState !== 'ringing' && this.lineState !== 'answered';
  }

  private async release(): Promise<void> {
    clearTimeout(this.forkRetry);
    await Promise.all([
      this.within('free the endpoint', this.endpoint.destroy()),
      this.userLeg && this.within("free the user's endpoint", this.userLeg.endpoint.destroy()),
    ]);
  }

  /** Waits for a release to finish, but not for ever; a failure or a timeout is logged, never thrown. */
  private within(what: string, work: Promise<unknown>): Promise<void> {
    const ms = this.deps.releaseTimeoutMs ?? RELEASE_TIMEOUT_MS;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.deps.log?.({ callId: this.callId, event: 'release-timed-out', what, ms });
        resolve();
      }, ms);
      work.then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (e: unknown) => {
          clearTimeout(timer);
          this.deps.log?.({
            callId: this.callId,
            event: 'release-failed',
            what,
            reason: String(e),
          });
          resolve();
        },
      );
    });
  }

  private setState(state: LineState, cause: string | undefined): void {
    // An ended call stays ended, whatever arrives late.
    if (this.isOver()) return;
    this.lineState = state;
    this.emitter.emit('state', state, cause);
  }

  private ensureAnswered(what: string): void {
    if (this.closing) throw new Error(`call ${this.callId} is ending: cannot ${what}`);
    if (this.lineState !== 'answered')
      throw new Error(`call ${this.callId} is ${this.lineState}: cannot ${what}`);
  }
}

/** The trunk's credentials, for requests to the trunk only: a user's own SIP server never sees them. */
function authFor(trunk: SipTrunk, uri: string): { auth?: { username: string; password: string } } {
  const credentials = trunkAuth(trunk);
  const host = /^sips?:[^@]*@([^;>]+)/i.exec(uri)?.[1];
  return credentials && host === trunk.host ? { auth: credentials } : {};
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
