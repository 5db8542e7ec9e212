import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { durationMs, type PcmAudio } from '../../media/audio/pcm.js';
import { CachedSynthesizer } from '../../media/speech/cachedSynthesizer.js';
import { OpenAISynthesisError, OpenAISynthesizer } from '../../media/speech/openaiSynthesizer.js';
import { OpenAIServer, SPEECH_TONE_HZ } from '../support/openaiServer.js';

const KEY = 'sk-test-speech-0123456789abcdef';
const PATH = '/v1/audio/speech';
const PHRASE = 'Representative, please.';

/** Upward zero crossings per second: a pure tone's frequency. */
function frequency(audio: PcmAudio): number {
  let crossings = 0;
  for (let i = 1; i < audio.samples.length; i++) {
    if (audio.samples[i - 1]! < 0 && audio.samples[i]! >= 0) crossings++;
  }
  return crossings / (durationMs(audio) / 1000);
}

describe('OpenAI speech over a local OpenAI server', () => {
  let server: OpenAIServer;

  beforeAll(async () => {
    server = await OpenAIServer.start({ apiKey: KEY, speechMsPerChar: 50 });
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  it.each([8000, 16000] as const)(
    'asks for 24 kHz PCM and returns it at %i Hz, as long and at the same pitch',
    async (rate) => {
      const tts = new OpenAISynthesizer({ apiKey: KEY, baseURL: server.baseURL });
      const audio = await tts.synthesize(PHRASE, rate);
      expect(audio.sampleRate).toBe(rate);
      // The server speaks 50 ms per character.
      expect(durationMs(audio)).toBeCloseTo(PHRASE.length * 50, -1);
      expect(frequency(audio)).toBeGreaterThan(SPEECH_TONE_HZ * 0.98);
      expect(frequency(audio)).toBeLessThan(SPEECH_TONE_HZ * 1.02);

      const [request] = server.requestsTo(PATH);
      expect(request!.json).toEqual({
        model: 'gpt-4o-mini-tts',
        voice: 'alloy',
        input: PHRASE,
        response_format: 'pcm',
      });
      expect(request!.headers.authorization).toBe('Bearer ***');
    },
  );

  it('names its voice by model, voice and style, so caches keep voices apart', () => {
    const plain = new OpenAISynthesizer({ apiKey: KEY });
    const coral = new OpenAISynthesizer({ apiKey: KEY, model: 'tts-1', voice: 'coral' });
    const calm = new OpenAISynthesizer({ apiKey: KEY, instructions: 'Calm and slow.' });
    const brisk = new OpenAISynthesizer({ apiKey: KEY, instructions: 'Brisk.' });
    expect(plain.voiceId).toBe('openai:gpt-4o-mini-tts:alloy');
    expect(coral.voiceId).toBe('openai:tts-1:coral');
    expect(calm.voiceId).toMatch(/^openai:gpt-4o-mini-tts:alloy:[0-9a-f]{8}$/);
    expect(new Set([plain, coral, calm, brisk].map((t) => t.voiceId)).size).toBe(4);
  });

  it('sends the voice, instructions and speed it was given', async () => {
    const tts = new OpenAISynthesizer({
      apiKey: KEY,
      baseURL: server.baseURL,
      model: 'gpt-4o-mini-tts',
      voice: 'coral',
      instructions: 'Speak clearly, like a caller.',
      speed: 1.1,
    });
    await tts.synthesize(PHRASE, 8000);
    expect(server.requestsTo(PATH)[0]!.json).toMatchObject({
      voice: 'coral',
      instructions: 'Speak clearly, like a caller.',
      speed: 1.1,
    });
  });

  it('asks the server once per phrase when cached, in memory and on disk', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'openai-tts-'));
    try {
      const tts = () =>
        new CachedSynthesizer(new OpenAISynthesizer({ apiKey: KEY, baseURL: server.baseURL }), dir);
      const cached = tts();
      const first = await cached.synthesize(PHRASE, 8000);
      const again = await cached.synthesize(PHRASE, 8000);
      expect(again.samples).toEqual(first.samples);
      expect(server.requestsTo(PATH)).toHaveLength(1);

      // A new process finds the phrase on disk.
      const later = await tts().synthesize(PHRASE, 8000);
      expect(later.samples).toEqual(first.samples);
      expect(server.requestsTo(PATH)).toHaveLength(1);
      expect(await readdir(dir)).toHaveLength(1);

      // Another rate is another rendering.
      await cached.synthesize(PHRASE, 16000);
      expect(server.requestsTo(PATH)).toHaveLength(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails naming the cause, without the key, when the key is refused', async () => {
    const wrongKey = 'sk-wrong-speech-key-must-not-leak';
    const tts = new OpenAISynthesizer({ apiKey: wrongKey, baseURL: server.baseURL });
    const error = await tts.synthesize(PHRASE, 8000).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpenAISynthesisError);
    const { message, retryable } = error as OpenAISynthesisError;
    expect(retryable).toBe(false);
    expect(message).toContain('401 invalid_api_key: Incorrect API key provided');
    expect(message).not.toContain(wrongKey);
  });

  it('retries a server error and still returns the speech', async () => {
    server.failNext({ path: PATH, status: 500 });
    const tts = new OpenAISynthesizer({ apiKey: KEY, baseURL: server.baseURL });
    const audio = await tts.synthesize(PHRASE, 8000);
    expect(durationMs(audio)).toBeGreaterThan(1000);
    expect(server.requestsTo(PATH).map((r) => r.outcome)).toEqual([500, 200]);
  });
});
