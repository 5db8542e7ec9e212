/**
 * The scenario runner: one call per scenario through the real stack
 * (Temporal, PostgreSQL, the simulated carrier, a worker, the REST API),
 * each scored against the carrier's ground truth.
 *
 *   npm run scenarios -- <folder or files…> [--explore | --learned] [--then-learned]
 *                         [--concurrency N] [--caption-wer R] [--line L]
 *                         [--through freeswitch]
 *
 * Calls follow a flow built from each scenario; with --explore no flow (they
 * find their own way); with --learned whatever the system learned for the
 * number and errand. --then-learned runs every scenario a second time, once
 * the learner has folded the first run, following what it learned.
 * --through freeswitch places the calls through the FreeSWITCH gateway,
 * drachtio-server and FreeSWITCH (DRACHTIO_SECRET and the other gateway
 * variables from the environment) to the carrier's SIP face, the words
 * coming from the carrier's recogniser over Deepgram's protocol.
 *
 * Prints one JSON score per scenario on stdout, then {"summary": …};
 * progress goes to stderr. Exits 1 unless every scenario scored ok.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { SoundLibrary, defaultSoundPaths } from '../carrier/audio/soundLibrary.js';
import { loadScenarios } from '../carrier/scenario/load.js';
import { loadConfig } from '../config/env.js';
import { summarize } from '../runner/score.js';
import { lineThroughFreeswitch } from '../runner/throughFreeswitch.js';
import { runScenarios, waitForLearnedFlows, type FlowSource } from '../runner/runScenarios.js';
import type { ScenarioScore } from '../runner/score.js';
import { ApiClient } from '../runtime/apiClient.js';
import { freePort } from '../runtime/freePort.js';
import { startLocalService } from '../runtime/localService.js';
import { ValidationError, parseWith } from '../validation/issues.js';

const say = (msg: string) => process.stderr.write(`${msg}\n`);

try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      explore: { type: 'boolean', default: false },
      learned: { type: 'boolean', default: false },
      'then-learned': { type: 'boolean', default: false },
      concurrency: { type: 'string', default: '1' },
      'caption-wer': { type: 'string', default: '0' },
      line: { type: 'string' },
      through: { type: 'string', default: 'sim' },
    },
  });
  const options = parseWith(
    z
      .object({
        inputs: z.array(z.string().min(1)).min(1, 'name at least one scenario folder or file'),
        explore: z.boolean(),
        learned: z.boolean(),
        thenLearned: z.boolean(),
        concurrency: z.coerce.number().int().min(1).max(50),
        captionWer: z.coerce.number().min(0).max(1),
        line: z.string().optional(),
        through: z.enum(['sim', 'freeswitch'], {
          message: "--through is sim (the carrier's own line) or freeswitch",
        }),
      })
      .refine((o) => !(o.explore && o.learned), {
        message: '--explore and --learned are two ways to run: choose one',
      }),
    {
      inputs: positionals,
      explore: values.explore,
      learned: values.learned,
      thenLearned: values['then-learned'],
      concurrency: values.concurrency,
      captionWer: values['caption-wer'],
      line: values.line,
      through: values.through,
    },
    'runner options',
  );
  const inputs = options.inputs.map((p) => path.resolve(p));
  const scenarios = await loadScenarios(inputs);
  const config = loadConfig({
    ...process.env,
    SIM_SCENARIOS: inputs.join(':'),
    SIM_CAPTION_WER: String(options.captionWer),
    ...(options.line ? { SIM_LINE: options.line } : {}),
    ...(options.through === 'freeswitch' ? { SIM_SIP_PORT: String(await freePort()) } : {}),
  });
  if (config.SIM_CARRIER_URL) {
    throw new Error(
      'the runner scores calls against the ground truth of a carrier it starts itself: unset SIM_CARRIER_URL',
    );
  }
  say(`Starting the stack for ${scenarios.length} scenarios…`);
  let trunk: string | undefined;
  const service = await startLocalService(config, {
    say: (m) => say(`  ${m}`),
    apiPort: await freePort(),
    ...(options.through === 'freeswitch'
      ? {
          line: async (stack) => {
            const line = await lineThroughFreeswitch(stack, config.dataDir);
            trunk = line.trunk;
            say(`  gateway on ${line.url}, trunk ${trunk}`);
            return line;
          },
        }
      : {}),
  });
  let allOk = false;
  try {
    const api = new ApiClient(service.api.url, service.api.key);
    const sounds = new SoundLibrary(defaultSoundPaths());
    const first: FlowSource = options.explore ? 'none' : options.learned ? 'learned' : 'scenario';
    const runs: FlowSource[] = options.thenLearned ? [first, 'learned'] : [first];
    const described: Record<FlowSource, string> = {
      none: 'exploring (no flow)',
      learned: 'following what was learned for each number',
      scenario: 'each following a flow built from its scenario',
    };
    allOk = true;
    let previous: ScenarioScore[] | undefined;
    for (const [n, flows] of runs.entries()) {
      if (previous) {
        say('Waiting for the learner to fold the calls just made…');
        const learned = await waitForLearnedFlows(api, scenarios, previous);
        say(`  ${learned} numbers have a learned flow.`);
      }
      say(
        `Run ${n + 1}: ${scenarios.length} scenarios, ${options.concurrency} at a time, ${described[flows]}${options.captionWer ? `, caption WER ${options.captionWer}` : ''}${options.line ? `, line ${options.line}` : ''}${trunk ? `, through FreeSWITCH to ${trunk}` : ''}.`,
      );
      const started = Date.now();
      const scores = await runScenarios(api, scenarios, {
        flows,
        concurrency: options.concurrency,
        truthDir: service.stack.truthDir!,
        sounds,
        // Through FreeSWITCH the user's phone is a SIP endpoint on the carrier's SIP face.
        ...(trunk ? { userDevice: (id: string) => `sip:user-${id}@${trunk}` } : {}),
        onStart: (s, id) => say(`  ${s.scenario.id}: call ${id}`),
        onScore: (score) => {
          process.stdout.write(`${JSON.stringify({ run: n + 1, ...score })}\n`);
          say(
            `  ${score.scenario}: ${score.ok ? 'ok' : 'NOT ok'} (${score.outcome}${score.flow ? `, followed ${score.flow}` : ''}), ground truth in ${score.truthLog}`,
          );
        },
      });
      const summary = summarize(scores);
      process.stdout.write(`${JSON.stringify({ run: n + 1, flows, summary })}\n`);
      const latency = summary.detectionLatencyMs;
      say(
        `Run ${n + 1} (${flows}): ${summary.ok}/${summary.scenarios} ok (${summary.okFirstDial} on the first dial, ${summary.redialled} dialled again), ${summary.followedFlows} followed a flow, ${summary.falseTransfers} false transfers, ${summary.agentHangUps} agent hang-ups, ${summary.decisions.rules + summary.decisions.model} navigator decisions (${summary.decisions.model} by a language model), detection latency p50 ${latency.p50} ms, p95 ${latency.p95} ms, max ${latency.max} ms (${Math.round((Date.now() - started) / 1000)} s)`,
      );
      allOk &&= summary.ok === summary.scenarios;
      previous = scores;
    }
  } finally {
    await service.stop();
  }
  process.exit(allOk ? 0 : 1);
} catch (e) {
  if (e instanceof ValidationError) {
    say(
      e.issues.length > 0
        ? `${e.subject} is invalid:\n${e.issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`).join('\n')}`
        : e.message,
    );
  } else say(`the runner failed: ${(e as Error).message}`);
  process.exit(2);
}
