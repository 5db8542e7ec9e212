import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import alawmulaw from 'alawmulaw';
import { readTruth } from '../../carrier/call/truthSummary.js';
import { readRtp, type RtpPacket } from '../../carrier/sip/rtpPacket.js';
import { DeepgramTranscriber } from '../../media/speech/deepgramTranscriber.js';
import { EspeakSynthesizer } from '../../media/speech/espeak.js';
import { startCarrierProcess, type CarrierProcess } from '../../runtime/carrierProcess.js';
import { FakeLeg } from '../support/fakeLeg.js';
import { rtpPcap } from '../support/rtpPcap.js';
import { describeWith } from '../support/services.js';
import { waitFor } from '../support/waitFor.js';
import { freeUdpPort } from '../support/freeUdpPort.js';

const KEYS_PCAP = '/usr/share/sip-tester/dtmf_2833_2.pcap';
const SCENARIO = path.resolve('test/fixtures/sipp/call-keys-speech.xml');
/** super-awesome-operator: its main menu's key 2 is the queue. */
const NUMBER = '+14145550142';

const sippMissing = !existsSync(KEYS_PCAP)
  ? `SIPp is not installed (apt-get install sip-tester)`
  : undefined;
if (sippMissing) process.stderr.write(`SKIPPED "the carrier's SIP face" because ${sippMissing}\n`);

function sipp(args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile('sipp', args, { timeout: 60_000, cwd }, (error, stdout, stderr) =>
      resolve({
        code: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
        output: `${stdout}\n${stderr}`,
      }),
    );
  });
}

(sippMissing ? describe.skip : (n: string, b: () => void) => describeWith(['sounds'], n, b))(
  "the carrier's SIP face, against SIPp",
  () => {
    let carrier: CarrierProcess;
    let capture: Socket;
    let capturePort: number;
    const heard: Array<{ packet: RtpPacket; at: number }> = [];
    const dir = mkdtempSync(path.join(tmpdir(), 'carrier-sip-'));

    beforeAll(async () => {
      // What the caller says, as SIPp replays it: 8 kHz µ-law RTP in a capture file.
      const tts = new EspeakSynthesizer();
      const speech = await tts.synthesize('I would like to talk to sales please', 8000);
      await tts.close();
      // The scenario file pauses 5 s for it.
      expect(speech.samples.length).toBeLessThan(8000 * 4.5);
      const law = Buffer.from(alawmulaw.mulaw.encode(speech.samples));
      const packets: Buffer[] = [];
      for (let at = 0; at + 160 <= law.length; at += 160) packets.push(law.subarray(at, at + 160));
      writeFileSync(path.join(dir, 'speech.pcap'), rtpPcap(packets, 0));

      capture = createSocket('udp4');
      await new Promise<void>((resolve) => capture.bind(0, '127.0.0.1', resolve));
      capturePort = capture.address().port;
      capture.on('message', (data) => {
        const packet = readRtp(data);
        if (packet) heard.push({ packet, at: Date.now() });
      });
      carrier = await startCarrierProcess({
        scenarios: [path.resolve('scenarios')],
        truthDir: path.join(dir, 'truth'),
        logFile: path.join(dir, 'carrier.log'),
        extraArgs: ['--sip-port', String(await freeUdpPort())],
      });
    }, 90_000);
    /** One call by SIPp to `service` at the carrier, from its scenario file; fails the test with SIPp's own words. */
    async function runSipp(scenario: string, service: string, keys: Record<string, string>) {
      const [, host, port] = /^sip:carrier@([\d.]+):(\d+)$/.exec(carrier.sip ?? '') ?? [];
      expect(port).toBeDefined();
      const args = [`${host}:${port}`, '-sf', scenario, '-s', service, '-i', '127.0.0.1'];
      args.push('-p', String(await freeUdpPort()), '-mp', String(await freeUdpPort()));
      args.push('-m', '1', '-nostdin', ...Object.entries(keys).flatMap(([k, v]) => ['-key', k, v]));
      const run = await sipp(args, dir);
      expect({ code: run.code, tail: run.code === 0 ? '' : run.output.slice(-2000) }).toEqual({
        code: 0,
        tail: '',
      });
    }

    afterAll(async () => {
      await carrier?.stop();
      capture?.close();
    });

    it('takes a call in, hears a key as a telephone-event and speech as RTP, sends G.711 audio, and ends on BYE', async () => {
      const callId = `sip-${randomUUID()}`;
      // A worker's Deepgram client on the call, as a worker transcribing this SIP call would have.
      const leg = new FakeLeg(8000, callId);
      const stream = new DeepgramTranscriber({
        apiKey: 'any',
        baseUrl: carrier.url,
      }).start(leg);
      const transcripts: string[] = [];
      stream.onTranscript((t) => t.final && transcripts.push(t.text));
      const audio20ms = setInterval(() => leg.emit('audio', new Int16Array(160)), 20);
      try {
        await runSipp(SCENARIO, NUMBER.replace('+', ''), {
          holdslayer_call_id: callId,
          capture_port: String(capturePort),
        });
      } finally {
        clearInterval(audio20ms);
        await stream.close();
      }

      const truthFile = path.join(carrier.truthDir, `${callId}.jsonl`);
      await waitFor(() => existsSync(truthFile), 5000);
      let truth = await readTruth(truthFile);
      for (let i = 0; i < 50 && !truth.some((e) => e.ev === 'hangup'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        truth = await readTruth(truthFile);
      }
      expect(truth.find((e) => e.ev === 'call')).toMatchObject({
        number: NUMBER,
        scenario: expect.any(String),
      });
      expect(truth.filter((e) => e.ev === 'dtmf').map((e) => e.digits)).toEqual(['2']);
      expect(truth.filter((e) => e.ev === 'node').map((e) => e.id)).toEqual(
        expect.arrayContaining(['main', 'queue']),
      );
      expect(truth.filter((e) => e.ev === 'speech')).toHaveLength(1);
      expect(truth.at(-1)).toMatchObject({ ev: 'hangup', by: 'caller' });
      // The carrier's recogniser told the worker's client the words it played (up to where the
      // key cut the greeting short), none it did not.
      const played = truth.flatMap((e) =>
        e.ev === 'clip' && e.caption ? [String(e.caption)] : [],
      );
      expect(played.length).toBeGreaterThan(0);
      expect(transcripts.length).toBeGreaterThan(0);
      expect(played[0]!.startsWith(transcripts[0]!)).toBe(true);
      for (const t of transcripts) expect(played.some((p) => p.startsWith(t))).toBe(true);

      // The carrier's side: PCMU at 8 kHz, 20 ms a packet, in order, and a voice in it.
      const audio = heard.filter((h) => h.packet.payloadType === 0);
      expect(audio.length).toBeGreaterThan(100);
      expect(new Set(audio.map((h) => h.packet.payload.length))).toEqual(new Set([160]));
      const steps = audio
        .slice(1)
        .map((h, i) => (h.packet.sequence - audio[i]!.packet.sequence) & 0xffff);
      expect(steps.filter((s) => s !== 1)).toEqual([]);
      expect(audio[1]!.packet.timestamp - audio[0]!.packet.timestamp).toBe(160);
      const samples = alawmulaw.mulaw.decode(
        new Uint8Array(Buffer.concat(audio.map((h) => h.packet.payload))),
      );
      const loudest = samples.reduce((m, s) => Math.max(m, Math.abs(s)), 0);
      expect(loudest).toBeGreaterThan(3000);
    }, 90_000);

    it("is the person's phone for a user's address: it rings, picks up by itself, and hangs up on BYE", async () => {
      await runSipp(path.resolve('test/fixtures/sipp/ring-user-phone.xml'), 'alice', {});
    }, 60_000);
  },
);
