// @ts-check
// Runs eSpeak NG (compiled to WebAssembly) off the main thread, and converts
// its 22,050 Hz output to the line's rate here too: a synthesis takes ~100 ms
// and the sinc resampling of a long prompt about as much again, either of
// which would stall a real-time audio loop (a carrier's every call) inline.
// Plain ESM because worker threads load through Node itself, not a TS loader.
import { parentPort } from 'node:worker_threads';
import ESpeakNg from 'espeak-ng';
import { wavToInt16 } from '../audio/resampleCore.mjs';

if (!parentPort) throw new Error('espeakWorker.mjs must run as a worker thread');
const port = parentPort;

port.on(
  'message',
  async (
    /** @type {{id: number, text: string, voice: string, wpm: number, rate: number}} */ job,
  ) => {
    try {
      const errors = [];
      const espeak = await ESpeakNg({
        arguments: ['-v', job.voice, '-s', String(job.wpm), '-w', '/out.wav', '--', job.text],
        print() {},
        printErr(/** @type {string} */ line) {
          errors.push(line);
        },
      });
      const samples = wavToInt16(espeak.FS.readFile('/out.wav'), job.rate);
      port.postMessage({ id: job.id, samples }, [samples.buffer]);
    } catch (e) {
      port.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) });
    }
  },
);
