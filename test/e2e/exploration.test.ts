import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { loadScenarioFile } from '../../carrier/scenario/load.js';
import { flowFromScenario } from '../../runner/flowFromScenario.js';
import { createPool } from '../../store/pool.js';
import { CallStack, type CallView } from '../support/callStack.js';
import { historyText, recordHistories } from '../support/history.js';
import { OpenAIServer, type ChatReply } from '../support/openaiServer.js';
import { describeWith, required, testServices } from '../support/services.js';

const ACCOUNT = '4417123456';
const OPENAI_KEY = 'sk-local-test-key';

const acmeCall = (extra: Record<string, unknown> = {}) => ({
  phone_number: '+18005550100',
  company: 'Acme Bank',
  intent: 'dispute a charge on my credit card',
  user_device: 'sim:user-explore',
  secrets: { account: ACCOUNT },
  flow: null,
  ...extra,
});

/**
 * What the local OpenAI-protocol server's "model" answers at each menu: a
 * reading of the menu a person would make, as tool calls.
 */
function scriptedModel(body: ChatCompletionCreateParamsNonStreaming): ChatReply {
  const last = body.messages.at(-1);
  const text = typeof last?.content === 'string' ? last.content : '';
  const menu = /Menu heard: "([^"]*)"/.exec(text)?.[1] ?? '';
  const option = /(?:dispute a credit card charge|dispute a charge), press (\d)/i.exec(menu);
  if (option) return { name: 'press_digits', arguments: { digits: option[1], reason: 'disputes' } };
  if (/account number/i.test(menu))
    return { name: 'key_secret', arguments: { name: 'account', terminator: '#', reason: 'asked' } };
  return { name: 'wait', arguments: { reason: 'no question asked' } };
}

describeWith(['postgres', 'temporal', 'sounds'], 'exploring menus no flow describes', () => {
  const stack = new CallStack({ scenarios: [path.resolve('test/fixtures/scenarios')] });
  let openai: OpenAIServer;
  let modelStack: CallStack;
  let explored: { id: string; views: CallView[] };
  let drifted: { id: string; views: CallView[] };
  let modelled: { id: string; views: CallView[] };

  async function call(on: CallStack, body: Record<string, unknown>) {
    const placed = await on.request<{ id: string }>('POST', '/api/calls', body);
    expect(placed.status).toBe(201);
    const views = await on.watch(placed.body.id, (v) => v.phase === 'ended', 240_000);
    return { id: placed.body.id, views };
  }

  beforeAll(async () => {
    openai = await OpenAIServer.start({ apiKey: OPENAI_KEY, chat: scriptedModel });
    modelStack = new CallStack({
      env: {
        NAVIGATOR_MODEL: 'openai',
        // Every decision goes to the model: the rules are never sure enough.
        NAVIGATOR_CONFIDENCE: '1',
        OPENAI_API_KEY: OPENAI_KEY,
        OPENAI_BASE_URL: openai.baseURL,
      },
    });
    await Promise.all([stack.start(), modelStack.start()]);

    // A flow learned before the menu was renumbered: it would press 3, now mortgages.
    const original = await loadScenarioFile(path.resolve('scenarios/acme-bank-disputes.json'));
    const stale = { ...flowFromScenario(original.scenario), phone_number: '+18005550190' };
    const created = await stack.request<{ id: string; version: number }>(
      'POST',
      '/api/call-flows',
      stale,
    );
    expect(created.status).toBe(201);

    [explored, drifted, modelled] = await Promise.all([
      call(stack, acmeCall()),
      call(stack, acmeCall({ phone_number: '+18005550190', flow: { id: created.body.id } })),
      call(modelStack, acmeCall()),
    ]);
  }, 420_000);

  afterAll(async () => {
    await Promise.all([stack.stop(), modelStack?.stop()]);
    await openai?.close();
  });

  it('finds its way by the rules alone: keys, the secret, the hold, the agent', async () => {
    expect(explored.views.at(-1)).toMatchObject({ outcome: 'connected', flow: null });
    const decisions = explored.views.at(-1)!.decisions;
    expect(decisions.model).toBe(0);
    expect(decisions.rules).toBeGreaterThanOrEqual(3);
    const { summary } = await stack.truth(explored.id);
    expect(summary.digits).toEqual(['3', '1', `${ACCOUNT}#`]);
    expect(summary.agentNode).toBe('agent_disputes');
    expect(summary.falseTransfer).toBe(false);
    // While it explored, the call showed its menu steps.
    expect(explored.views.some((v) => v.step?.id.startsWith('explore-'))).toBe(true);
  });

  it('explores instead of pressing a stale key when the menu has changed', async () => {
    expect(drifted.views.at(-1)).toMatchObject({ outcome: 'connected' });
    const { summary } = await stack.truth(drifted.id);
    // The flow says 3; the menu now says 4 for disputes.
    expect(summary.digits[0]).toBe('4');
    expect(summary.digits).not.toContain('3');
    expect(summary.agentNode).toBe('agent_disputes');
    expect(drifted.views.at(-1)!.decisions.rules).toBeGreaterThanOrEqual(1);
  });

  it('asks the language model where the rules are unsure, through its real protocol', async () => {
    expect(modelled.views.at(-1)).toMatchObject({ outcome: 'connected' });
    expect(modelled.views.at(-1)!.decisions.model).toBeGreaterThanOrEqual(3);
    const { summary } = await modelStack.truth(modelled.id);
    expect(summary.digits).toEqual(['3', '1', `${ACCOUNT}#`]);
    const chats = openai.requestsTo('/v1/chat/completions');
    expect(chats.length).toBeGreaterThanOrEqual(3);
    for (const chat of chats) {
      const body = chat.json as ChatCompletionCreateParamsNonStreaming;
      expect(body.tools?.map((t) => (t.type === 'function' ? t.function.name : t.type))).toEqual(
        expect.arrayContaining(['press_digits', 'key_secret', 'wait']),
      );
      expect(JSON.stringify(body)).toContain('dispute a charge on my credit card');
      expect(JSON.stringify(body)).not.toContain(ACCOUNT);
      expect(chat.headers.authorization).toBe('Bearer ***');
    }
  });

  it('writes a secret given with a call into no log line, workflow history or table', async () => {
    expect(stack.logs()).toContain(explored.id);
    expect(stack.logs()).not.toContain(ACCOUNT);
    expect(modelStack.logs()).not.toContain(ACCOUNT);
    expect(modelStack.logs()).not.toContain(OPENAI_KEY);
    const connection = await Connection.connect({
      address: required(testServices().temporalAddress, 'Temporal'),
    });
    const client = new Client({ connection });
    const pool = createPool(required(testServices().databaseUrl, 'PostgreSQL'));
    try {
      for (const id of [explored.id, drifted.id, modelled.id]) {
        const text = historyText(await client.workflow.getHandle(id).fetchHistory());
        expect(text).toContain('{secret:account}');
        expect(text).not.toContain(ACCOUNT);
      }
      // What the call found is in its stream, the account as its reference.
      const stream = await pool.query<{ event_type: string; data: unknown }>(
        `SELECT event_type, data FROM events WHERE stream_id = $1 ORDER BY stream_position`,
        [explored.id],
      );
      const types = stream.rows.map((r) => r.event_type);
      expect(types[0]).toBe('call.started');
      expect(types.at(-1)).toBe('call.ended');
      for (const type of [
        'call.menu_heard',
        'call.digits_sent',
        'call.human_detected',
        'call.transferred',
      ])
        expect(types).toContain(type);
      expect(stream.rows.map((r) => JSON.stringify(r.data)).join(' ')).toContain(
        '{secret:account}',
      );
      const tables = await pool.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`,
      );
      for (const { name } of tables.rows) {
        const rows = await pool.query<{ row: string }>(`SELECT t::text AS row FROM "${name}" t`);
        for (const { row } of rows.rows) expect(row).not.toContain(ACCOUNT);
      }
      await recordHistories(client, {
        explore: explored,
        drift: drifted,
        'model-navigator': modelled,
      });
    } finally {
      await pool.end();
      await connection.close();
    }
  });
});
