import path from 'node:path';
import { silence, type PcmAudio, type SampleRate } from '../../media/audio/pcm.js';
import { tone } from '../../media/audio/tones.js';
import { readWav } from '../../media/audio/wav.js';
import type { SpeechSynthesizer } from '../../media/speech/synthesizer.js';
import type { Clip } from '../scenario/schema.js';
import type { SoundLibrary } from './soundLibrary.js';

/** A clip made audible: its audio, and its caption when it is speech. */
export interface RenderedClip {
  kind: 'say' | 'sound' | 'moh' | 'tone' | 'silence' | 'file';
  audio: PcmAudio;
  caption: string | undefined;
}

/**
 * Turns scenario clips into audio at the line's rate. Renders are cached per
 * rate, since the same prompts and tracks play on every call.
 */
export class ClipRenderer {
  private readonly cache = new Map<string, Promise<RenderedClip>>();
  private readonly files = new Map<string, Promise<PcmAudio>>();

  constructor(
    private readonly tts: SpeechSynthesizer,
    private readonly sounds: SoundLibrary,
  ) {}

  render(clip: Clip, rate: SampleRate, scenarioDir: string): Promise<RenderedClip> {
    const key = `${rate}:${scenarioDir}:${JSON.stringify(clip)}`;
    let entry = this.cache.get(key);
    if (!entry) {
      entry = this.renderUncached(clip, rate, scenarioDir);
      entry.catch(() => this.cache.delete(key));
      this.cache.set(key, entry);
    }
    return entry;
  }

  renderAll(clips: Clip[], rate: SampleRate, scenarioDir: string): Promise<RenderedClip[]> {
    return Promise.all(clips.map((c) => this.render(c, rate, scenarioDir)));
  }

  private async renderUncached(clip: Clip, rate: SampleRate, dir: string): Promise<RenderedClip> {
    if ('say' in clip) {
      return { kind: 'say', audio: await this.tts.synthesize(clip.say, rate), caption: clip.say };
    }
    if ('sound' in clip) {
      const caption = clip.caption ?? (await this.sounds.caption(clip.sound));
      return {
        kind: 'sound',
        audio: await this.wav(this.sounds.soundFile(clip.sound), rate),
        caption,
      };
    }
    if ('moh' in clip) {
      const track = await this.wav(this.sounds.mohFile(clip.moh), rate);
      return {
        kind: 'moh',
        audio: clip.seconds ? loopTo(track, clip.seconds) : track,
        caption: undefined,
      };
    }
    if ('tone' in clip)
      return { kind: 'tone', audio: tone(clip.tone, rate, clip.seconds), caption: undefined };
    if ('silence' in clip)
      return { kind: 'silence', audio: silence(rate, clip.silence * 1000), caption: undefined };
    return {
      kind: 'file',
      audio: await this.wav(path.join(dir, clip.file), rate),
      caption: clip.caption,
    };
  }

  private wav(file: string, rate: SampleRate): Promise<PcmAudio> {
    const key = `${rate}:${file}`;
    let entry = this.files.get(key);
    if (!entry) {
      entry = readWav(file, rate);
      entry.catch(() => this.files.delete(key));
      this.files.set(key, entry);
    }
    return entry;
  }
}

/** Repeats a track until it lasts `seconds`, cut there. */
function loopTo(track: PcmAudio, seconds: number): PcmAudio {
  const total = Math.round(track.sampleRate * seconds);
  const samples = new Int16Array(total);
  if (track.samples.length === 0) return { sampleRate: track.sampleRate, samples };
  for (let at = 0; at < total; at += track.samples.length) {
    samples.set(track.samples.subarray(0, Math.min(track.samples.length, total - at)), at);
  }
  return { sampleRate: track.sampleRate, samples };
}
