import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { CaptionListen, LISTEN_PATH } from '../../carrier/sip/captionListen.js';
import { DeepgramTranscriber } from '../../media/speech/deepgramTranscriber.js';
import type { LiveTranscription, Transcript } from '../../media/speech/transcriber.js';
import { FakeLeg } from '../support/fakeLeg.js';
import { waitFor } from '../support/waitFor.js';

let http: Server;
let listen: CaptionListen;
let url: string;
const streams: LiveTranscription[] = [];

beforeEach(async () => {
  listen = new CaptionListen();
  http = createServer((_req, res) => res.writeHead(426).end());
  http.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://x').pathname === LISTEN_PATH)
      listen.upgrade(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await Promise.all(streams.splice(0).map((s) => s.close()));
  listen.close();
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Sends `seconds` of silent linear16 at the leg's rate, in 20 ms frames. */
async function play(leg: FakeLeg, seconds: number): Promise<void> {
  for (let i = 0; i < seconds * 50; i += 10) {
    for (let j = 0; j < 10; j++) leg.emit('audio', new Int16Array(leg.sampleRate / 50));
    await sleep(5);
  }
}

/** Opens the project's own Deepgram client on a leg, as a worker would. */
function transcribe(leg: FakeLeg): Transcript[] {
  const heard: Transcript[] = [];
  const stream = new DeepgramTranscriber({ apiKey: 'any-key', baseUrl: url }).start(leg);
  streams.push(stream);
  stream.onTranscript((t) => heard.push(t));
  return heard;
}

/** The upgrade's refusal: status and Deepgram's dg-error header. */
function refusal(path: string, headers: Record<string, string>): Promise<[number, string]> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}${path}`, { headers });
    ws.on('open', () => reject(new Error('the stream was opened')));
    ws.on('unexpected-response', (_req, res) =>
      resolve([res.statusCode ?? 0, String(res.headers['dg-error'])]),
    );
    ws.on('error', () => undefined);
  });
}

describe("the carrier's recogniser for SIP calls (Deepgram's live protocol over its captions)", () => {
  it("gives the Deepgram client each call's captions, interim then final, and no other call's", async () => {
    const leg = new FakeLeg(8000, 'call-7');
    const other = new FakeLeg(8000, 'call-8');
    const heard = transcribe(leg);
    const otherHeard = transcribe(other);
    const playing = play(leg, 1);
    await play(other, 0.2);
    await sleep(200);
    listen.caption('call-7', 'Thank you', false);
    listen.caption('call-7', 'Thank you for calling', false);
    listen.caption('call-7', 'Thank you for calling Acme.', true);
    listen.caption('call-8', 'Press one for sales.', true);
    await waitFor(() => heard.some((t) => t.final), 5000, 'call-7 final');
    await waitFor(() => otherHeard.some((t) => t.final), 5000, "call-8's final");
    await playing;

    expect(heard).toEqual([
      { text: 'Thank you', final: false },
      { text: 'Thank you for calling', final: false },
      { text: 'Thank you for calling Acme.', final: true },
    ]);
    expect(otherHeard).toEqual([{ text: 'Press one for sales.', final: true }]);
  });

  it('times results in the seconds of audio the stream was sent, and reports them at CloseStream', async () => {
    const ws = new WebSocket(
      `${url}${LISTEN_PATH}?tag=call-9&encoding=linear16&sample_rate=8000&interim_results=true&vad_events=true`,
      { headers: { authorization: 'Token k' } },
    );
    const messages: Array<Record<string, unknown>> = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Record<string, unknown>));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(Buffer.alloc(16000 * 1.5)); // 1.5 s at 8 kHz, two bytes a sample
    await sleep(100);
    listen.caption('call-9', 'Your call is important', true);
    ws.send(Buffer.alloc(16000 * 0.5));
    await sleep(100);
    ws.send(JSON.stringify({ type: 'CloseStream' }));
    const code = await new Promise<number>((resolve) => ws.once('close', resolve));

    expect(code).toBe(1000);
    expect(messages.map((m) => m.type)).toEqual(['SpeechStarted', 'Results', 'Metadata']);
    expect(messages[0]).toMatchObject({ timestamp: 1.5 });
    expect(messages[1]).toMatchObject({
      start: 0,
      duration: 1.5,
      is_final: true,
      speech_final: true,
    });
    const words = (messages[1]!.channel as { alternatives: Array<{ words: unknown[] }> })
      .alternatives[0]!.words;
    expect(words).toHaveLength(4);
    expect(messages[2]).toMatchObject({ duration: 2 });
  });

  it.each([
    [
      `${LISTEN_PATH}?encoding=linear16&sample_rate=8000`,
      { authorization: 'Token k' },
      400,
      /tag is required/,
    ],
    [
      `${LISTEN_PATH}?tag=c&encoding=opus&sample_rate=8000`,
      { authorization: 'Token k' },
      400,
      /Unsupported encoding: opus/,
    ],
    [
      `${LISTEN_PATH}?tag=c&encoding=linear16`,
      { authorization: 'Token k' },
      400,
      /sample_rate is required/,
    ],
    [`${LISTEN_PATH}?tag=c&encoding=linear16&sample_rate=8000`, {}, 401, /Authorization: Token/],
  ])('refuses %s as Deepgram would, saying why', async (path, headers, status, why) => {
    const [got, error] = await refusal(path, headers);
    expect(got).toBe(status);
    expect(error).toMatch(why);
  });
});
