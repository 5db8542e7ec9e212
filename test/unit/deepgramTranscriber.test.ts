import pino from 'pino';
import type { SampleRate } from '../../media/audio/pcm.js';
import { AudioBacklog } from '../../media/speech/deepgramBacklog.js';
import type { HeardResult } from '../../media/speech/deepgramResults.js';
import {
  DeepgramTranscriber,
  type DeepgramTranscriberOptions,
} from '../../media/speech/deepgramTranscriber.js';
import { UtteranceAssembler } from '../../media/speech/deepgramUtterance.js';
import type {
  LiveTranscription,
  Transcript,
  TranscriberError,
} from '../../media/speech/transcriber.js';
import {
  DeepgramServer,
  stampedAudio,
  utterance,
  type DeepgramServerOptions,
  type ListenConnection,
} from '../support/deepgramServer.js';
import { FakeLeg } from '../support/fakeLeg.js';

const API_KEY = 'dg-test-key-7c1f9e2ab4d3';
/** Long enough (about 4 s) for Deepgram to finalize it in pieces. */
const LONG_SENTENCE = 'Thank you for calling Acme Bank, your call may be recorded for quality.';

let server: DeepgramServer | undefined;
let stream: LiveTranscription | undefined;
let logLines: string[] = [];

afterEach(async () => {
  await stream?.close();
  stream = undefined;
  await server?.close();
  server = undefined;
  // Whatever a test did, the key never reached the log.
  for (const line of logLines) expect(line).not.toContain(API_KEY);
  logLines = [];
});

async function startServer(
  options: Omit<DeepgramServerOptions, 'apiKey'>,
): Promise<DeepgramServer> {
  server = await DeepgramServer.start({ apiKey: API_KEY, ...options });
  return server;
}

function transcriber(
  url: string,
  options: Partial<DeepgramTranscriberOptions> = {},
): DeepgramTranscriber {
  const log = pino({ level: 'trace' }, { write: (line: string) => logLines.push(line) });
  return new DeepgramTranscriber({
    apiKey: API_KEY,
    baseUrl: url,
    log,
    reconnect: { attempts: 3, initialDelayMs: 50, maxDelayMs: 200 },
    closeTimeoutMs: 2000,
    ...options,
  });
}

interface Heard {
  transcripts: Transcript[];
  errors: TranscriberError[];
  finals(): string[];
}

function listen(t: DeepgramTranscriber, leg: FakeLeg): Heard {
  const started = t.start(leg);
  stream = started;
  const heard: Heard = {
    transcripts: [],
    errors: [],
    finals: () => heard.transcripts.filter((x) => x.final).map((x) => x.text),
  };
  started.onTranscript((x) => heard.transcripts.push(x));
  started.onError((e) => heard.errors.push(e));
  return heard;
}

/** Plays the line from `from` to `to` seconds at ten times real time. */
async function play(leg: FakeLeg, from: number, to: number): Promise<void> {
  const frames = stampedAudio(leg.sampleRate, from, to);
  for (let i = 0; i < frames.length; i += 5) {
    for (const frame of frames.slice(i, i + 5)) leg.emit('audio', frame);
    await sleep(10);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('Deepgram transcriber', () => {
  it.each<SampleRate>([8000, 16000])(
    'streams linear16 at %i Hz and reports interim results, then the final',
    async (rate) => {
      const dg = await startServer({
        script: utterance(0.5, 'Thank you for calling Acme Bank.'),
      });
      const leg = new FakeLeg(rate);
      const heard = listen(transcriber(dg.url), leg);
      await play(leg, 0, 6);
      await waitFor('the final', () => heard.finals().length > 0);

      const connection = dg.connections[0]!;
      expect(Object.fromEntries(connection.query)).toMatchObject({
        model: 'nova-3',
        encoding: 'linear16',
        sample_rate: String(rate),
        channels: '1',
        interim_results: 'true',
        endpointing: '300',
        tag: 'call-fake',
      });
      expect(connection.headers.authorization).toBe(`Token ${API_KEY}`);
      expect(connection.audioSeconds).toBeCloseTo(6, 1);

      expect(heard.finals()).toEqual(['Thank you for calling Acme Bank.']);
      const firstFinal = heard.transcripts.findIndex((x) => x.final);
      const interims = heard.transcripts.slice(0, firstFinal);
      expect(interims.length).toBeGreaterThanOrEqual(2);
      for (const interim of interims) {
        expect(interim.final).toBe(false);
        expect('Thank you for calling Acme Bank.'.startsWith(interim.text)).toBe(true);
      }
      // Deepgram finalized the silence after the words too, with nothing to say.
      const emptyFinals = connection.sent.filter(
        (m) => m.type === 'Results' && m.is_final === true && !transcriptOf(m),
      );
      expect(emptyFinals.length).toBeGreaterThan(0);
      expect(heard.transcripts.every((x) => x.text.length > 0)).toBe(true);
      expect(heard.errors).toEqual([]);
    },
  );

  it('starts the interim words afresh once an utterance has ended', async () => {
    const dg = await startServer({
      script: [
        ...utterance(0.5, 'Please listen carefully,'),
        ...utterance(2.2, 'as our menu options have changed.'),
      ],
    });
    const leg = new FakeLeg(8000);
    const heard = listen(transcriber(dg.url), leg);
    await play(leg, 0, 4.5);
    await waitFor('two finals', () => heard.finals().length === 2);

    expect(heard.finals()).toEqual([
      'Please listen carefully,',
      'as our menu options have changed.',
    ]);
    const afterFirst = heard.transcripts.slice(heard.transcripts.findIndex((x) => x.final) + 1);
    const interims = afterFirst.filter((x) => !x.final);
    expect(interims.length).toBeGreaterThan(0);
    for (const interim of interims) expect(interim.text).not.toContain('Please');
    expect(interims[0]!.text.startsWith('as')).toBe(true);
  });

  it('joins the pieces Deepgram finalizes mid-sentence into one final, at speech_final', async () => {
    const dg = await startServer({ script: utterance(0.3, LONG_SENTENCE), maxSegmentSeconds: 1.5 });
    const leg = new FakeLeg(8000);
    const heard = listen(transcriber(dg.url), leg);
    await play(leg, 0, 6);
    const sent = dg.connections[0]!.sent;
    await waitFor('the UtteranceEnd after it', () => sent.some((m) => m.type === 'UtteranceEnd'));
    await sleep(100);

    const pieces = sent.filter((m) => m.is_final === true && transcriptOf(m));
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    expect(pieces.slice(0, -1).every((m) => m.speech_final === false)).toBe(true);
    expect(pieces.at(-1)!.speech_final).toBe(true);
    // One final, and the UtteranceEnd that followed speech_final added none.
    expect(heard.finals()).toEqual([LONG_SENTENCE]);
    expect(heard.transcripts.at(-1)!.final).toBe(true);

    const interims = heard.transcripts.filter((x) => !x.final);
    for (const interim of interims) expect(LONG_SENTENCE.startsWith(interim.text)).toBe(true);
    // Past the first piece, interims carry it along with the words after it.
    const first = transcriptOf(pieces[0]!);
    expect(interims.some((x) => x.text.startsWith(`${first} `))).toBe(true);
    expect(heard.errors).toEqual([]);
  });

  it('ends an utterance at UtteranceEnd when Deepgram gives no speech_final', async () => {
    const dg = await startServer({
      script: [...utterance(0.3, 'Please listen carefully.'), ...utterance(3.0, 'Press one now.')],
      missEndpoints: true,
    });
    const leg = new FakeLeg(8000);
    const heard = listen(transcriber(dg.url), leg);
    const sent = () => dg.connections[0]?.sent ?? [];
    await play(leg, 0, 1.6);
    await waitFor('the first words finalized', () =>
      sent().some((m) => m.is_final === true && transcriptOf(m)),
    );
    await sleep(100);
    // Finalized, but Deepgram has not said the speaker stopped.
    expect(heard.finals()).toEqual([]);
    expect(heard.transcripts.at(-1)).toEqual({ text: 'Please listen carefully.', final: false });

    await play(leg, 1.6, 5.5);
    await waitFor('both finals', () => heard.finals().length === 2);
    expect(heard.finals()).toEqual(['Please listen carefully.', 'Press one now.']);
    expect(sent().filter((m) => m.type === 'UtteranceEnd')).toHaveLength(2);
    expect(sent().some((m) => m.speech_final === true)).toBe(false);
    // The second utterance's interims do not carry the first.
    const afterFirst = heard.transcripts.slice(heard.transcripts.findIndex((x) => x.final) + 1);
    for (const x of afterFirst) expect(x.text).not.toContain('Please');
  });

  it('flushes finalized pieces as a final on close', async () => {
    const dg = await startServer({ script: utterance(0.3, 'Please hold.'), maxSegmentSeconds: 1 });
    const leg = new FakeLeg(8000);
    const heard = listen(transcriber(dg.url), leg);
    await play(leg, 0, 1.2);
    await waitFor('the piece', () =>
      dg.connections[0]!.sent.some((m) => m.is_final === true && transcriptOf(m)),
    );
    await sleep(50);
    expect(heard.finals()).toEqual([]);

    await stream!.close();
    expect(heard.finals()).toEqual(['Please hold.']);
    expect(dg.connections[0]!.sent.some((m) => m.type === 'UtteranceEnd')).toBe(false);
  });

  it('fails for good, naming the cause, when Deepgram rejects the key', async () => {
    const dg = await startServer({});
    const wrongKey = 'dg-wrong-key-0000aaaa';
    const leg = new FakeLeg(8000);
    const log = pino({ level: 'trace' }, { write: (line: string) => logLines.push(line) });
    const heard = listen(new DeepgramTranscriber({ apiKey: wrongKey, baseUrl: dg.url, log }), leg);
    await play(leg, 0, 0.5);
    await waitFor('the error', () => heard.errors.length > 0);

    const error = heard.errors[0]!;
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('401');
    expect(error.message).toContain('Invalid credentials.');
    expect(error.message).not.toContain(wrongKey);
    await sleep(300);
    expect(dg.connections.map((c) => c.refusedWith)).toEqual([401]);
    expect(heard.errors).toHaveLength(1);
    expect(leg.listenerCount('audio')).toBe(0);
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(line).not.toContain(wrongKey);
  });

  it('fails for good on a bad request, with the reason Deepgram gave', async () => {
    const dg = await startServer({});
    const leg = new FakeLeg(16000);
    const heard = listen(transcriber(dg.url, { model: 'nova-9' }), leg);
    await waitFor('the error', () => heard.errors.length > 0);

    expect(heard.errors[0]!.retryable).toBe(false);
    expect(heard.errors[0]!.message).toMatch(/HTTP 400.*No such model\/language\/tier/);
    expect(dg.connections).toHaveLength(1);
  });

  it('reconnects after a drop mid-utterance and loses no words', async () => {
    const dg = await startServer({
      script: [
        ...utterance(0.2, 'Welcome to Acme Bank.'),
        ...utterance(2.0, 'Your call is important to us, please stay on the line.'),
      ],
      dropAfterSeconds: (n) => (n === 0 ? 3.2 : undefined),
      maxSegmentSeconds: 10,
    });
    const leg = new FakeLeg(8000);
    const heard = listen(transcriber(dg.url), leg);
    await play(leg, 0, 6.5);
    await waitFor('both sentences', () => heard.finals().length === 2);

    expect(heard.finals()).toEqual([
      'Welcome to Acme Bank.',
      'Your call is important to us, please stay on the line.',
    ]);
    expect(dg.connections).toHaveLength(2);
    // Interim words before the drop were heard again, from where the last final ended.
    const resumedAt = dg.connections[1]!.firstHeardAt!;
    expect(resumedAt).toBeGreaterThan(1.3);
    expect(resumedAt).toBeLessThan(2.0);
    const beforeDrop = heard.transcripts.filter((x) => x.text.startsWith('Your call is'));
    expect(beforeDrop.some((x) => !x.final)).toBe(true);
    expect(dg.connections[1]!.audioSeconds).toBeCloseTo(6.5 - resumedAt, 1);
    expect(heard.errors).toEqual([]);
    expect(logLines.some((line) => line.includes('deepgram: reconnecting'))).toBe(true);
  });

  it('keeps a piece finalized before a drop, neither lost nor heard twice', async () => {
    const dg = await startServer({
      script: utterance(0.3, LONG_SENTENCE),
      maxSegmentSeconds: 1.5,
      dropAfterSeconds: (n) => (n === 0 ? 2.5 : undefined),
    });
    const leg = new FakeLeg(8000);
    const heard = listen(transcriber(dg.url), leg);
    await play(leg, 0, 6);
    await waitFor('the final', () => heard.finals().length > 0);
    await sleep(100);

    expect(dg.connections).toHaveLength(2);
    const [before, after] = dg.connections as [ListenConnection, ListenConnection];
    const piece = before.sent.find((m) => m.is_final === true && transcriptOf(m));
    expect(piece).toBeDefined();
    // The new connection starts after the finalized piece: its words are not heard again.
    const pieceEnd = Number(piece!.start) + Number(piece!.duration);
    expect(after.firstHeardAt).toBeGreaterThanOrEqual(pieceEnd - 0.02);
    expect(LONG_SENTENCE.startsWith(transcriptOf(piece!))).toBe(true);
    expect(heard.finals()).toEqual([LONG_SENTENCE]);
    expect(heard.errors).toEqual([]);
  });

  it('ends an utterance cut by a drop once the new connection hears only silence', async () => {
    const dg = await startServer({
      script: utterance(0.3, 'Please hold.'),
      maxSegmentSeconds: 1,
      dropAfterSeconds: (n) => (n === 0 ? 1.3 : undefined),
    });
    const leg = new FakeLeg(8000);
    const heard = listen(transcriber(dg.url), leg);
    await play(leg, 0, 4);
    await waitFor('the final', () => heard.finals().length > 0);

    expect(heard.finals()).toEqual(['Please hold.']);
    expect(dg.connections).toHaveLength(2);
    // Neither connection said the utterance ended: the first dropped, the second heard no words.
    const ends = dg.connections.flatMap((c) => c.sent).filter((m) => m.type === 'UtteranceEnd');
    expect(ends).toEqual([]);
    expect(heard.errors).toEqual([]);
  });

  it('gives up with a retryable error when reconnecting keeps failing', async () => {
    const dg = await startServer({
      script: utterance(0.1, 'Please hold.'),
      dropAfterSeconds: (n) => (n === 0 ? 1 : undefined),
      refuse: (n) =>
        n > 0
          ? { status: 503, errCode: 'SERVICE_UNAVAILABLE', errMsg: 'Too busy right now.' }
          : undefined,
    });
    const leg = new FakeLeg(8000);
    const heard = listen(transcriber(dg.url), leg);
    await play(leg, 0, 2);
    await waitFor('the error', () => heard.errors.length > 0);

    const error = heard.errors[0]!;
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('503');
    expect(error.message).toContain('gave up after 3 reconnect attempts');
    expect(dg.connections.map((c) => c.refusedWith)).toEqual([undefined, 503, 503, 503]);
    expect(heard.finals()).toEqual(['Please hold.']);
    const count = heard.transcripts.length;
    await play(leg, 2, 2.5);
    expect(heard.transcripts).toHaveLength(count);
    expect(leg.listenerCount('audio')).toBe(0);
  });

  it('closes with CloseStream and has the last final before close resolves', async () => {
    const dg = await startServer({ script: utterance(0.5, 'Press one for billing.') });
    const leg = new FakeLeg(16000);
    const heard = listen(transcriber(dg.url), leg);
    await play(leg, 0, 1.7);
    await waitFor('the last word, interim', () =>
      heard.transcripts.some((x) => x.text.includes('billing')),
    );
    expect(heard.finals()).toEqual([]);

    await stream!.close();
    expect(heard.finals()).toEqual(['Press one for billing.']);
    const connection = dg.connections[0]!;
    expect(connection.controls).toContain('CloseStream');
    expect(connection.sent.at(-1)?.type).toBe('Metadata');
    expect(connection.closedWith).toBe(1000);
    expect(leg.listenerCount('audio')).toBe(0);
    expect(heard.errors).toEqual([]);
  });

  it('keeps a silent stream open with KeepAlive', async () => {
    const dg = await startServer({ script: utterance(1.0, 'Hello?'), idleTimeoutMs: 600 });
    const leg = new FakeLeg(8000);
    const heard = listen(transcriber(dg.url, { keepAliveMs: 200 }), leg);
    await play(leg, 0, 0.5);
    // The leg goes quiet, as a detached leg does, for longer than Deepgram waits.
    await sleep(1500);
    await play(leg, 0.5, 1.5);
    await stream!.close();

    const connection = dg.connections[0]!;
    expect(dg.connections).toHaveLength(1);
    expect(connection.controls.filter((c) => c === 'KeepAlive').length).toBeGreaterThanOrEqual(2);
    expect(connection.closedWith).toBe(1000);
    expect(heard.finals()).toEqual(['Hello?']);
    expect(heard.errors).toEqual([]);
  });
});

describe('Deepgram audio backlog', () => {
  const frame = (value: number) => new Int16Array(160).fill(value);

  it('keeps what is not finalized, within its bound, and says how much it let go', () => {
    const backlog = new AudioBacklog(160 * 3);
    for (let i = 1; i <= 5; i++) backlog.append(frame(i));
    expect(backlog.frames.map((b) => b.readInt16LE(0))).toEqual([3, 4, 5]);
    expect(backlog.start).toBe(320);
    expect(backlog.takeOverflow()).toBe(320);
    expect(backlog.takeOverflow()).toBe(0);

    // A final ending inside frame 4 lets go of frame 3 only: frame 4 is heard again whole.
    backlog.release(320 + 160 + 80);
    expect(backlog.frames.map((b) => b.readInt16LE(0))).toEqual([4, 5]);
    backlog.release(800);
    expect(backlog.frames).toEqual([]);
    expect(backlog.start).toBe(800);
  });
});

describe('Deepgram utterance assembly', () => {
  const heard = (
    text: string,
    final: boolean,
    speechFinal = false,
    seconds = 0.5,
  ): HeardResult => ({
    text,
    final,
    speechFinal,
    seconds,
    end: 0,
  });

  it('waits for words still interim at UtteranceEnd, then ends the utterance once', () => {
    const utterance = new UtteranceAssembler(1);
    expect(utterance.result(heard('Press one', true))).toEqual({ text: 'Press one', final: false });
    expect(utterance.result(heard('for', false))).toEqual({ text: 'Press one for', final: false });
    expect(utterance.utteranceEnd()).toBeUndefined();
    expect(utterance.result(heard('for billing.', true))).toEqual({
      text: 'Press one for billing.',
      final: true,
    });
    // The speech_final and UtteranceEnd that may follow add nothing.
    expect(utterance.result(heard('', true, true))).toBeUndefined();
    expect(utterance.utteranceEnd()).toBeUndefined();
    expect(utterance.flush()).toBeUndefined();
  });

  it('ends pieces at a long finalized silence, not a short one', () => {
    const utterance = new UtteranceAssembler(1);
    utterance.result(heard('Please hold.', true));
    expect(utterance.result(heard('', true, false, 0.4))).toBeUndefined();
    expect(utterance.result(heard('', true, false, 1.2))).toEqual({
      text: 'Please hold.',
      final: true,
    });
  });
});

function transcriptOf(message: Record<string, unknown>): string {
  const channel = message.channel as { alternatives: Array<{ transcript: string }> };
  return channel.alternatives[0]?.transcript ?? '';
}
