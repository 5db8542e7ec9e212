import { readFileSync } from 'node:fs';
import { HumanDetector } from './media/analysis/humanDetector.js';
import { createRenderer } from './test/support/audioFixtures.js';
import { SimulatedCall } from './test/support/simulatedCall.js';
import { scenarioSchema } from './carrier/scenario/schema.js';
import { flowFromScenario } from './runner/flowFromScenario.js';
const name = process.argv[2]!;
const { renderer, close } = createRenderer();
const json = JSON.parse(readFileSync(`scenarios/${name}.json`, 'utf8'));
const scenario = scenarioSchema.parse(json);
const flow = flowFromScenario(scenario);
const holdStep = flow.steps.find(s => s.type === 'HOLD')!;
const known = (holdStep.metadata as any)?.recordings ?? { fingerprints: [], openings: [] };
console.log('known openings', known.openings);
const call = await new SimulatedCall(renderer, json).start();
const detector = await HumanDetector.create({ sampleRate: 8000, known });
let decided = false;
call.onAudio = (f) => { const d = detector.pushAudio(f); if (d && !decided) { decided = true; console.log('DECIDED audio at', call.call.mediaClock.now(), d); } };
call.onMessage = (m) => { if (m.type === 'caption') { if (m.final) console.log(call.call.mediaClock.now(), 'FINAL', m.text); const d = detector.pushTranscript(m); if (d && !decided) { decided = true; console.log('DECIDED at', call.call.mediaClock.now(), d); } } };
// press keys of the flow quickly: just drive DTMF at times
const keys = flow.steps.filter(s => s.dtmf).map(s => s.dtmf!);
for (const k of keys) { await call.advance(8000); if (!k.includes('{')) call.press(k); else call.press(String(Object.values(scenario.task.secrets)[0]) + (k.endsWith('#') ? '#' : '')); }
await call.until(l => l.some(x => x.ev === 'agent-start'), 200000);
await call.advance(12000);
console.log(detector.segments().map(s => [s.startMs, s.verdict, Buffer.from(s.fingerprint, 'base64').length / 2]));
console.log(call.truth().filter(l => l.ev === 'agent-start' || l.ev === 'clip').slice(-5));
await close();
