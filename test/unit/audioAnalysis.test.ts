import { FrameClassifier, type FrameClass } from '../../media/analysis/frameClassifier.js';
import {
  bitErrorRate,
  decodeFingerprint,
  encodeFingerprint,
  FingerprintBuilder,
} from '../../media/analysis/fingerprint.js';
import { FrameAnalyzer } from '../../media/analysis/frameFeatures.js';
import { HumanDetector, type KnownRecordings } from '../../media/analysis/humanDetector.js';
import { frames, type PcmAudio, type SampleRate } from '../../media/audio/pcm.js';
import type { Clip } from '../../carrier/scenario/schema.js';
import { createRenderer, renderTimeline, type Segment } from '../support/audioFixtures.js';
import { describeWith } from '../support/services.js';

const ANNOUNCEMENT =
  'Your call is important to us. Please stay on the line and the next available specialist will be with you shortly.';
const AGENT =
  'Hi, thanks for holding, this is Dana in the disputes team. Can I start with your name please?';

function dtmfKey(rate: SampleRate, low: number, high: number, ms: number): PcmAudio {
  const samples = new Int16Array((rate * ms) / 1000);
  for (let i = 0; i < samples.length; i++) {
    samples[i] = Math.round(
      6000 * (Math.sin((2 * Math.PI * low * i) / rate) + Math.sin((2 * Math.PI * high * i) / rate)),
    );
  }
  return { sampleRate: rate, samples };
}

describeWith(['sounds'], 'audio analysis on real recordings', () => {
  const { renderer, close } = createRenderer();
  afterAll(close);

  /** Each segment's majority label (and tone) over its audible frames, past its first half second. */
  async function labelsOf(
    segments: Segment[],
    rate: SampleRate,
  ): Promise<{ label: FrameClass; tone: string | undefined; share: number }[]> {
    const { events, starts } = await renderTimeline(renderer, segments, rate);
    const classifier = await FrameClassifier.create(rate);
    const tallies = segments.map(() => new Map<string, number>());
    for (const event of events) {
      if (!event.frame) continue;
      const { label, tone } = classifier.classify(event.frame);
      const index = starts.findLastIndex((s) => s <= event.atMs);
      if (label === 'silence' || event.atMs < starts[index]! + 500) continue;
      const key = tone ? `tone:${tone}` : label;
      tallies[index]!.set(key, (tallies[index]!.get(key) ?? 0) + 1);
    }
    classifier.dispose();
    return tallies.map((tally) => {
      const total = [...tally.values()].reduce((a, b) => a + b, 0);
      const [key, count] = [...tally.entries()].sort((a, b) => b[1] - a[1])[0]!;
      const [label, tone] = key.split(':') as [FrameClass, string | undefined];
      return { label, tone, share: count / total };
    });
  }

  it.each([8000, 16000] as const)(
    'finds music, speech and each call-progress tone where they are, at %i Hz',
    async (rate) => {
      const result = await labelsOf(
        [
          { clips: [{ moh: 'macroform-robot_dity', seconds: 12 }] },
          { clips: [{ sound: 'queue-periodic-announce' }] },
          { clips: [{ tone: 'ringback', seconds: 6 }] },
          { clips: [{ moh: 'manolo_camp-morning_coffee', seconds: 12 }] },
          { clips: [{ say: AGENT }] },
          { clips: [{ tone: 'busy', seconds: 3 }] },
          { clips: [{ moh: 'macroform-the_simplicity', seconds: 12 }] },
          { clips: [{ tone: 'sit', seconds: 2.8 }] },
          { clips: [{ sound: 'basic-pbx-ivr-main' }] },
        ],
        rate,
      );
      expect(result.map((r) => (r.tone ? `tone:${r.tone}` : r.label))).toEqual([
        'music',
        'speech',
        'tone:ringback',
        'music',
        'speech',
        'tone:busy',
        'music',
        'tone:sit',
        'speech',
      ]);
      for (const r of result) expect(r.share).toBeGreaterThan(0.75);
    },
    // Renders and analyses about a minute of audio: on two busy cores it can take over the default minute.
    180_000,
  );

  it('hears the keys of a DTMF echo as DTMF tones', async () => {
    const classifier = await FrameClassifier.create(8000);
    const labels = [...frames(dtmfKey(8000, 852, 1477, 200))].map((f) => classifier.classify(f));
    expect(labels.filter((l) => l.tone === 'dtmf').length).toBeGreaterThanOrEqual(7);
    classifier.dispose();
  });

  describe('fingerprints', () => {
    const fingerprint = async (clips: Clip[]) => {
      const audio = (await renderer.renderAll(clips, 8000, '.')).map((c) => c.audio);
      const analyzer = new FrameAnalyzer(8000);
      const builder = new FingerprintBuilder();
      return audio.flatMap((a) =>
        [...frames(a)].map((f) => builder.push(analyzer.analyze(f).bands)),
      );
    };

    it('recognise a recording played again, even 30 ms off, and tell different speech apart', async () => {
      const once = await fingerprint([{ say: ANNOUNCEMENT }]);
      const again = await fingerprint([{ silence: 0.03 }, { say: ANNOUNCEMENT }]);
      const other = await fingerprint([{ say: AGENT }]);
      expect(bitErrorRate(again.slice(0, 50), once.slice(0, 50))).toBeLessThan(0.15);
      expect(bitErrorRate(other.slice(0, 50), once.slice(0, 50))).toBeGreaterThan(0.35);
    });

    it('survive being written down', async () => {
      const hashes = await fingerprint([{ say: 'Thank you.' }]);
      expect(Array.from(decodeFingerprint(encodeFingerprint(hashes)))).toEqual(hashes);
    });
  });

  describe('live person or recording', () => {
    /** Runs a hold through the detector; returns when it decided, in media ms, or undefined. */
    async function decide(segments: Segment[], known?: KnownRecordings) {
      const { events, starts } = await renderTimeline(renderer, segments);
      const detector = await HumanDetector.create({
        sampleRate: 8000,
        ...(known ? { known } : {}),
      });
      let decidedAt: number | undefined;
      for (const event of events) {
        const decision = event.frame
          ? detector.pushAudio(event.frame)
          : detector.pushTranscript(event.transcript!);
        if (decision && decidedAt === undefined) decidedAt = event.atMs;
      }
      const heard = detector.recordingsHeard();
      detector.dispose();
      return { decidedAt, starts, heard };
    }

    const hold = (seconds: number): Segment => ({
      clips: [{ moh: 'manolo_camp-morning_coffee', seconds }],
    });
    const spoken = (text: string, human = false): Segment => ({ clips: [{ say: text }], human });
    const queue = [
      hold(8),
      spoken(ANNOUNCEMENT),
      hold(10),
      { clips: [{ sound: 'queue-periodic-announce' }] },
      spoken(ANNOUNCEMENT),
    ];

    it('takes no announcement for a person, and finds the agent who follows, on a line heard for the first time', async () => {
      const { decidedAt, starts, heard } = await decide([...queue, spoken(AGENT, true)]);
      expect(decidedAt).toBeGreaterThan(starts[5]!);
      expect(decidedAt! - starts[5]!).toBeLessThan(4000);
      expect(heard.openings).toEqual(expect.arrayContaining([ANNOUNCEMENT]));
      expect(heard.fingerprints.length).toBeGreaterThanOrEqual(3);
    });

    it('stays undecided through music, announcements and a callback offer alone', async () => {
      const { decidedAt } = await decide([
        hold(12),
        spoken('All of our agents are busy helping other customers. Please continue to hold.'),
        spoken(
          'Thank you for your patience. Your call will be answered in the order it was received.',
        ),
        spoken('If you would like us to call you back instead of waiting, press 1 now.'),
        { clips: [{ sound: 'queue-youarenext' }] },
        hold(8),
      ]);
      expect(decidedAt).toBeUndefined();
    });

    it('decides within a word or two on a line whose recordings it knows', async () => {
      const first = await decide([...queue, hold(4)]);
      const { decidedAt, starts } = await decide([...queue, spoken(AGENT, true)], first.heard);
      expect(decidedAt).toBeGreaterThan(starts[5]!);
      expect(decidedAt! - starts[5]!).toBeLessThan(1000);
    });

    describe('the line after words that did not decide', () => {
      const quiet = (seconds: number): Segment => ({ clips: [{ silence: seconds }] });

      it('takes a quiet line after a question, where music played before, for a person waiting for an answer', async () => {
        const { decidedAt, starts } = await decide([
          hold(8),
          spoken('Uh, how a I help?', true),
          quiet(4),
        ]);
        expect(decidedAt).toBeGreaterThan(starts[2]! + 1500);
        expect(decidedAt).toBeLessThan(starts[2]! + 3000);
      });

      it('does not take the music coming back after a recording, or a quiet line after words with nothing of a person, for one', async () => {
        const { decidedAt } = await decide([
          hold(8),
          spoken('Did you know you can check the status of a claim online at any time?'),
          hold(6),
          spoken('Connecting you now.'),
          quiet(4),
        ]);
        expect(decidedAt).toBeUndefined();
      });
    });

    describe('an agent who opens like the announcement, in the same voice', () => {
      const announcement =
        'Hello, and thank you for your patience. All of our claims specialists are helping other callers.';
      const agent = 'Hello, this is Riley with new claims. Can I have your claim number?';
      const sameHold = [hold(6), spoken(announcement), hold(8), spoken(announcement), hold(5)];

      it('is found once the words part, on a line heard for the first time', async () => {
        const { decidedAt, starts } = await decide([...sameHold, spoken(agent, true)]);
        expect(decidedAt).toBeGreaterThan(starts[5]!);
        expect(decidedAt! - starts[5]!).toBeLessThan(3000);
      });

      it('is found within a second or so on a line whose announcement is known', async () => {
        const first = await decide([...sameHold]);
        const { decidedAt, starts } = await decide(
          [hold(6), spoken(announcement), hold(5), spoken(agent, true)],
          first.heard,
        );
        expect(decidedAt).toBeGreaterThan(starts[3]!);
        expect(decidedAt! - starts[3]!).toBeLessThan(1500);
      });

      it('is found even when more of the greeting is the announcement word for word', async () => {
        const first = await decide([...sameHold]);
        const longer =
          'Hello, and thank you for your patience, this is Riley with new claims. Can I have your claim number?';
        const { decidedAt, starts } = await decide(
          [hold(6), spoken(announcement), hold(5), spoken(longer, true)],
          first.heard,
        );
        expect(decidedAt).toBeGreaterThan(starts[3]!);
        expect(decidedAt! - starts[3]!).toBeLessThan(4000);
      });
    });

    describe('an announcement that opens like an agent', () => {
      const announcement =
        'Hi there! Thanks so much for waiting. All of our team members are still helping other customers, please stay on the line.';
      const agent = 'Hi there, thanks for waiting, this is Morgan. Who am I speaking with?';
      const sameHold = [hold(5), spoken(announcement), hold(9), spoken(announcement), hold(4)];

      it('is not taken for a person, and the agent who follows is, on a line heard for the first time', async () => {
        const { decidedAt, starts } = await decide([...sameHold, spoken(agent, true)]);
        expect(decidedAt).toBeGreaterThan(starts[5]!);
        expect(decidedAt! - starts[5]!).toBeLessThan(3500);
      });

      it('is not taken for a person, and the agent is found soon, on a line whose announcement is known', async () => {
        const first = await decide([...sameHold]);
        expect(first.decidedAt).toBeUndefined();
        const { decidedAt, starts } = await decide(
          [hold(5), spoken(announcement), hold(6), spoken(agent, true)],
          first.heard,
        );
        expect(decidedAt).toBeGreaterThan(starts[3]!);
        expect(decidedAt! - starts[3]!).toBeLessThan(2500);
      });
    });

    it('keeps nothing of music it took for speech: no words, nothing to count as a recording', async () => {
      // This track's drum breaks sound like speech to the frame classifier now and then.
      const { heard } = await decide([
        { clips: [{ moh: 'reno_project-system', seconds: 20 }] },
        spoken(AGENT, true),
      ]);
      expect(heard.candidates).toEqual([]);
      expect(heard.fingerprints).toEqual([]);
      expect(heard.unplaced).toBe(0);
    });

    it("takes a known announcement in the agent's own voice and words for a recording, the first time it plays", async () => {
      const greeting =
        'Hi there, thanks for holding. We are still working to connect you with the next available specialist.';
      const known = { fingerprints: [], openings: [greeting] };
      const { decidedAt, starts } = await decide(
        [hold(5), spoken(greeting), hold(6), spoken(AGENT, true)],
        known,
      );
      expect(decidedAt).toBeGreaterThan(starts[3]!);
    });
  });
});
