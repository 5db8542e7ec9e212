import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TransferFailedError, type LineState } from '../../media/telephony/callLeg.js';
import {
  FreeswitchLine,
  type FreeswitchLineDeps,
} from '../../media/telephony/freeswitch/freeswitchLine.js';
import { sipTrunkSchema } from '../../media/telephony/freeswitch/sipTrunk.js';
import { g711Offer } from '../../media/telephony/freeswitch/g711Offer.js';
import { FakeDrachtio } from '../support/fakeDrachtio.js';
import { waitFor } from '../support/waitFor.js';

const TRUNK_URI = 'sip:+18005550100@sip.example.net:5080;transport=tcp';
const CALLER = '<sip:+15550001111@sip.example.net>';
const CREDENTIALS = { username: 'holdslayer', password: 'trunk-secret' };

function setUp() {
  const fake = new FakeDrachtio();
  const mediaDir = mkdtempSync(path.join(tmpdir(), 'fs-line-'));
  const deps: FreeswitchLineDeps = {
    srf: fake.srf,
    media: fake.media,
    trunk: sipTrunkSchema.parse({
      host: 'sip.example.net:5080',
      transport: 'tcp',
      callerId: '+15550001111',
      ...CREDENTIALS,
    }),
    audioForkUrl: 'ws://10.0.0.5:3100/audio-fork/',
    sampleRate: 8000,
    mediaDir,
  };
  const states: Array<[LineState, string | undefined]> = [];
  const place = async (ringTimeoutMs = 30_000) => {
    const line = await FreeswitchLine.place(
      deps,
      { callId: 'call-1', to: '+18005550100' },
      ringTimeoutMs,
    );
    line.on('state', (state, cause) => states.push([state, cause]));
    return line;
  };
  return { fake, deps, mediaDir, states, place };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

describe('a call through the trunk with a FreeSWITCH endpoint', () => {
  it("sends FreeSWITCH's offer to the trunk, forks the far end's audio, and completes the answer", async () => {
    const { fake, place, states, mediaDir } = setUp();
    const line = await place();
    const invite = await fake.invite(1);
    invite.answer('v=0 the trunk answers');
    await settle();
    expect(fake.requests).toEqual([
      { to: 'media', method: 'createEndpoint' },
      {
        to: 'endpoint',
        uuid: 'ep-1',
        method: 'set',
        args: [{ dtmf_type: 'rfc2833' }],
      },
      {
        to: 'endpoint',
        uuid: 'ep-1',
        method: 'forkAudioStart',
        args: [{ wsUrl: 'ws://10.0.0.5:3100/audio-fork/call-1', mixType: 'mono', sampling: '8k' }],
      },
      {
        to: 'srf',
        method: 'createUAC',
        uri: TRUNK_URI,
        options: {
          localSdp: expect.stringContaining('m=audio 20004 RTP/AVP 0 8 101\r\n'),
          headers: {
            From: CALLER,
            'P-Asserted-Identity': CALLER,
            'X-Holdslayer-Call-Id': 'call-1',
          },
          auth: CREDENTIALS,
        },
      },
      { to: 'endpoint', uuid: 'ep-1', method: 'modify', args: ['v=0 the trunk answers'] },
      { to: 'endpoint', uuid: 'ep-1', method: 'set', args: [{ media_timeout: 60_000 }] },
      { to: 'endpoint', uuid: 'ep-1', method: 'set', args: [{ RECORD_STEREO: true }] },
      {
        to: 'endpoint',
        uuid: 'ep-1',
        method: 'recordSession',
        args: [path.join(mediaDir, 'recordings', 'call-1.sides.wav')],
      },
      { to: 'endpoint', uuid: 'ep-1', method: 'set', args: [{ RECORD_STEREO: false }] },
      {
        to: 'endpoint',
        uuid: 'ep-1',
        method: 'recordSession',
        args: [path.join(mediaDir, 'recordings', 'call-1.mixed.wav')],
      },
    ]);
    expect(line.state).toBe('answered');
    expect(states).toEqual([['answered', undefined]]);
  });

  it('hears early media from a 183, and does not apply the same SDP twice', async () => {
    const { fake, place } = setUp();
    await place();
    const invite = await fake.invite(1);
    invite.callbacks.cbProvisional?.({
      status: 183,
      reason: 'Session Progress',
      body: 'v=0 early',
    });
    invite.answer('v=0 early');
    await settle();
    const modifies = fake.requests.filter((r) => r.to === 'endpoint' && r.method === 'modify');
    expect(modifies).toEqual([
      { to: 'endpoint', uuid: 'ep-1', method: 'modify', args: ['v=0 early'] },
    ]);
  });

  it.each([
    [486, 'Busy Here', 'busy'],
    [480, 'Temporarily Unavailable', 'no-answer'],
    [404, 'Not Found', 'disconnected'],
  ] as const)('reads a %i as %s, and frees the endpoint', async (status, reason, state) => {
    const { fake, place, states } = setUp();
    const line = await place();
    (await fake.invite(1)).fail(status, reason);
    await settle();
    expect(line.state).toBe(state);
    expect(states).toEqual([[state, `sip ${status} ${reason}`]]);
    expect(fake.requests.at(-1)).toEqual({
      to: 'endpoint',
      uuid: 'ep-1',
      method: 'destroy',
      args: [],
    });
  });

  it('cancels an INVITE still ringing at the ring timeout: no answer', async () => {
    const { fake, place, states } = setUp();
    await place(50);
    const invite = await fake.invite(1);
    await new Promise((r) => setTimeout(r, 80));
    await settle();
    expect(invite.cancelled).toBe(true);
    expect(states).toEqual([['no-answer', 'sip 487 Request Terminated']]);
  });

  it('cancels a ringing call it hangs up, and says the call ended', async () => {
    const { fake, place, states } = setUp();
    const line = await place();
    await fake.invite(1);
    await line.hangup();
    await settle();
    expect(fake.requests.filter((r) => r.to === 'invite')).toEqual([
      { to: 'invite', method: 'cancel' },
    ]);
    expect(states).toEqual([['ended', 'hung up by us before an answer']]);
  });

  it('keys digits as RFC 2833 events and plays speech from a file it then removes', async () => {
    const { fake, place, mediaDir } = setUp();
    const line = await place();
    (await fake.invite(1)).answer();
    await settle();
    await line.sendDtmf('31#');
    await line.speak({ sampleRate: 8000, samples: new Int16Array(800) });
    const acts = fake.requests.filter(
      (r) => r.to === 'endpoint' && ['execute', 'play'].includes(r.method),
    );
    expect(acts[0]).toEqual({
      to: 'endpoint',
      uuid: 'ep-1',
      method: 'execute',
      args: ['send_dtmf', '31#@100'],
    });
    const played = (acts[1] as { args: string[] }).args[0]!;
    expect(path.dirname(played)).toBe(path.join(mediaDir, 'speech'));
    expect(fake.endpoints[0]!.played).toEqual([played]);
    expect(existsSync(played)).toBe(false);
  });

  it('refuses keys before the line answers', async () => {
    const { place } = setUp();
    const line = await place();
    await expect(line.sendDtmf('1')).rejects.toThrow('call call-1 is ringing: cannot send keys');
  });

  it("bridges the user's SIP phone on a leg of its own, without the trunk's credentials", async () => {
    const { fake, place } = setUp();
    const line = await place();
    (await fake.invite(1)).answer();
    await settle();
    const bridging = line.bridge('sip:alice@pbx.example.com');
    (await fake.invite(2)).answer('v=0 alice answers');
    await bridging;
    // From the user's leg's endpoint on.
    const created = fake.requests.flatMap((r, n) => (r.to === 'media' ? [n] : []));
    const after = fake.requests.slice(created[1]);
    expect(
      after.filter((r) => r.to !== 'endpoint' || r.uuid === 'ep-2' || r.method === 'bridge'),
    ).toEqual([
      { to: 'media', method: 'createEndpoint' },
      {
        to: 'srf',
        method: 'createUAC',
        uri: 'sip:alice@pbx.example.com',
        options: {
          localSdp: expect.stringContaining('m=audio 20008 RTP/AVP 0 8 101\r\n'),
          headers: {
            From: CALLER,
            'P-Asserted-Identity': CALLER,
            'X-Holdslayer-Call-Id': 'call-1',
          },
        },
      },
      { to: 'endpoint', uuid: 'ep-2', method: 'modify', args: ['v=0 alice answers'] },
      { to: 'endpoint', uuid: 'ep-1', method: 'bridge', args: ['ep-2'] },
    ]);
    expect(line.bridged).toBe(true);
  });

  it("rings a user's number through the trunk, with its credentials; a user who does not answer fails the transfer", async () => {
    const { fake, place } = setUp();
    const line = await place();
    (await fake.invite(1)).answer();
    await settle();
    const bridging = line.bridge('+15557654321');
    const userInvite = await fake.invite(2);
    expect(userInvite.uri).toBe('sip:+15557654321@sip.example.net:5080;transport=tcp');
    expect(userInvite.options.auth).toEqual(CREDENTIALS);
    userInvite.fail(480, 'Temporarily Unavailable');
    await expect(bridging).rejects.toThrow(TransferFailedError);
    await expect(bridging).rejects.toThrow(
      '+15557654321 was not reached: sip 480 Temporarily Unavailable',
    );
    expect(line.bridged).toBe(false);
    expect(fake.requests.at(-1)).toEqual({
      to: 'endpoint',
      uuid: 'ep-2',
      method: 'destroy',
      args: [],
    });
    await expect(line.bridge('sim:me')).rejects.toThrow('cannot ring sim:me');
  });

  it('ends when the far end hangs up, and hangs up both legs itself', async () => {
    const { fake, place, states } = setUp();
    const line = await place();
    const dialog = (await fake.invite(1)).answer();
    await settle();
    dialog.hangUpFarEnd();
    await settle();
    expect(states.at(-1)).toEqual(['ended', 'the far end hung up']);
    expect(fake.requests.at(-1)).toEqual({
      to: 'endpoint',
      uuid: 'ep-1',
      method: 'destroy',
      args: [],
    });

    const second = setUp();
    const other = await second.place();
    (await second.fake.invite(1)).answer();
    await settle();
    await other.hangup();
    expect(second.fake.requests.slice(-2)).toEqual([
      { to: 'dialog', id: 'dialog-1', method: 'destroy' },
      { to: 'endpoint', uuid: 'ep-1', method: 'destroy', args: [] },
    ]);
    expect(other.state).toBe('ended');
    expect(line.state).toBe('ended');
  });
});

describe('a call through the trunk, when things cross', () => {
  /** A call answered by the trunk whose media is still being set up. */
  async function answeredButNoMediaYet() {
    const setup = setUp();
    const line = await setup.place();
    setup.fake.endpoints[0]!.holdModify = true;
    const dialog = (await setup.fake.invite(1)).answer();
    await settle();
    return { ...setup, line, dialog };
  }

  it('hears a BYE that comes while the answer is still being set up, and never reports it answered', async () => {
    const { line, dialog, fake, states } = await answeredButNoMediaYet();
    dialog.hangUpFarEnd();
    await settle();
    fake.endpoints[0]!.releaseModifies();
    await settle();
    expect(states).toEqual([['ended', 'the far end hung up']]);
    expect(line.state).toBe('ended');
    // Its BYE came from the far end: no BYE is sent back, but the endpoint is freed.
    expect(fake.requests.filter((r) => r.to === 'dialog')).toEqual([]);
    expect(fake.requests).toContainEqual({
      to: 'endpoint',
      uuid: 'ep-1',
      method: 'destroy',
      args: [],
    });
  });

  it('hangs up an answered call it is told to hang up before its media is up', async () => {
    const { line, fake, states } = await answeredButNoMediaYet();
    await line.hangup();
    fake.endpoints[0]!.releaseModifies();
    await settle();
    expect(states).toEqual([['ended', 'hung up by us']]);
    expect(fake.requests.filter((r) => r.to === 'dialog')).toEqual([
      { to: 'dialog', id: 'dialog-1', method: 'destroy' },
    ]);
    expect(fake.requests.filter((r) => r.to === 'invite')).toEqual([]);
  });

  it('hangs up the trunk when FreeSWITCH ends the channel by itself', async () => {
    const { fake, place, states } = setUp();
    await place();
    (await fake.invite(1)).answer();
    await settle();
    fake.endpoints[0]!.endByFreeswitch('MEDIA_TIMEOUT');
    await settle();
    expect(states.at(-1)).toEqual(['ended', 'FreeSWITCH ended the channel (MEDIA_TIMEOUT)']);
    expect(fake.requests).toContainEqual({ to: 'dialog', id: 'dialog-1', method: 'destroy' });
  });

  it("hangs up the user's phone when it answers after the call has ended", async () => {
    const { fake, place } = setUp();
    const line = await place();
    const company = (await fake.invite(1)).answer();
    await settle();
    const bridging = line.bridge('sip:alice@pbx.example.com');
    const user = await fake.invite(2);
    // The user's 200 and the company's BYE cross.
    user.answer();
    company.hangUpFarEnd();
    await expect(bridging).rejects.toThrow(TransferFailedError);
    expect(fake.requests).toContainEqual({ to: 'dialog', id: 'dialog-2', method: 'destroy' });
    expect(fake.requests).toContainEqual({
      to: 'endpoint',
      uuid: 'ep-2',
      method: 'destroy',
      args: [],
    });
    expect(line.bridged).toBe(false);
  });

  it('shares one hang-up among callers, and reports the end once', async () => {
    const { fake, place, states } = setUp();
    const line = await place();
    (await fake.invite(1)).answer();
    await settle();
    await Promise.all([line.hangup(), line.hangup()]);
    expect(fake.requests.filter((r) => r.to === 'dialog')).toHaveLength(1);
    expect(fake.requests.filter((r) => r.to === 'invite')).toEqual([]);
    expect(states.filter(([s]) => s === 'ended')).toHaveLength(1);
  });
});

describe('a call through the trunk, when the network misbehaves', () => {
  it('offers the trunk plain G.711 only, PCMU first, with no SRTP or video, whatever FreeSWITCH leads with', async () => {
    const { fake, place } = setUp();
    await place();
    const offer = (await fake.invite(1)).options.localSdp;
    expect(offer).toMatch(/^m=audio 20004 RTP\/AVP 0 8 101$/m);
    expect(offer.match(/^m=/gm)).toHaveLength(1);
    expect(offer).not.toMatch(/opus|G722|VP8|m=video|SAVP|a=crypto/);
    expect(offer).toContain('a=rtpmap:101 telephone-event/8000');
    expect(offer).toContain('a=fmtp:101 0-16');
  });

  it("gives FreeSWITCH the trunk's answer as the answer to its own offer: plain audio taken, SRTP and video declined", async () => {
    const { fake, place } = setUp();
    await place();
    const trunkAnswer = [
      'v=0',
      'o=carrier 1 1 IN IP4 192.0.2.9',
      's=-',
      'c=IN IP4 192.0.2.9',
      't=0 0',
      'm=audio 49170 RTP/AVP 0 101',
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:101 telephone-event/8000',
      '',
    ].join('\r\n');
    (await fake.invite(1)).answer(trunkAnswer);
    await settle();
    const modifies = fake.requests.filter((r) => r.to === 'endpoint' && r.method === 'modify');
    const given = String((modifies.at(-1) as { args: unknown[] }).args[0]);
    expect(given.match(/^m=.*$/gm)).toEqual([
      'm=audio 0 RTP/SAVP 102',
      'm=audio 49170 RTP/AVP 0 101',
      'm=video 0 RTP/AVP 96',
    ]);
    expect(given).not.toContain('a=crypto');
  });

  it('reports the end of a call whose BYEs are lost, after the release timeout', async () => {
    const { fake, deps, states } = setUp();
    deps.releaseTimeoutMs = 50;
    const logged: Array<Record<string, unknown>> = [];
    deps.log = (line) => logged.push(line);
    const line = await FreeswitchLine.place(deps, { callId: 'call-1', to: '+18005550100' }, 30_000);
    line.on('state', (state, cause) => states.push([state, cause]));
    const dialog = (await fake.invite(1)).answer();
    await settle();
    dialog.byeUnanswered = true;
    fake.endpoints[0]!.byeLost = true;
    await line.hangup();
    expect(states).toEqual([
      ['answered', undefined],
      ['ended', 'hung up by us'],
    ]);
    expect(logged.filter((l) => l.event === 'release-timed-out').map((l) => l.what)).toEqual([
      'hang up',
      'free the endpoint',
    ]);
  });

  it("moves FreeSWITCH's media when the far end re-INVITEs, and answers with FreeSWITCH's SDP", async () => {
    const { fake, place } = setUp();
    const line = await place();
    const dialog = (await fake.invite(1)).answer('v=0 the trunk answers');
    await settle();
    const response = await dialog.reinvite('v=0 the agent picks up elsewhere');
    expect(response).toEqual({
      status: 200,
      body: 'v=0 ep-1 answers v=0 the agent picks up elsewhere',
    });
    const modifies = fake.requests.filter((r) => r.to === 'endpoint' && r.method === 'modify');
    expect(modifies.at(-1)).toMatchObject({
      uuid: 'ep-1',
      args: ['v=0 the agent picks up elsewhere'],
    });
    expect(line.state).toBe('answered');
  });

  it("answers an offerless re-INVITE with FreeSWITCH's own offer as the trunk takes it, and refuses one FreeSWITCH refuses", async () => {
    const { fake, place } = setUp();
    await place();
    const dialog = (await fake.invite(1)).answer();
    await settle();
    expect((await dialog.reinvite('')).body).toBe(g711Offer(fake.endpoints[0]!.local.sdp));
    fake.endpoints[0]!.refuseModify = true;
    expect((await dialog.reinvite('v=0 an offer it cannot take')).status).toBe(488);
  });

  it("moves the user's media too when the user's phone re-INVITEs", async () => {
    const { fake, place } = setUp();
    const line = await place();
    (await fake.invite(1)).answer();
    await settle();
    const bridging = line.bridge('sip:alice@pbx.example.com');
    const alice = (await fake.invite(2)).answer('v=0 alice answers');
    await bridging;
    const response = await alice.reinvite('v=0 alice puts the call on hold');
    expect(response).toEqual({
      status: 200,
      body: 'v=0 ep-2 answers v=0 alice puts the call on hold',
    });
  });

  it('starts the audio fork again when it cannot connect, and ends the call loudly when it never does', async () => {
    const { fake, deps, states } = setUp();
    deps.forkRetryDelaysMs = [10, 10];
    const line = await FreeswitchLine.place(deps, { callId: 'call-1', to: '+18005550100' }, 30_000);
    line.on('state', (state, cause) => states.push([state, cause]));
    (await fake.invite(1)).answer();
    await settle();
    const endpoint = fake.endpoints[0]!;
    const forkStarts = () =>
      fake.requests.filter((r) => r.to === 'endpoint' && r.method === 'forkAudioStart').length;
    endpoint.emitCustom('mod_audio_fork::connect_failed', { reason: 'connection refused' });
    await waitFor(() => forkStarts() === 2, 2000);
    expect(line.state).toBe('answered');
    endpoint.emitCustom('mod_audio_fork::connect_failed', { reason: 'connection refused' });
    await waitFor(() => forkStarts() === 3, 2000);
    endpoint.emitCustom('mod_audio_fork::connect_failed', { reason: 'connection refused' });
    await waitFor(() => states.length === 2, 2000);
    expect(states[1]).toEqual([
      'disconnected',
      "FreeSWITCH could not send the far end's audio to ws://10.0.0.5:3100/audio-fork/ (mod_audio_fork failed 3 times)",
    ]);
    expect(fake.requests.filter((r) => r.to === 'dialog' && r.method === 'destroy')).toHaveLength(
      1,
    );
  });

  it('cancels a ringing call whose audio fork never connects', async () => {
    const { fake, deps, states } = setUp();
    deps.forkRetryDelaysMs = [];
    const line = await FreeswitchLine.place(deps, { callId: 'call-1', to: '+18005550100' }, 30_000);
    line.on('state', (state, cause) => states.push([state, cause]));
    const invite = await fake.invite(1);
    fake.endpoints[0]!.emitCustom('mod_audio_fork::connect_failed', 'no server');
    await waitFor(() => invite.cancelled, 2000);
    await settle();
    expect(states.map(([state]) => state)).toEqual(['disconnected']);
  });
});
