/**
 * npm run bench:detection -- <scenario folders or files…> [--caption-wer R] [--line clean|typical|poor|JSON] [--rate 8000|16000] [--holds]
 *
 * The person's detection alone: every queue of every scenario is played on
 * the simulated carrier's call engine (virtual clock, real audio) into the
 * human detector, first on a line heard for the first time (nothing known),
 * then on the same line once its recordings are known (what the first hold
 * heard, as a later call to the line knows it). Prints, per mode, decisions
 * before the agent spoke (false transfers), agents never decided, and the
 * decision latency from the agent's first sound. The runner's end-to-end
 * latency adds the pipeline after the decision (Temporal, the bridge, the
 * user's phone picking up) to these figures. `--line` puts network
 * conditions on every hold's audio (carrier/line/lineConditions), the jitter
 * buffer's delay included in the latency.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ClipRenderer } from '../carrier/audio/clipRenderer.js';
import { SoundLibrary, defaultSoundPaths } from '../carrier/audio/soundLibrary.js';
import { parseLineFlag } from '../carrier/line/lineConditions.js';
import { loadScenarios } from '../carrier/scenario/load.js';
import { dataDir } from '../config/paths.js';
import { CachedSynthesizer } from '../media/speech/cachedSynthesizer.js';
import type { SampleRate } from '../media/audio/pcm.js';
import { EspeakSynthesizer } from '../media/speech/espeak.js';
import { percentile } from '../runner/score.js';
import { parseWith } from '../validation/issues.js';
import { holdsOf, replayHold, type HoldOutcome } from './detection/holdReplay.js';
import { printMarkdownTable } from './markdownTable.js';

const say = (msg: string) => process.stdout.write(`${msg}\n`);

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'caption-wer': { type: 'string', default: '0' },
    line: { type: 'string' },
    rate: { type: 'string', default: '8000' },
    holds: { type: 'boolean', default: false },
  },
});
const options = parseWith(
  z.object({
    inputs: z.array(z.string().min(1)).min(1, 'name at least one scenario folder or file'),
    captionWer: z.coerce.number().min(0).max(1),
    rate: z.enum(['8000', '16000']).transform((r): SampleRate => (r === '8000' ? 8000 : 16000)),
    holds: z.boolean(),
    line: z
      .string()
      .optional()
      .transform((v) => (v === undefined ? undefined : parseLineFlag(v))),
  }),
  {
    inputs: positionals,
    captionWer: values['caption-wer'],
    rate: values.rate,
    holds: values.holds,
    line: values.line,
  },
  'detection benchmark options',
);
const sampleRate = options.rate;

const tts = new CachedSynthesizer(new EspeakSynthesizer(), path.join(dataDir(), 'cache', 'tts'));
const renderer = new ClipRenderer(tts, new SoundLibrary(defaultSoundPaths()));
// Each folder on its own: two folders may hold the same company (one number, one scenario each).
const scenarios = (
  await Promise.all(options.inputs.map((p) => loadScenarios([path.resolve(p)])))
).flat();
const holds = scenarios.flatMap(holdsOf);

const cold: HoldOutcome[] = [];
const known: HoldOutcome[] = [];
for (const hold of holds) {
  const base = {
    renderer,
    sampleRate,
    captionWer: options.captionWer,
    ...(options.line ? { line: options.line } : {}),
  };
  const first = await replayHold(hold, base);
  // A later call knows what the first heard, as the line's store gives it back: recordings, candidates, and what could not be placed.
  const again = await replayHold(hold, { ...base, known: first.heard });
  cold.push(first);
  known.push(again);
  if (options.holds) {
    for (const [mode, o] of [
      ['cold', first],
      ['known', again],
    ] as const)
      say(
        JSON.stringify({
          mode,
          hold: `${o.scenario}/${o.queue}`,
          agentStartMs: o.agentStartMs,
          latencyMs: o.latencyMs,
          falseDecision: o.falseDecision,
          missed: o.missed,
          reason: o.decision?.reason ?? null,
          transcript: o.decision?.transcript ?? null,
        }),
      );
  }
}
await tts.close();

function row(mode: string, outcomes: HoldOutcome[]): string[] {
  const latencies = outcomes
    .flatMap((o) => (o.latencyMs === null ? [] : [o.latencyMs]))
    .sort((a, b) => a - b);
  const ms = (v: number | null) => (v === null ? '–' : `${v} ms`);
  return [
    mode,
    String(outcomes.length),
    String(outcomes.filter((o) => o.falseDecision).length),
    String(outcomes.filter((o) => o.missed).length),
    ms(percentile(latencies, 0.5)),
    ms(percentile(latencies, 0.95)),
    ms(latencies.at(-1) ?? null),
  ];
}

say(
  `${holds.length} holds from ${scenarios.length} scenarios, ${sampleRate} Hz, caption error rate ${options.captionWer}, line ${values.line ?? 'as each scenario says (clean unless it names one)'}`,
);
printMarkdownTable(
  [
    ['line', 'holds', 'false transfers', 'missed', 'decision p50', 'p95', 'max'],
    row('heard for the first time', cold),
    row('recordings known', known),
  ],
  say,
);
for (const [mode, outcomes] of [
  ['cold', cold],
  ['known', known],
] as const) {
  for (const o of outcomes.filter((x) => x.falseDecision || x.missed))
    say(
      `${mode} ${o.falseDecision ? 'FALSE' : 'MISSED'} ${o.scenario}/${o.queue}: ${o.decision?.transcript ?? ''}`,
    );
}
