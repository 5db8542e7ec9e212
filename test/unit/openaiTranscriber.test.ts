import { VoiceActivityDetector } from '../../media/analysis/vad.js';
import type { SampleRate } from '../../media/audio/pcm.js';
import {
  OpenAITranscriber,
  type OpenAITranscriberOptions,
} from '../../media/speech/openaiTranscriber.js';
import type { TranscriberError, Transcript } from '../../media/speech/transcriber.js';
import { createRenderer, renderTimeline } from '../support/audioFixtures.js';
import { FakeLeg } from '../support/fakeLeg.js';
import { OpenAIServer, type Fault, type TranscriptionCall } from '../support/openaiServer.js';
import { describeWith } from '../support/services.js';

/**
 * Which of the stream's utterances a request carries, from the name it is
 * uploaded under ("<call>-2.wav"): requests are sent together and may
 * reach the server in either order.
 */
function sentAs(call: TranscriptionCall): number {
  const n = /-(\d+)\.wav$/.exec(call.audio.fileName)?.[1];
  if (n === undefined) throw new Error(`no utterance number in "${call.audio.fileName}"`);
  return Number(n);
}

const KEY = 'sk-test-transcriber-0123456789abcdef';
const PATH = '/v1/audio/transcriptions';

interface Speech {
  frames: Int16Array[];
  /** What each recording says (the Asterisk captions), in order. */
  captions: string[];
  /** When the first prompt's final caption came, in media time. */
  firstPromptEndMs: number;
}

interface Run {
  transcripts: Transcript[];
  errors: TranscriberError[];
  finals: () => string[];
  close: () => Promise<void>;
  leg: FakeLeg;
}

/** Debian's hold tracks with the stretches that sound most like speech to the frame classifier. */
const SPEECHY_MUSIC = ['macroform-cold_day', 'macroform-robot_dity'];

async function until(condition: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describeWith(['sounds'], 'OpenAI transcription over a local OpenAI server', () => {
  const { renderer, close: closeRenderer } = createRenderer();
  const speech = new Map<SampleRate, Speech>();
  let server: OpenAIServer;

  beforeAll(async () => {
    server = await OpenAIServer.start({ apiKey: KEY });
  });
  afterAll(async () => {
    await server.close();
    await closeRenderer();
  });
  beforeEach(() => {
    server.reset();
    server.expectSampleRate = undefined;
  });

  /** Two real prompts with a pause between them, as a line plays a menu. */
  async function twoPrompts(rate: SampleRate): Promise<Speech> {
    const cached = speech.get(rate);
    if (cached) return cached;
    const { events } = await renderTimeline(
      renderer,
      [
        {
          clips: [
            { silence: 0.5 },
            { sound: 'queue-youarenext' },
            { silence: 1.5 },
            { sound: 'pls-hold-while-try' },
            { silence: 1 },
          ],
        },
      ],
      rate,
    );
    const firstPromptEndMs = events.find((e) => e.transcript?.final)?.atMs;
    if (firstPromptEndMs === undefined) throw new Error('the first prompt has no caption');
    const result = {
      frames: events.flatMap((e) => (e.frame ? [e.frame] : [])),
      captions: events.flatMap((e) => (e.transcript?.final ? [e.transcript.text] : [])),
      firstPromptEndMs,
    };
    speech.set(rate, result);
    return result;
  }

  function start(rate: SampleRate, options: Partial<OpenAITranscriberOptions> = {}): Run {
    const leg = new FakeLeg(rate, `call-${rate}`);
    const transcriber = new OpenAITranscriber({ apiKey: KEY, baseURL: server.baseURL, ...options });
    const live = transcriber.start(leg);
    const transcripts: Transcript[] = [];
    const errors: TranscriberError[] = [];
    live.onTranscript((t) => transcripts.push(t));
    live.onError((e) => errors.push(e));
    return {
      transcripts,
      errors,
      finals: () => transcripts.filter((t) => t.final).map((t) => t.text),
      close: () => live.close(),
      leg,
    };
  }

  function play(leg: FakeLeg, frames: Int16Array[]): void {
    for (const frame of frames) leg.emit('audio', frame);
  }

  it.each([8000, 16000] as const)(
    'sends each prompt as a WAV at %i Hz and streams interim then final transcripts, in order',
    async (rate) => {
      const { frames, captions } = await twoPrompts(rate);
      expect(captions).toHaveLength(2);
      server.expectSampleRate = rate;
      // The first answer is the slower one: the second must still come out after it.
      server.transcribe = async (call) => {
        const n = Number(/-(\d+)\.wav$/.exec(call.audio.fileName)?.[1]);
        if (n === 1) await new Promise((resolve) => setTimeout(resolve, 400));
        return captions[n - 1] ?? '';
      };
      const run = start(rate, { language: 'en', prompt: 'Acme Bank' });
      play(run.leg, frames);
      await until(() => run.finals().length === 2, 'two final transcripts');
      await run.close();

      const requests = server.requestsTo(PATH);
      expect(requests).toHaveLength(2);
      for (const [i, request] of requests.entries()) {
        expect(request.outcome).toBe(200);
        expect(request.form).toMatchObject({
          model: 'gpt-4o-mini-transcribe',
          stream: 'true',
          language: 'en',
          prompt: 'Acme Bank',
          response_format: 'json',
        });
        expect(request.audio).toMatchObject({ sampleRate: rate, channels: 1, bitsPerSample: 16 });
        expect(request.audio!.fileName).toBe(`call-${rate}-${i + 1}.wav`);
        expect(request.headers.authorization).toBe('Bearer ***');
      }
      // queue-youarenext lasts about 5.4 s, pls-hold-while-try about 2.4 s.
      expect(requests[0]!.audio!.durationMs).toBeGreaterThan(5000);
      expect(requests[0]!.audio!.durationMs).toBeLessThan(6500);
      expect(requests[1]!.audio!.durationMs).toBeGreaterThan(2000);
      expect(requests[1]!.audio!.durationMs).toBeLessThan(3500);

      expect(run.finals()).toEqual(captions);
      const firstFinal = run.transcripts.findIndex((t) => t.final);
      const before = run.transcripts.slice(0, firstFinal);
      const between = run.transcripts.slice(firstFinal + 1, -1);
      expect(before.length).toBeGreaterThan(0);
      expect(between.length).toBeGreaterThan(0);
      for (const t of before) expect(captions[0]!.startsWith(t.text)).toBe(true);
      for (const t of between) {
        expect(t.final).toBe(false);
        expect(captions[1]!.startsWith(t.text)).toBe(true);
      }
      expect(run.errors).toEqual([]);
    },
  );

  it('gives only final transcripts with whisper-1, which does not stream', async () => {
    const { frames, captions } = await twoPrompts(8000);
    server.transcribe = (call) => captions[sentAs(call) - 1] ?? '';
    const run = start(8000, { model: 'whisper-1' });
    play(run.leg, frames);
    await until(() => run.finals().length === 2, 'two final transcripts');
    await run.close();
    expect(run.transcripts).toEqual(captions.map((text) => ({ text, final: true })));
    const requests = server.requestsTo(PATH);
    expect(requests.map((r) => r.form?.model)).toEqual(['whisper-1', 'whisper-1']);
    expect(requests.map((r) => r.form?.stream ?? 'false')).toEqual(['false', 'false']);
  });

  it('stops with a non-retryable error naming the cause when the key is refused', async () => {
    const wrongKey = 'sk-wrong-key-that-must-not-leak-42';
    const { frames } = await twoPrompts(8000);
    const run = start(8000, { apiKey: wrongKey });
    play(run.leg, frames);
    await until(() => run.errors.length > 0, 'an error');
    await run.close();
    expect(run.errors).toHaveLength(1);
    const [error] = run.errors;
    expect(error!.retryable).toBe(false);
    expect(error!.message).toContain('401 invalid_api_key');
    expect(error!.message).toContain('Incorrect API key provided');
    expect(error!.message).not.toContain(wrongKey);
    expect(run.transcripts).toEqual([]);
    expect(run.leg.listenerCount('audio')).toBe(0);
    // The SDK does not retry a 401; the second prompt may have been sent before the first was refused.
    const outcomes = server.requestsTo(PATH).map((r) => r.outcome);
    expect(outcomes.length).toBeLessThanOrEqual(2);
    expect(new Set(outcomes)).toEqual(new Set([401]));
  });

  it('stops with a non-retryable error on a bad request, in OpenAI’s words', async () => {
    const { frames } = await twoPrompts(8000);
    server.failNext({
      path: PATH,
      status: 400,
      error: {
        message: 'Audio file might be corrupted or unsupported',
        type: 'invalid_request_error',
        param: 'file',
        code: 'invalid_value',
      },
    });
    const run = start(8000);
    play(run.leg, frames);
    await until(() => run.errors.length > 0, 'an error');
    await run.close();
    expect(run.errors[0]!.retryable).toBe(false);
    expect(run.errors[0]!.message).toContain(
      '400 invalid_value: Audio file might be corrupted or unsupported',
    );
  });

  it.each([
    ['a 500', { status: 500 }],
    [
      'a 429',
      {
        status: 429,
        error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' },
      },
    ],
    ['a connection dropped before the answer', { drop: 'before-response' as const }],
    ['a connection dropped mid-stream', { drop: 'mid-stream' as const }],
  ] as Array<[string, Fault]>)(
    'retries after %s and still delivers the transcript',
    async (_what, fault) => {
      const { frames, captions, firstPromptEndMs } = await twoPrompts(8000);
      server.transcribe = () => captions[0]!;
      server.failNext({ path: PATH, ...fault });
      const run = start(8000);
      // Only the first prompt and the pause after it: a second utterance would
      // send a second request whenever the retry's back-off outlasts its end.
      play(run.leg, frames.slice(0, Math.round((firstPromptEndMs + 1000) / 20)));
      await until(() => run.finals().length === 1, 'a final transcript');
      await run.close();
      expect(run.finals()).toEqual([captions[0]]);
      expect(run.errors).toEqual([]);
      const outcomes = server.requestsTo(PATH).map((r) => r.outcome);
      expect(outcomes).toEqual([fault.status ?? 'dropped', 200]);
    },
  );

  it('reports a retryable error once the retries are spent', async () => {
    const { frames } = await twoPrompts(8000);
    for (let i = 0; i < 2; i++) {
      server.failNext({
        path: PATH,
        status: 503,
        headers: { 'retry-after-ms': '10' },
        error: { message: 'The engine is currently overloaded', type: 'server_error' },
      });
    }
    const run = start(8000, { maxRetries: 1 });
    play(run.leg, frames.slice(0, Math.round(6500 / 20)));
    await until(() => run.errors.length > 0, 'an error');
    await run.close();
    expect(run.errors[0]!.retryable).toBe(true);
    expect(run.errors[0]!.message).toContain(
      '503 server_error: The engine is currently overloaded',
    );
    expect(server.requestsTo(PATH).map((r) => r.outcome)).toEqual([503, 503]);
  });

  it('cuts a long stretch of speech at the longest utterance', async () => {
    const { events } = await renderTimeline(renderer, [{ clips: [{ sound: 'vm-intro' }] }], 8000);
    server.transcribe = (call) => `part ${sentAs(call)}`;
    const run = start(8000, { maxUtteranceMs: 2000 });
    play(
      run.leg,
      events.flatMap((e) => (e.frame ? [e.frame] : [])),
    );
    await until(() => run.finals().length >= 3, 'three parts');
    await run.close();
    const durations = server.requestsTo(PATH).map((r) => r.audio!.durationMs);
    for (const ms of durations) expect(ms).toBeLessThanOrEqual(2000);
    expect(run.finals()).toEqual(durations.map((_, i) => `part ${i + 1}`));
  });

  it.each(SPEECHY_MUSIC)(
    'sends no request for the whole of %s, though the VAD hears a voice in it',
    async (track) => {
      const { events } = await renderTimeline(renderer, [{ clips: [{ moh: track }] }], 8000);
      const music = events.flatMap((e) => (e.frame ? [e.frame] : []));
      expect(music.length).toBeGreaterThan(150 * 50);
      const vad = await VoiceActivityDetector.create(8000, 3);
      const voiced = music.filter((frame) => vad.isVoice(frame)).length;
      vad.dispose();
      expect(voiced / music.length).toBeGreaterThan(0.8);

      server.transcribe = (call) => `utterance ${sentAs(call)}`;
      const run = start(8000);
      play(run.leg, music);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(server.requestsTo(PATH)).toEqual([]);
      // The stream was listening all along: what follows the music is sent, and only that.
      const { frames } = await twoPrompts(8000);
      play(run.leg, frames);
      await until(() => run.finals().length === 2, 'the prompts after the music');
      await run.close();
      expect(run.finals()).toEqual(['utterance 1', 'utterance 2']);
      expect(server.requestsTo(PATH)).toHaveLength(2);
      expect(run.errors).toEqual([]);
    },
    60_000,
  );

  // The classifier takes robot_dity's last bars before the prompt for speech: they are sent with it.
  it.each([
    ['macroform-cold_day', 6500],
    ['macroform-robot_dity', 7500],
  ] as const)(
    'sends a prompt that follows %s straight away as one request, music left out',
    async (track, maxMs) => {
      const { events } = await renderTimeline(
        renderer,
        [{ clips: [{ moh: track, seconds: 20 }, { sound: 'queue-youarenext' }, { silence: 1 }] }],
        8000,
      );
      const captions = events.flatMap((e) => (e.transcript?.final ? [e.transcript.text] : []));
      expect(captions).toHaveLength(1);
      server.transcribe = () => captions[0]!;
      const run = start(8000);
      play(
        run.leg,
        events.flatMap((e) => (e.frame ? [e.frame] : [])),
      );
      await until(() => run.finals().length === 1, 'the prompt');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await run.close();

      expect(run.finals()).toEqual(captions);
      const requests = server.requestsTo(PATH);
      expect(requests).toHaveLength(1);
      // queue-youarenext lasts about 5.4 s: the upload is the prompt, not the 20 s of music before it.
      expect(requests[0]!.audio!.durationMs).toBeGreaterThan(5000);
      expect(requests[0]!.audio!.durationMs).toBeLessThan(maxMs);
      expect(run.errors).toEqual([]);
    },
    30_000,
  );

  it('sends nothing more once closed, and lets go of the leg', async () => {
    const { frames } = await twoPrompts(8000);
    const run = start(8000);
    await run.close();
    play(run.leg, frames);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(server.requestsTo(PATH)).toEqual([]);
    expect(run.transcripts).toEqual([]);
    expect(run.leg.listenerCount('audio')).toBe(0);
  });
});
