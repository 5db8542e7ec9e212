import { readFileSync } from 'node:fs';
import path from 'node:path';
import { scenarioSchema } from '../../carrier/scenario/schema.js';
import { flowFromScenario } from '../../runner/flowFromScenario.js';
import { createPool } from '../../store/pool.js';
import { CallStack, type CallView } from '../support/callStack.js';
import { describeWith, required, testServices } from '../support/services.js';

/**
 * Riverbend Power's queue greets callers with "Hi there, thanks for
 * holding…" in the very voice its agent uses, three times before the agent
 * picks up with "Hi, thanks for holding, this is Dana…".
 */
const scenario = scenarioSchema.parse(
  JSON.parse(readFileSync(path.resolve('scenarios', 'utility-same-voice-hold.json'), 'utf8')),
);

describeWith(
  ['postgres', 'temporal', 'sounds'],
  "a hold whose announcements use the agent's own voice",
  () => {
    const stack = new CallStack();
    let known: { id: string; views: CallView[] };
    let cold: { id: string; views: CallView[] };

    beforeAll(async () => {
      await stack.start();
      // The flow a learned call would give: it knows what the queue plays.
      const knowing = flowFromScenario(scenario);
      // The same path with nothing known of the hold: a line heard for the first time.
      const unknowing = {
        ...knowing,
        steps: knowing.steps.map((s) => (s.type === 'HOLD' ? { ...s, metadata: {} } : s)),
      };
      const place = async (flow: unknown) => {
        const created = await stack.request<{ id: string }>('POST', '/api/call-flows', flow);
        const placed = await stack.request<{ id: string }>('POST', '/api/calls', {
          phone_number: scenario.number,
          company: scenario.company,
          intent: scenario.task.intent,
          user_device: 'sim:same-voice-user',
          flow: { id: created.body.id },
        });
        return {
          id: placed.body.id,
          views: await stack.watch(placed.body.id, (v) => v.outcome !== null),
        };
      };
      [known, cold] = await Promise.all([place(knowing), place(unknowing)]);
    }, 240_000);
    afterAll(() => stack.stop(), 60_000);

    for (const [name, call] of [
      ['with the line known', () => known],
      ['on a line heard for the first time', () => cold],
    ] as const) {
      it(`transfers only once the agent speaks, ${name}`, async () => {
        expect(call().views.at(-1)).toMatchObject({ outcome: 'connected' });
        const { lines, summary } = await stack.truth(call().id);
        // Three announcements played before the agent, and none was taken for a person.
        expect(
          lines.filter((l) => l.ev === 'clip' && !l.human && l.caption?.startsWith('Hi there'))
            .length,
        ).toBe(3);
        expect(summary.agentStartMs).not.toBeNull();
        expect(summary.transferMs!).toBeGreaterThan(summary.agentStartMs!);
        expect(summary.falseTransfer).toBe(false);
        // The agent was answered at once, while the user's phone rang.
        const greeted = lines.find((l) => l.ev === 'speech');
        expect(greeted).toMatchObject({ text: "Hi, one moment please, I'm connecting you now." });
        expect(greeted!.t).toBeGreaterThan(summary.agentStartMs!);
      });
    }

    it('decides within a second and a half when it knows what the queue plays', async () => {
      const { summary } = await stack.truth(known.id);
      expect(summary.transferMs! - summary.agentStartMs!).toBeLessThan(1500);
    });

    it('keeps what it heard, to know the line on the next call', async () => {
      const pool = createPool(required(testServices().databaseUrl, 'PostgreSQL'));
      const rows = await pool.query<{ kind: string; value: string; confirmed: boolean }>(
        `SELECT kind, value, confirmed FROM line_recordings WHERE phone_number = $1`,
        [scenario.number],
      );
      await pool.end();
      expect(
        rows.rows.filter((r) => r.kind === 'fingerprint' && r.confirmed).length,
      ).toBeGreaterThan(0);
      expect(rows.rows.some((r) => r.kind === 'opening' && r.value.startsWith('Hi there'))).toBe(
        true,
      );
    });
  },
);
