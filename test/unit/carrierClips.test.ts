import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  MissingSoundError,
  SoundLibrary,
  defaultSoundPaths,
} from '../../carrier/audio/soundLibrary.js';
import { ClipRenderer } from '../../carrier/audio/clipRenderer.js';
import { CaptionDegrader } from '../../carrier/call/captionDegrader.js';
import { tone } from '../../media/audio/tones.js';
import { encodeWav } from '../../media/audio/wav.js';
import { createRenderer } from '../support/audioFixtures.js';
import { describeWith } from '../support/services.js';
import { SimulatedCall, agentNode, scenarioWith } from '../support/simulatedCall.js';

describeWith(['sounds'], 'the simulated carrier: clips and line outcomes', () => {
  const { renderer, close } = createRenderer();
  afterAll(close);
  const dir = mkdtempSync(path.join(tmpdir(), 'clips-'));

  describe('clip kinds', () => {
    it('speaks text with eSpeak NG, captioned with the text', async () => {
      const clip = await renderer.render({ say: 'Thank you for holding.' }, 8000, dir);
      expect(clip).toMatchObject({ kind: 'say', caption: 'Thank you for holding.' });
      expect(clip.audio.samples.length / 8000).toBeGreaterThan(0.8);
      expect(clip.audio.samples.some((s) => Math.abs(s) > 1000)).toBe(true);
    });

    it("plays Asterisk's recorded prompts with their captions from core-sounds-en.txt", async () => {
      const hello = await renderer.render({ sound: 'hello' }, 8000, dir);
      expect(hello).toMatchObject({ kind: 'sound', caption: 'Hello.' });
      const overridden = await renderer.render({ sound: 'hello', caption: 'Hi there.' }, 8000, dir);
      expect(overridden.caption).toBe('Hi there.');
      const nested = await renderer.render({ sound: 'digits/5' }, 8000, dir);
      expect(nested.caption?.toLowerCase()).toMatch(/^five\.?$/);
      // A beep is in the captions file as "[this is a simple beep tone]": not speech.
      expect((await renderer.render({ sound: 'beep' }, 8000, dir)).caption).toBeUndefined();
    });

    it('loops music on hold to the seconds asked, and plays a track whole otherwise', async () => {
      const cut = await renderer.render({ moh: 'macroform-cold_day', seconds: 90 }, 8000, dir);
      expect(cut.audio.samples.length).toBe(90 * 8000);
      expect(cut.caption).toBeUndefined();
      const whole = await renderer.render({ moh: 'macroform-cold_day' }, 16000, dir);
      expect(whole.audio.sampleRate).toBe(16000);
      expect(whole.audio.samples.length / 16000).toBeGreaterThan(60);
    });

    it('makes tones and silence of the length asked', async () => {
      const busy = await renderer.render({ tone: 'busy', seconds: 1.5 }, 8000, dir);
      expect(busy.audio.samples.length).toBe(12000);
      const quiet = await renderer.render({ silence: 0.75 }, 16000, dir);
      expect(quiet.audio.samples.length).toBe(12000);
      expect(quiet.audio.samples.every((s) => s === 0)).toBe(true);
    });

    it('plays a WAV file next to the scenario, at the line rate, with its caption', async () => {
      writeFileSync(path.join(dir, 'jingle.wav'), encodeWav(tone('beep', 16000, 2)));
      const clip = await renderer.render({ file: 'jingle.wav', caption: 'ding' }, 8000, dir);
      expect(clip).toMatchObject({ kind: 'file', caption: 'ding' });
      expect(clip.audio.samples.length).toBe(16000);
    });

    it('says which Debian package to install when a recording is missing', async () => {
      const library = new SoundLibrary({ ...defaultSoundPaths(), mohDir: '/nonexistent' });
      expect(() => library.mohFile('macroform-cold_day')).toThrow(MissingSoundError);
      expect(() => library.mohFile('macroform-cold_day')).toThrow(/asterisk-moh-opsound-wav/);
      const broken = new ClipRenderer(
        {
          voiceId: 'none',
          synthesize: () => Promise.reject(new Error('unused')),
          close: async () => undefined,
        },
        library,
      );
      await expect(broken.render({ sound: 'no-such-prompt' }, 8000, dir)).rejects.toThrow(
        /no caption|not found/,
      );
    });
  });

  describe('line outcomes', () => {
    const withOutcome = (outcome: string, ring: number) =>
      scenarioWith(
        { start: agentNode, agent: agentNode },
        {
          outcome,
          ring,
          task: { intent: 'test', expectOutcome: outcome === 'answer' ? 'busy' : outcome },
        },
      );

    it('rings, then answers', async () => {
      const call = await new SimulatedCall(
        renderer,
        scenarioWith({ start: agentNode, agent: agentNode }, { ring: 3 }),
      ).start();
      await call.advance(2900);
      expect(call.lineStates()).toEqual(['ringing']);
      await call.advance(200);
      expect(call.lineStates()).toEqual(['ringing', 'answered']);
      expect(call.truth().find((l) => l.ev === 'clip')).toMatchObject({ kind: 'tone' });
    });

    it('gives a busy signal, and hangs up', async () => {
      const call = await new SimulatedCall(renderer, withOutcome('busy', 1)).start();
      await call.until((l) => l.some((x) => x.ev === 'hangup'));
      expect(call.lineStates()).toEqual(['ringing', 'busy', 'ended']);
      expect(call.truth().filter((l) => l.ev === 'line')).toEqual([
        { t: expect.any(Number), ev: 'line', outcome: 'busy' },
      ]);
    });

    it('rings out with no answer', async () => {
      const call = await new SimulatedCall(renderer, withOutcome('no-answer', 20)).start();
      const at = await call.until((l) => l.some((x) => x.ev === 'hangup'));
      expect(at).toBeGreaterThanOrEqual(20_000);
      expect(call.lineStates()).toEqual(['ringing', 'no-answer', 'ended']);
    });

    it('plays special information tones and a recorded apology for a disconnected number, and for one not in service', async () => {
      for (const call of [
        await new SimulatedCall(renderer, withOutcome('disconnected', 1)).start(),
        await new SimulatedCall(renderer, scenarioWith({ start: agentNode, agent: agentNode }), {
          to: '+15559990000',
        }).start(),
      ]) {
        await call.until((l) => l.some((x) => x.ev === 'hangup'));
        const clips = call.truth().filter((l) => l.ev === 'clip');
        expect(clips.at(-2)).toMatchObject({ kind: 'tone' });
        expect(clips.at(-1)).toMatchObject({
          kind: 'say',
          caption: expect.stringMatching(/not in service/),
        });
        expect(call.lineStates()).toContain('disconnected');
      }
    });
  });

  describe('captions with recognition errors (--caption-wer)', () => {
    const text =
      'For account balances press one. For card services press two. To dispute a charge press three. For all other questions press zero.';

    it('degrades about the share of words asked, the same way every run, and keeps the truth whole', async () => {
      const heard: string[] = [];
      for (let run = 0; run < 2; run++) {
        const call = await new SimulatedCall(
          renderer,
          scenarioWith({ start: { type: 'hangup', play: { say: text } }, agent: agentNode }),
          { captionWer: 0.3 },
        ).start();
        await call.until((l) => l.some((x) => x.ev === 'hangup'));
        heard.push(call.finalCaptions()[0]!);
        expect(call.truth().find((l) => l.ev === 'clip')).toMatchObject({ caption: text });
      }
      expect(heard[0]).toBe(heard[1]);
      expect(heard[0]).not.toBe(text);
    });

    it('gets close to the rate over many words', () => {
      const degrader = new CaptionDegrader(0.15, 'rate');
      const words = Array.from({ length: 4000 }, (_, i) => `word${i}`);
      const out = degrader.degrade(words.join(' ')).split(' ');
      const kept = out.filter((w, i) => words.includes(w) && w !== undefined && i >= 0).length;
      const errorRate = 1 - kept / words.length;
      expect(errorRate).toBeGreaterThan(0.12);
      expect(errorRate).toBeLessThan(0.18);
    });
  });
});
