/**
 * The simulated carrier as its own process, the way FreeSWITCH is its own
 * process in production. Prints one JSON line on stdout when ready:
 * {"ready":true,"url":"ws://127.0.0.1:PORT"}, with "sip" as well when
 * --sip-port is given: the carrier then also answers SIP on UDP, and its
 * URL's /v1/listen speaks Deepgram's live protocol with the captions of its
 * SIP calls (a worker's DEEPGRAM_URL, when nothing recognises speech here).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ClipRenderer } from '../carrier/audio/clipRenderer.js';
import { SoundLibrary, defaultSoundPaths } from '../carrier/audio/soundLibrary.js';
import { parseLineFlag } from '../carrier/line/lineConditions.js';
import { loadScenarios } from '../carrier/scenario/load.js';
import { CarrierServer } from '../carrier/server.js';
import { CaptionListen, LISTEN_PATH } from '../carrier/sip/captionListen.js';
import { SpokenChoices } from '../carrier/sip/spokenChoice.js';
import { CarrierSipFace } from '../carrier/sip/sipFace.js';
import { SimulatedPhones } from '../carrier/userPhones.js';
import { CachedSynthesizer } from '../media/speech/cachedSynthesizer.js';
import { EspeakSynthesizer } from '../media/speech/espeak.js';
import { projectRoot, dataDir } from '../config/paths.js';
import { createLogger } from '../runtime/logger.js';
import { parseWith } from '../validation/issues.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    scenarios: { type: 'string', multiple: true },
    'truth-dir': { type: 'string' },
    'answer-after-ms': { type: 'string', default: '200' },
    'caption-wer': { type: 'string', default: '0' },
    line: { type: 'string' },
    'sip-port': { type: 'string' },
    'sip-public-address': { type: 'string' },
  },
});

const options = parseWith(
  z.object({
    host: z.string().min(1),
    port: z.coerce.number().int().min(0).max(65535),
    scenarios: z.array(z.string()).min(1),
    truthDir: z.string().min(1),
    answerAfterMs: z.coerce.number().int().min(0).max(120_000),
    captionWer: z.coerce.number().min(0).max(1),
    line: z.string().optional(),
    sipPort: z.coerce.number().int().min(1).max(65535).optional(),
    sipPublicAddress: z.ipv4().optional(),
  }),
  {
    host: values.host,
    port: values.port,
    scenarios: values.scenarios ?? [path.join(projectRoot, 'scenarios')],
    truthDir: values['truth-dir'] ?? path.join(dataDir(), 'carrier', 'calls'),
    answerAfterMs: values['answer-after-ms'],
    captionWer: values['caption-wer'],
    line: values.line,
    sipPort: values['sip-port'],
    sipPublicAddress: values['sip-public-address'],
  },
  'carrier options',
);
const line = options.line === undefined ? undefined : parseLineFlag(options.line);

const log = createLogger('carrier');
const scenarios = await loadScenarios(options.scenarios);
const tts = new CachedSynthesizer(new EspeakSynthesizer(), path.join(dataDir(), 'cache', 'tts'));
const phones = new SimulatedPhones(options.answerAfterMs);
const server = new CarrierServer({
  scenarios,
  renderer: new ClipRenderer(tts, new SoundLibrary(defaultSoundPaths())),
  phones,
  truthDir: options.truthDir,
  host: options.host,
  port: options.port,
  captionWer: options.captionWer,
  ...(line ? { line } : {}),
  log: (line) => log.info(line),
});
const url = await server.listen();
const captionListen = options.sipPort === undefined ? undefined : new CaptionListen();
if (captionListen) server.serveUpgrade(LISTEN_PATH, (...a) => captionListen.upgrade(...a));
const sipFace =
  options.sipPort === undefined
    ? undefined
    : new CarrierSipFace({
        carrier: server,
        phones,
        host: options.host,
        port: options.sipPort,
        ...(options.sipPublicAddress ? { publicAddress: options.sipPublicAddress } : {}),
        answerAfterMs: options.answerAfterMs,
        captions: (callId, text, final) => captionListen?.caption(callId, text, final),
        ear: new SpokenChoices(tts),
        log: (line) => log.info(line),
      });
const sip = await sipFace?.listen();
log.info(
  { url, scenarios: scenarios.map((s) => s.scenario.id), truthDir: options.truthDir },
  'carrier ready',
);
process.stdout.write(
  `${JSON.stringify({ ready: true, url, truthDir: options.truthDir, ...(sip ? { sip } : {}) })}\n`,
);

const shutdown = async () => {
  await sipFace?.close();
  captionListen?.close();
  await server.close();
  await tts.close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
