import { z } from 'zod';
import { parseWith } from '../../validation/issues.js';

/**
 * What the telephone network does to the company's audio on its way to the
 * caller: the codec it was carried in, packets lost or late, hiss, comfort
 * noise where the far end sent silence, and levels that change from one
 * stretch to the next. A scenario may name its line's conditions; the
 * carrier's `--line` flag sets them for every call.
 */
export const lineConditionsSchema = z.strictObject({
  /** G.711 µ-law (North America, Japan) or A-law (elsewhere), or none: audio as rendered. */
  codec: z.enum(['pcmu', 'pcma', 'none']).default('pcmu'),
  /** Share of 20 ms packets lost, in bursts (0 to 0.3). */
  loss: z.number().min(0).max(0.3).default(0),
  /** Mean length of a burst of lost packets, in packets. */
  lossBurst: z.number().min(1).max(10).default(1.5),
  /** Standard deviation of packet arrival jitter, ms; the receiver's buffer holds twice that, and later packets are lost. */
  jitterMs: z.number().min(0).max(200).default(0),
  /** Hiss on the line, RMS dBFS (e.g. -55), or null for none. */
  noiseDbfs: z.number().min(-90).max(-10).nullable().default(null),
  /** Noise the far end sends in place of silence (DTX comfort noise), RMS dBFS, or null for true silence. */
  comfortNoiseDbfs: z.number().min(-90).max(-20).nullable().default(null),
  /** Largest level change, dB either way, between stretches of the call. */
  levelDb: z.number().min(0).max(20).default(0),
  /** Length of a stretch at one level, seconds. */
  levelEverySeconds: z.number().min(1).max(120).default(8),
});

export type LineConditions = z.output<typeof lineConditionsSchema>;
export type LineConditionsInput = z.input<typeof lineConditionsSchema>;

/** Named conditions for the `--line` flag. */
export const LINE_PRESETS: Record<string, LineConditionsInput> = {
  clean: { codec: 'none' },
  /** A good mobile or VoIP call: µ-law, 1% loss, some jitter, faint hiss, comfort noise, levels within ±6 dB. */
  typical: {
    codec: 'pcmu',
    loss: 0.01,
    jitterMs: 20,
    noiseDbfs: -60,
    comfortNoiseDbfs: -65,
    levelDb: 6,
  },
  /** A bad one: A-law, 5% loss in bursts, heavy jitter, audible hiss, levels within ±10 dB. */
  poor: {
    codec: 'pcma',
    loss: 0.05,
    lossBurst: 2.5,
    jitterMs: 40,
    noiseDbfs: -45,
    comfortNoiseDbfs: -55,
    levelDb: 10,
    levelEverySeconds: 5,
  },
};

/** The conditions a `--line` value names: a preset, or a JSON object of conditions. */
export function parseLineFlag(value: string): LineConditions {
  const preset = LINE_PRESETS[value];
  let raw: unknown = preset;
  if (!preset) {
    try {
      raw = JSON.parse(value);
    } catch {
      throw new Error(
        `--line must be one of ${Object.keys(LINE_PRESETS).join(', ')}, or a JSON object of line conditions; got ${JSON.stringify(value)}`,
      );
    }
  }
  return parseWith(lineConditionsSchema, raw, '--line');
}
