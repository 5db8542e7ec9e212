/**
 * npm run bench:audio
 *
 * 1. How fast the frame classifier and the whole human detector run on one
 *    core, on real recordings (Debian's music on hold and recorded prompts,
 *    eSpeak NG speech): frames per second and times real time.
 * 2. Detection latency and false transfers through the scenario runner,
 *    over the project's scenarios and the shared samples (when present),
 *    ten calls at a time.
 */
import { chmodSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FrameClassifier } from '../media/analysis/frameClassifier.js';
import { HumanDetector } from '../media/analysis/humanDetector.js';
import { frames, type SampleRate } from '../media/audio/pcm.js';
import { readWav } from '../media/audio/wav.js';
import { EspeakSynthesizer } from '../media/speech/espeak.js';
import { defaultSoundPaths } from '../carrier/audio/soundLibrary.js';
import { projectRoot } from '../config/paths.js';
import { spawnEntry } from '../runtime/nodeProcess.js';

const say = (msg: string) => process.stdout.write(`${msg}\n`);

async function recordings(rate: SampleRate): Promise<Int16Array[]> {
  const { mohDir, soundsDir } = defaultSoundPaths();
  const files = [
    ...[
      'macroform-cold_day',
      'macroform-robot_dity',
      'macroform-the_simplicity',
      'manolo_camp-morning_coffee',
      'reno_project-system',
    ].map((m) => path.join(mohDir, `${m}.wav`)),
    ...[
      'basic-pbx-ivr-main',
      'queue-periodic-announce',
      'queue-youarenext',
      'pls-hold-while-try',
    ].map((s) => path.join(soundsDir, `${s}.wav`)),
  ];
  const audio = await Promise.all(files.map((f) => readWav(f, rate)));
  const tts = new EspeakSynthesizer();
  audio.push(
    await tts.synthesize(
      'Your call is important to us. Please stay on the line. Hi, thanks for holding, this is Dana in the disputes team. Can I start with your name please?',
      rate,
    ),
  );
  await tts.close();
  return audio.flatMap((a) => [...frames(a)]);
}

async function throughput(rate: SampleRate): Promise<void> {
  const all = await recordings(rate);
  const classifier = await FrameClassifier.create(rate);
  const detector = await HumanDetector.create({ sampleRate: rate });
  // A whole pass first, for the JIT (a stream runs for the length of a call, not a few seconds),
  // then the median of three: one pass on a shared machine is at the mercy of its neighbours.
  const measure = (run: (frame: Int16Array) => void) => {
    for (const frame of all) run(frame);
    const heapBefore = process.memoryUsage().heapUsed;
    const passes: number[] = [];
    for (let pass = 0; pass < 3; pass++) {
      const started = process.hrtime.bigint();
      for (const frame of all) run(frame);
      passes.push(Number(process.hrtime.bigint() - started) / 1e9);
    }
    const seconds = passes.sort((a, b) => a - b)[1]!;
    return { seconds, heapMb: (process.memoryUsage().heapUsed - heapBefore) / 1e6 };
  };
  const audioSeconds = (all.length * 20) / 1000;
  for (const [name, run] of [
    ['frame classifier', (f: Int16Array) => void classifier.classify(f)],
    [
      'human detector (classifier, fingerprints, segments)',
      (f: Int16Array) => void detector.pushAudio(f),
    ],
  ] as const) {
    const { seconds, heapMb } = measure(run);
    say(
      `${rate} Hz, ${name}: ${all.length} frames (${audioSeconds.toFixed(0)} s of audio) in ${seconds.toFixed(2)} s: ` +
        `${Math.round(all.length / seconds)} frames/s, ${Math.round(audioSeconds / seconds)}x real time on one core, heap ${heapMb >= 0 ? '+' : ''}${heapMb.toFixed(1)} MB`,
    );
  }
  classifier.dispose();
  detector.dispose();
}

function runScenarios(folder: string): Promise<string> {
  return new Promise((resolve) => {
    // A fresh data folder: no line is known from earlier runs, only from the flows.
    const dataDir = mkdtempSync(path.join(tmpdir(), 'holdslayer-bench-'));
    chmodSync(dataDir, 0o755);
    const child = spawnEntry('scenarios', [folder, '--concurrency', '10'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, HOLDSLAYER_DATA_DIR: dataDir },
    });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', () => resolve(out));
  });
}

say('Classifier and detector throughput (one core):');
await throughput(8000);
await throughput(16000);

for (const folder of [
  path.join(projectRoot, 'scenarios'),
  path.resolve(projectRoot, '..', 'shared', 'scenarios'),
]) {
  if (!existsSync(folder)) {
    say(`(no ${folder}: skipped)`);
    continue;
  }
  say(`\nnpm run scenarios -- ${path.relative(process.cwd(), folder)} --concurrency 10`);
  const out = await runScenarios(folder);
  const summary = out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { summary?: unknown })
    .find((l) => l.summary);
  say(JSON.stringify(summary?.summary ?? 'no summary: see the output above'));
}
