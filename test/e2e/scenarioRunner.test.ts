import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnEntry } from '../../runtime/nodeProcess.js';
import type { ScenarioScore, ScoreSummary } from '../../runner/score.js';
import { describeWith, required, testServices } from '../support/services.js';

/** Scenarios the project has never seen, kept short: the runner must handle any folder. */
const unseen = [
  {
    format: 'holdslayer-scenario/v1',
    id: 'unseen-quick-queue',
    company: 'Unseen Plumbing',
    number: '+13605550901',
    ring: 1,
    start: 'main',
    nodes: {
      main: {
        type: 'menu',
        play: { say: 'Unseen Plumbing. For emergencies, press 5. For quotes, press 6.' },
        options: { '5': 'queue', '6': 'quotes' },
      },
      quotes: { type: 'hangup', play: { say: 'Quotes are by email. Goodbye.' } },
      queue: {
        type: 'queue',
        music: { moh: 'reno_project-system' },
        announce: {
          play: { say: 'All plumbers are busy. Please stay on the line.' },
          every: 6,
          first: 3,
        },
        wait: 10,
        agent: 'plumber',
      },
      plumber: {
        type: 'agent',
        department: 'emergencies',
        play: { say: 'Hi, this is Gus, the plumber on call. What is leaking?' },
      },
    },
    task: { intent: 'a pipe burst in my kitchen', expect: 'plumber' },
  },
  {
    format: 'holdslayer-scenario/v1',
    id: 'unseen-busy',
    company: 'Unseen Busy Co',
    number: '+13605550902',
    outcome: 'busy',
    ring: 1,
    start: 'x',
    nodes: { x: { type: 'hangup' } },
    task: { intent: 'anything', expectOutcome: 'busy' },
  },
  {
    format: 'holdslayer-scenario/v1',
    id: 'unseen-speech',
    company: 'Unseen Library',
    number: '+13605550903',
    ring: 1,
    start: 'ask',
    nodes: {
      ask: {
        type: 'menu',
        play: { say: 'City library. Say renewals, or events.' },
        speech: { renewals: 'queue', events: 'events' },
      },
      events: { type: 'hangup', play: { say: 'Events are listed online.' } },
      queue: { type: 'queue', music: { moh: 'macroform-cold_day' }, wait: 8, agent: 'librarian' },
      librarian: {
        type: 'agent',
        department: 'circulation',
        play: { say: 'Circulation desk, this is Mae speaking. How can I help?' },
      },
    },
    task: { intent: 'renew my library books', expect: 'librarian' },
  },
];

function runRunner(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawnEntry('scenarios', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describeWith(['postgres', 'temporal', 'sounds'], 'npm run scenarios', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'runner-'));
  const env = () => ({
    ...process.env,
    TEMPORAL_ADDRESS: required(testServices().temporalAddress, 'Temporal'),
    DATABASE_URL: required(testServices().databaseUrl, 'PostgreSQL'),
    TEMPORAL_TASK_QUEUE: `runner-${randomUUID().slice(0, 8)}`,
    HOLDSLAYER_DATA_DIR: path.join(root, 'data'),
    LOG_LEVEL: 'info',
  });

  it('scores scenarios it has never seen, several at once, and says where each ground truth is', async () => {
    const folder = path.join(root, 'unseen');
    mkdirSync(folder);
    for (const s of unseen) writeFileSync(path.join(folder, `${s.id}.json`), JSON.stringify(s));
    const { code, stdout, stderr } = await runRunner([folder, '--concurrency', '3'], env());
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ScenarioScore | { summary: ScoreSummary });
    const scores = lines.filter((l): l is ScenarioScore => 'scenario' in l);
    const summary = lines.find((l): l is { summary: ScoreSummary } => 'summary' in l)!.summary;
    expect(scores.map((s) => s.scenario).sort()).toEqual([
      'unseen-busy',
      'unseen-quick-queue',
      'unseen-speech',
    ]);
    expect(scores.filter((s) => !s.ok)).toEqual([]);
    expect(summary).toMatchObject({ scenarios: 3, ok: 3, falseTransfers: 0, agentHangUps: 0 });
    expect(summary.detectionLatencyMs.count).toBe(2);
    for (const s of scores) {
      expect(existsSync(s.truthLog)).toBe(true);
      expect(stderr).toContain(s.truthLog);
    }
    expect(scores.find((s) => s.scenario === 'unseen-quick-queue')!.digits).toEqual(['5']);
    expect(code).toBe(0);
  }, 240_000);

  it('runs twice: exploring, then following what the first run taught, with fewer decisions', async () => {
    const folder = path.join(root, 'learning');
    mkdirSync(folder);
    // Numbers of their own: the first test's calls must not have taught anything here.
    for (const s of unseen)
      writeFileSync(
        path.join(folder, `${s.id}.json`),
        JSON.stringify({ ...s, number: s.number.replace('55509', '55519') }),
      );
    const { code, stdout, stderr } = await runRunner(
      [folder, '--explore', '--then-learned', '--concurrency', '3'],
      env(),
    );
    type RunLine = { run: number } & (ScenarioScore | { flows: string; summary: ScoreSummary });
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RunLine);
    const summaries = lines.flatMap((l) => ('summary' in l ? [l] : []));
    expect(summaries.map((l) => [l.run, l.flows])).toEqual([
      [1, 'none'],
      [2, 'learned'],
    ]);
    const [explored, learned] = summaries.map((l) => l.summary);
    expect(explored).toMatchObject({ ok: 3, followedFlows: 0 });
    expect(learned).toMatchObject({ ok: 3, followedFlows: 2, falseTransfers: 0 });
    const decisions = (s: ScoreSummary) => s.decisions.rules + s.decisions.model;
    expect(decisions(explored!)).toBeGreaterThan(0);
    expect(decisions(learned!)).toBeLessThan(decisions(explored!));
    const second = lines.filter(
      (l): l is { run: number } & ScenarioScore => 'scenario' in l && l.run === 2,
    );
    expect(second.find((s) => s.scenario === 'unseen-quick-queue')).toMatchObject({
      digits: ['5'],
      flow: expect.stringMatching(/^flow_.+@v\d+$/),
    });
    expect(stderr).toContain('numbers have a learned flow');
    expect(code).toBe(0);
  }, 360_000);

  it('refuses a malformed scenario with the path of the bad key, before starting anything', async () => {
    const folder = path.join(root, 'bad');
    mkdirSync(folder);
    const bad = structuredClone(unseen[0]!) as unknown as {
      nodes: Record<string, Record<string, unknown>>;
    };
    bad.nodes.main!.optoins = {};
    writeFileSync(path.join(folder, 'bad.json'), JSON.stringify(bad));
    const { code, stderr } = await runRunner([folder], env());
    expect(code).toBe(2);
    expect(stderr).toMatch(/bad\.json is invalid/);
    expect(stderr).toContain('nodes.main: unknown key "optoins"');
  }, 60_000);
});
