// @ts-check
// Runs eSpeak NG (compiled to WebAssembly) off the main thread: a synthesis
// takes ~100 ms, which would stall a real-time audio loop if run inline.
// Plain ESM because worker threads load through Node itself, not a TS loader.
import { parentPort } from 'node:worker_threads';
import ESpeakNg from 'espeak-ng';

if (!parentPort) throw new Error('espeakWorker.mjs must run as a worker thread');
const port = parentPort;

port.on(
  'message',
  async (/** @type {{id: number, text: string, voice: string, wpm: number}} */ job) => {
    try {
      const errors = [];
      const espeak = await ESpeakNg({
        arguments: ['-v', job.voice, '-s', String(job.wpm), '-w', '/out.wav', '--', job.text],
        print() {},
        printErr(/** @type {string} */ line) {
          errors.push(line);
        },
      });
      const wav = espeak.FS.readFile('/out.wav');
      port.postMessage({ id: job.id, wav }, [wav.buffer]);
    } catch (e) {
      port.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) });
    }
  },
);
