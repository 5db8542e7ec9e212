import { randomUUID } from 'node:crypto';
import { CALL_EVENT_VERSIONS, type CallEvent } from '../events/callEvents.js';
import type { NewEvent } from '../events/eventStore.js';

/** One made-up call's events, in the order its activities would append them. */
export interface SyntheticCall {
  stream: string;
  events: NewEvent[];
}

const INTENTS = ['dispute a card charge', 'pay my bill'];

/**
 * Calls as the learner would see them from real ones, without dialling:
 * each number has a two-level menu, an account prompt, a queue and an
 * agent. Some calls press a wrong key first and come back, some hear an
 * after-hours menu instead, some are busy.
 */
export function syntheticCalls(
  count: number,
  numbers: number,
  tag = randomUUID().slice(0, 8),
): SyntheticCall[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i % numbers;
    const phoneNumber = `+1800${String(5_000_000 + n).padStart(7, '0')}`;
    const intent = INTENTS[Math.floor(i / numbers) % INTENTS.length]!;
    const key = intent.startsWith('dispute') ? '2' : '1';
    const company = `Company ${n}`;
    const menu = `Welcome to ${company}. For billing, press 1. For disputes, press 2. To hear this again, press 9.`;
    const afterHours = `Thank you for calling ${company}. Our offices are closed today. For card emergencies, press 2. For payments, press 1.`;
    const account = 'Please enter your account number, followed by the pound key.';
    const events: CallEvent[] = [
      {
        type: 'call.started',
        data: {
          phoneNumber,
          company,
          intent,
          flow: null,
          dialOutcome: i % 7 === 6 ? 'busy' : 'answered',
        },
      },
    ];
    if (i % 7 === 6) {
      events.push({
        type: 'call.ended',
        data: {
          outcome: 'busy',
          reason: null,
          decisions: { rules: 0, model: 0 },
          holdSeconds: null,
        },
      });
    } else {
      const heard = (transcript: string, heardMs: number): CallEvent => ({
        type: 'call.menu_heard',
        data: { transcript, endedBy: 'pause', heardMs, drifted: false },
      });
      const press = (dtmf: string): CallEvent => ({ type: 'call.digits_sent', data: { dtmf } });
      const first = i % 11 === 10 ? afterHours : menu;
      if (i % 5 === 4) events.push(heard(first, 6100), press('9'));
      events.push(
        heard(first, 6000 + (i % 13) * 100),
        press(key),
        heard(account, 3000),
        press('{secret:account}#'),
        { type: 'call.hold_started', data: { timeoutS: 7200 } },
        {
          type: 'call.announcement_heard',
          data: { kind: 'opening', value: 'your call is important to us' },
        },
        {
          type: 'call.human_detected',
          data: { reason: 'cues', heldMs: 45_000, transcript: 'Hi, this is Sam', detectionMs: 600 },
        },
        { type: 'call.transferred', data: { bridged: true, reason: null } },
        {
          type: 'call.ended',
          data: {
            outcome: 'connected',
            reason: null,
            decisions: { rules: 2, model: 0 },
            holdSeconds: null,
          },
        },
      );
    }
    return {
      stream: `call-synthetic-${tag}-${i}`,
      events: events.map((e) => ({
        id: randomUUID(),
        type: e.type,
        schemaVersion: CALL_EVENT_VERSIONS[e.type],
        data: e.data,
        metadata: { synthetic: true },
      })),
    };
  });
}

/** The calls' events as they would arrive from calls running side by side: one event of each call in turn. */
export function interleaved(calls: SyntheticCall[]): Array<{ stream: string; event: NewEvent }> {
  const out: Array<{ stream: string; event: NewEvent }> = [];
  const longest = Math.max(0, ...calls.map((c) => c.events.length));
  for (let k = 0; k < longest; k++)
    for (const call of calls) {
      const event = call.events[k];
      if (event) out.push({ stream: call.stream, event });
    }
  return out;
}
