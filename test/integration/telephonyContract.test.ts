import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { SimTelephony } from '../../media/telephony/sim/simTelephony.js';
import { startCarrierProcess, type CarrierProcess } from '../../runtime/carrierProcess.js';
import { telephonyContract, type TelephonyTarget } from '../contract/telephonyContract.js';
import { FakeDrachtio, type FakeEndpoint } from '../support/fakeDrachtio.js';
import type { ForkAudioOptions } from '../../media/telephony/freeswitch/drachtioBoundary.js';
import { describeWith } from '../support/services.js';
import { startFakeGateway, type FakeGateway } from '../support/fakeGateway.js';

const ANSWERING = '+18005550100';
const BUSY = '+13035550123';

describeWith(['sounds'], 'the telephony port on the simulated carrier', () => {
  let carrier: CarrierProcess;
  let target: TelephonyTarget;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'port-contract-'));
    carrier = await startCarrierProcess({
      scenarios: [path.resolve('scenarios')],
      truthDir: path.join(dir, 'truth'),
      logFile: path.join(dir, 'carrier.log'),
    });
    target = {
      port: new SimTelephony(carrier.url),
      answering: ANSWERING,
      busy: BUSY,
      userDevice: 'sim:contract-user',
    };
  }, 60_000);
  afterAll(() => carrier.stop());
  telephonyContract(() => target);
});

/**
 * FreeSWITCH as the fakes play it: every fork started connects to the audio
 * fork server as mod_audio_fork does and sends 20 ms of tone every 20 ms,
 * until its endpoint goes.
 */
function streamLikeFreeswitch(endpoint: FakeEndpoint, options: ForkAudioOptions): void {
  const socket = new WebSocket(options.wsUrl, 'audio.drachtio.org');
  let timer: NodeJS.Timeout | undefined;
  socket.on('open', () => {
    // What one version of mod_audio_fork sends first; the server reads no rate from it.
    socket.send(JSON.stringify({ event: 'start', start: { accountSid: "''", tracks: [] } }));
    let t = 0;
    timer = setInterval(() => {
      const frame = Buffer.alloc(320);
      for (let i = 0; i < 160; i++, t++)
        frame.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * t) / 8000)), i * 2);
      if (socket.readyState === socket.OPEN) socket.send(frame);
    }, 20);
  });
  socket.on('error', () => clearInterval(timer));
  endpoint.once('destroy', () => {
    clearInterval(timer);
    socket.close();
  });
}

describe('the telephony port on the FreeSWITCH gateway, drachtio and FreeSWITCH replaced at their boundary', () => {
  const fake = new FakeDrachtio({
    respond: (uri) => (uri.includes(BUSY) ? { status: 486, reason: 'Busy Here' } : { status: 200 }),
    onForkStart: streamLikeFreeswitch,
  });
  let stack: FakeGateway;
  let target: TelephonyTarget;

  beforeAll(async () => {
    stack = await startFakeGateway(fake);
    target = {
      port: new SimTelephony(stack.url),
      answering: ANSWERING,
      busy: BUSY,
      userDevice: 'sip:user@phone.example.com',
    };
  });
  afterAll(() => stack.close());

  telephonyContract(() => target);

  it("placed every call through the trunk with the endpoint's offer, cut to G.711", () => {
    const invites = fake.requests.filter((r) => r.to === 'srf');
    expect(invites.length).toBeGreaterThan(0);
    for (const invite of invites)
      expect(invite).toMatchObject({
        options: { localSdp: expect.stringMatching(/^m=audio 200\d\d RTP\/AVP 0 8 101$/m) },
      });
  });
});
