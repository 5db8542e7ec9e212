import { FrameClassifier, type FrameClass } from '../../media/analysis/frameClassifier.js';
import { HumanDetector } from '../../media/analysis/humanDetector.js';
import type { Clip } from '../../carrier/scenario/schema.js';
import { createRenderer, renderTimeline } from '../support/audioFixtures.js';
import { describeWith } from '../support/services.js';

describeWith(['sounds'], 'audio analysis on real recordings', () => {
  const { renderer, close } = createRenderer();
  afterAll(close);

  /** Share of the audible frames of a segment that got `label`, leaving out its first half second (context fills). */
  async function shares(clips: Clip[]): Promise<Record<FrameClass, number>> {
    const { events } = await renderTimeline(renderer, [{ clips }]);
    const classifier = new FrameClassifier(8000);
    const counts: Record<FrameClass, number> = { silence: 0, tone: 0, music: 0, speech: 0 };
    let audible = 0;
    events.forEach((e, i) => {
      if (!e.frame) return;
      const { label } = classifier.classify(e.frame);
      if (i < 25 || label === 'silence') return;
      counts[label] += 1;
      audible += 1;
    });
    return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / audible])) as Record<
      FrameClass,
      number
    >;
  }

  it.each(['macroform-robot_dity', 'reno_project-system', 'manolo_camp-morning_coffee'])(
    'hears music on hold (%s) as music',
    async (track) => {
      expect((await shares([{ moh: track, seconds: 30 }])).music).toBeGreaterThan(0.9);
    },
  );

  it('hears a recorded human voice as speech', async () => {
    const result = await shares([
      { sound: 'queue-periodic-announce' },
      { sound: 'basic-pbx-ivr-main' },
    ]);
    expect(result.speech).toBeGreaterThan(0.65);
  });

  it('hears synthesized speech as speech', async () => {
    const result = await shares([
      {
        say: 'Hi, thanks for holding, this is Dana in the disputes team. Can I start with your name please?',
      },
    ]);
    expect(result.speech).toBeGreaterThan(0.7);
  });

  it('hears a beep as a tone', async () => {
    expect((await shares([{ tone: 'beep', seconds: 2 }])).tone).toBeGreaterThan(0.8);
  });

  it('takes no recorded announcement for a person, and finds the agent who follows', async () => {
    const announcement =
      'Your call is important to us. Please stay on the line and the next available specialist will be with you shortly.';
    const { events, starts } = await renderTimeline(renderer, [
      { clips: [{ moh: 'manolo_camp-morning_coffee', seconds: 8 }] },
      { clips: [{ say: announcement }] },
      { clips: [{ moh: 'manolo_camp-morning_coffee', seconds: 10 }] },
      { clips: [{ sound: 'queue-periodic-announce' }] },
      { clips: [{ say: announcement }] },
      {
        clips: [
          {
            say: 'Hi, thanks for holding, this is Dana in the disputes team. Can I start with your name please?',
          },
        ],
        human: true,
      },
    ]);
    const detector = new HumanDetector({ sampleRate: 8000 });
    let decidedAt: number | undefined;
    for (const event of events) {
      const decision = event.frame
        ? detector.pushAudio(event.frame)
        : detector.pushTranscript(event.transcript!);
      if (decision && decidedAt === undefined) decidedAt = event.atMs;
    }
    const agentStart = starts[5]!;
    expect(decidedAt).toBeDefined();
    expect(decidedAt!).toBeGreaterThan(agentStart);
    expect(decidedAt! - agentStart).toBeLessThan(4000);
  });

  it('stays undecided through music and announcements alone', async () => {
    const { events } = await renderTimeline(renderer, [
      { clips: [{ moh: 'macroform-the_simplicity', seconds: 15 }] },
      {
        clips: [
          { say: 'All of our agents are busy helping other customers. Please continue to hold.' },
        ],
      },
      {
        clips: [
          {
            say: 'Thank you for your patience. Your call will be answered in the order it was received.',
          },
        ],
      },
      {
        clips: [{ say: 'If you would like us to call you back instead of waiting, press 1 now.' }],
      },
      { clips: [{ moh: 'macroform-cold_day', seconds: 15 }] },
    ]);
    const detector = new HumanDetector({ sampleRate: 8000 });
    const decisions = events.map((e) =>
      e.frame ? detector.pushAudio(e.frame) : detector.pushTranscript(e.transcript!),
    );
    expect(decisions.filter(Boolean)).toEqual([]);
    expect(detector.heardMs.music).toBeGreaterThan(20_000);
  });
});
