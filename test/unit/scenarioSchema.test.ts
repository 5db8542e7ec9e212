import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadScenarioFile, loadScenarios } from '../../carrier/scenario/load.js';
import { ValidationError } from '../../validation/issues.js';

const scenariosDir = new URL('../../scenarios/', import.meta.url).pathname;
const acme = JSON.parse(
  readFileSync(path.join(scenariosDir, 'acme-bank-disputes.json'), 'utf8'),
) as Record<string, unknown>;

async function issuesOf(scenario: unknown): Promise<{ path: string; message: string }[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'scenario-'));
  const file = path.join(dir, 'bad.json');
  writeFileSync(file, typeof scenario === 'string' ? scenario : JSON.stringify(scenario));
  try {
    await loadScenarioFile(file);
  } catch (e) {
    if (e instanceof ValidationError) return e.issues;
    throw e;
  }
  return [];
}

describe('scenario format v1', () => {
  it('loads every scenario shipped with the project, with defaults applied', async () => {
    const loaded = await loadScenarios([scenariosDir]);
    expect(loaded.length).toBeGreaterThanOrEqual(5);
    const byId = new Map(loaded.map((l) => [l.scenario.id, l.scenario]));
    const scenario = byId.get('acme-bank-disputes')!;
    expect(scenario.outcome).toBe('answer');
    const main = scenario.nodes.main!;
    expect(main.type === 'menu' && main.bargeIn).toBe(true);
    expect(byId.get('busy-line')!.outcome).toBe('busy');
  });

  it('names the path of an unknown key, however deep', async () => {
    const nodes = structuredClone(acme.nodes) as Record<string, Record<string, unknown>>;
    nodes.main!.bargein = false;
    expect(await issuesOf({ ...acme, nodes })).toEqual([
      { path: 'nodes.main', message: 'unknown key "bargein"' },
    ]);
    const clips = structuredClone(acme.nodes) as Record<string, Record<string, unknown>>;
    clips.greeting!.play = { say: 'hi', voice: 'x' };
    expect(await issuesOf({ ...acme, nodes: clips })).toEqual([
      { path: 'nodes.greeting.play', message: 'unknown key "voice" in a "say" clip' },
    ]);
  });

  it('takes the line conditions a scenario names, with defaults, and names a bad one by its path', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scenario-'));
    const file = path.join(dir, 'noisy.json');
    writeFileSync(file, JSON.stringify({ ...acme, line: { codec: 'pcma', loss: 0.02 } }));
    const { scenario } = await loadScenarioFile(file);
    expect(scenario.line).toMatchObject({
      codec: 'pcma',
      loss: 0.02,
      jitterMs: 0,
      noiseDbfs: null,
    });
    expect(await issuesOf({ ...acme, line: { codec: 'opus', lossy: true } })).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'line.codec' }),
        expect.objectContaining({ path: 'line', message: 'unknown key "lossy"' }),
      ]),
    );
  });

  it('refuses references to nodes that do not exist', async () => {
    const nodes = structuredClone(acme.nodes) as Record<string, Record<string, unknown>>;
    (nodes.main!.options as Record<string, string>)['3'] = 'dispute';
    const issues = await issuesOf({ ...acme, nodes });
    expect(issues).toEqual([
      { path: 'nodes.main.options.3', message: 'names node "dispute", which is not in "nodes"' },
    ]);
  });

  it('refuses a clip of no known kind and a bad wait range', async () => {
    const nodes = structuredClone(acme.nodes) as Record<string, Record<string, unknown>>;
    nodes.greeting!.play = [{ say: 'hello' }, { speak: 'x' }];
    nodes.queue_general!.wait = [30, 20];
    expect(await issuesOf({ ...acme, nodes })).toEqual([
      {
        path: 'nodes.greeting.play[1]',
        message: 'a clip is an object with one of say, sound, moh, tone, silence, file',
      },
      {
        path: 'nodes.queue_general.wait',
        message: 'the first wait bound must not exceed the second',
      },
    ]);
  });

  it('refuses an input that checks a secret the task does not give', async () => {
    const nodes = structuredClone(acme.nodes) as Record<string, Record<string, unknown>>;
    nodes.account!.expect = 'secret:pin';
    expect(await issuesOf({ ...acme, nodes })).toEqual([
      { path: 'nodes.account.expect', message: 'names secret "pin", which is not in task.secrets' },
    ]);
  });

  it('refuses bad JSON with the file named', async () => {
    const issues = await issuesOf('{"format": ');
    expect(issues[0]!.message).toMatch(/not valid JSON/);
  });

  it('refuses two scenarios answering one number', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scenarios-'));
    writeFileSync(path.join(dir, 'a.json'), JSON.stringify(acme));
    writeFileSync(path.join(dir, 'b.json'), JSON.stringify({ ...acme, id: 'acme-copy' }));
    await expect(loadScenarios([dir])).rejects.toThrow(
      /\+18005550100 is already answered by .*a\.json/,
    );
  });
});
