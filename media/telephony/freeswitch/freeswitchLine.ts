import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { PcmAudio, SampleRate } from '../../audio/pcm.js';
import { writeWav } from '../../audio/wav.js';
import { TransferFailedError, type LineState } from '../callLeg.js';
import type {
  DialogLike,
  EndpointLike,
  MediaServerLike,
  SentInvite,
  SrfLike,
} from './drachtioBoundary.js';
import { dialOutcomeOf } from './sipOutcome.js';
import { callerHeaders, requestUriFor, trunkAuth, type SipTrunk } from './sipTrunk.js';

/** How long each key's tone lasts; the gap between keys is FreeSWITCH's own. */
const DTMF_TONE_MS = 100;
/** What FreeSWITCH leaves between two keys, and after the last, before the far end has heard them all. */
const DTMF_GAP_MS = 50;
/** A line with no media for this long is hung up by FreeSWITCH itself: no call outlives the process that lost it. */
const MEDIA_TIMEOUT_MS = 60_000;

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
  private ringTimer: NodeJS.Timeout | undefined;
  /** Hung up by us before the far end answered. */
  private abandoned = false;

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
    const uri = requestUriFor(deps.trunk, request.to);
    const endpoint = await deps.media.createEndpoint();
    const line = new FreeswitchLine(deps, request.callId, endpoint);
    try {
      await line.prepareMedia();
    } catch (e) {
      await endpoint.destroy().catch(() => undefined);
      throw e;
    }
    line.ringTimer = setTimeout(() => line.invite?.cancel(), ringTimeoutMs);
    void line.ring(uri, request.from);
    return line;
  }

  get state(): LineState {
    return this.lineState;
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
    await delay(digits.length * (DTMF_TONE_MS + DTMF_GAP_MS));
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
    let uri: string;
    try {
      uri = requestUriFor(this.deps.trunk, device);
    } catch (e) {
      throw new TransferFailedError(`cannot ring ${device}: ${(e as Error).message}`);
    }
    const endpoint = await this.deps.media.createEndpoint();
    try {
      const dialog = await this.deps.srf.createUAC(
        uri,
        {
          localSdp: endpoint.local.sdp,
          headers: callerHeaders(this.deps.trunk, undefined),
          ...authFor(this.deps.trunk, uri),
        },
        {},
      );
      await endpoint.modify(dialog.remote.sdp);
      await this.endpoint.bridge(endpoint);
      this.userLeg = { endpoint, dialog };
      // The user hanging up ends the call: the company's leg has no one left to talk to.
      dialog.on('destroy', () => void this.hangup());
    } catch (e) {
      await endpoint.destroy().catch(() => undefined);
      throw new TransferFailedError(`${device} was not reached: ${dialOutcomeOf(e).cause}`);
    }
  }

  /** Ends both legs; a call still ringing is cancelled. */
  async hangup(): Promise<void> {
    if (this.lineState === 'ended') return;
    clearTimeout(this.ringTimer);
    if (!this.dialog) {
      // The INVITE's rejection (a 487) ends the attempt and frees the endpoint.
      this.abandoned = true;
      this.invite?.cancel();
      return;
    }
    const dialog = this.dialog;
    this.dialog = undefined;
    await Promise.allSettled([dialog.destroy(), this.userLeg?.dialog.destroy()]);
    await this.release();
    this.setState('ended', 'hung up by us');
  }

  /** Media first: the fork hears ringback and early media, and a lost line ends by itself. */
  private async prepareMedia(): Promise<void> {
    await this.endpoint.set({
      media_timeout: MEDIA_TIMEOUT_MS,
      // Keys as RTP events (RFC 2833), which trunks pass on, rather than tones in the audio.
      dtmf_type: 'rfc2833',
    });
    await this.endpoint.forkAudioStart({
      wsUrl: `${this.deps.audioForkUrl.replace(/\/$/, '')}/${encodeURIComponent(this.callId)}`,
      mixType: 'mono',
      sampling: this.deps.sampleRate === 16000 ? '16k' : '8k',
      metadata: JSON.stringify({ callId: this.callId, sampleRate: this.deps.sampleRate }),
    });
  }

  private async ring(uri: string, from: string | undefined): Promise<void> {
    let earlyMedia: string | undefined;
    try {
      const dialog = await this.deps.srf.createUAC(
        uri,
        {
          localSdp: this.endpoint.local.sdp,
          headers: callerHeaders(this.deps.trunk, from),
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
              void this.endpoint.modify(response.body).catch(() => undefined);
            }
          },
        },
      );
      clearTimeout(this.ringTimer);
      if (this.abandoned) {
        // Hung up while the answer was on its way.
        await dialog.destroy().catch(() => undefined);
        await this.release();
        this.setState('ended', 'hung up by us before an answer');
        return;
      }
      if (dialog.remote.sdp !== earlyMedia) await this.endpoint.modify(dialog.remote.sdp);
      this.dialog = dialog;
      dialog.on('destroy', () => void this.farEndHungUp());
      await this.record();
      this.setState('answered', undefined);
    } catch (e) {
      clearTimeout(this.ringTimer);
      await this.release();
      if (this.abandoned) {
        this.setState('ended', 'hung up by us before an answer');
        return;
      }
      const outcome = dialOutcomeOf(e);
      this.deps.log?.({ callId: this.callId, event: 'dial-failed', cause: outcome.cause });
      this.setState(outcome.state, outcome.cause);
    }
  }

  /**
   * Two recordings from the answer on: each side in a channel of its own
   * (who said what), and both mixed (the call as heard). FreeSWITCH reads
   * RECORD_STEREO as each recording starts.
   */
  private async record(): Promise<void> {
    const file = (kind: string) =>
      path.join(this.deps.mediaDir, 'recordings', `${this.callId}.${kind}.wav`);
    await this.endpoint.set({ RECORD_STEREO: true });
    await this.endpoint.recordSession(file('sides'));
    await this.endpoint.set({ RECORD_STEREO: false });
    await this.endpoint.recordSession(file('mixed'));
  }

  private async farEndHungUp(): Promise<void> {
    if (this.lineState === 'ended') return;
    this.dialog = undefined;
    await this.userLeg?.dialog.destroy().catch(() => undefined);
    await this.release();
    this.setState('ended', 'the far end hung up');
  }

  private async release(): Promise<void> {
    await Promise.allSettled([this.endpoint.destroy(), this.userLeg?.endpoint.destroy()]);
  }

  private setState(state: LineState, cause: string | undefined): void {
    this.lineState = state;
    this.emitter.emit('state', state, cause);
  }

  private ensureAnswered(what: string): void {
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
