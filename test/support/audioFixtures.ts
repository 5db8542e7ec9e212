import { ClipRenderer, type RenderedClip } from '../../carrier/audio/clipRenderer.js';
import { SoundLibrary, defaultSoundPaths } from '../../carrier/audio/soundLibrary.js';
import { Player } from '../../carrier/call/player.js';
import type { Clip } from '../../carrier/scenario/schema.js';
import { samplesPerFrame, type SampleRate } from '../../media/audio/pcm.js';
import { EspeakSynthesizer } from '../../media/speech/espeak.js';
import type { Transcript } from '../../media/speech/transcriber.js';

/** Real audio for tests: the carrier's own renderer, with eSpeak NG and Debian's recordings. */
export function createRenderer(): { renderer: ClipRenderer; close: () => Promise<void> } {
  const tts = new EspeakSynthesizer();
  return {
    renderer: new ClipRenderer(tts, new SoundLibrary(defaultSoundPaths())),
    close: () => tts.close(),
  };
}

export interface TimelineEvent {
  atMs: number;
  frame?: Int16Array;
  transcript?: Transcript;
}

export interface Segment {
  clips: Clip[];
  human?: boolean;
}

/**
 * Plays segments back to back through the carrier's player, as fast as the
 * CPU allows, and returns every frame and caption with its media time, and
 * when each segment began: a hold, without waiting for it in real time.
 */
export async function renderTimeline(
  renderer: ClipRenderer,
  segments: Segment[],
  rate: SampleRate = 8000,
): Promise<{ events: TimelineEvent[]; starts: number[] }> {
  const events: TimelineEvent[] = [];
  const starts: number[] = [];
  let now = 0;
  const player = new Player(samplesPerFrame(rate), {
    clipStarted: () => undefined,
    caption: (text, final) => events.push({ atMs: now, transcript: { text, final } }),
  });
  for (const segment of segments) {
    const clips: RenderedClip[] = await renderer.renderAll(segment.clips, rate, '.');
    starts.push(now);
    let done = false;
    void player.play(clips, segment.human ?? false).then(() => (done = true));
    while (!done) {
      const frame = player.nextFrame();
      events.push({ atMs: now, frame });
      now += 20;
      await Promise.resolve();
    }
  }
  return { events, starts };
}
