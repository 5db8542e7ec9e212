import type { DeadEnd, NavigatorAction } from '../navigator/decision.js';
import type { Pool, PoolClient } from './pool.js';

/** The most a call is told: the ways most recently found to lead nowhere. */
const MAX_PER_NUMBER = 50;

/**
 * The dead ends known for each number, as the learner folds them from
 * calls' events; read by a call before it explores the number's menus.
 */
export class DeadEndRepository {
  constructor(private readonly pool: Pool) {}

  async forNumber(phoneNumber: string): Promise<DeadEnd[]> {
    const result = await this.pool.query<{ menu: string; action: NavigatorAction; ending: string }>(
      `SELECT menu, action, ending FROM dead_ends
        WHERE phone_number = $1 ORDER BY last_seen_at DESC LIMIT $2`,
      [phoneNumber, MAX_PER_NUMBER],
    );
    return result.rows;
  }
}

/** Keeps one dead end, inside the learner's transaction: counted again when it is known. */
export async function keepDeadEnd(
  client: PoolClient,
  deadEnd: DeadEnd & { phoneNumber: string; callId: string },
): Promise<void> {
  await client.query(
    `INSERT INTO dead_ends (phone_number, menu, action, action_key, ending, first_call_id)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (phone_number, menu, action_key)
     DO UPDATE SET times = dead_ends.times + 1, last_seen_at = now(), ending = EXCLUDED.ending`,
    [
      deadEnd.phoneNumber,
      deadEnd.menu,
      JSON.stringify(deadEnd.action),
      actionKey(deadEnd.action),
      deadEnd.ending,
      deadEnd.callId,
    ],
  );
}

function actionKey(action: NavigatorAction): string {
  switch (action.kind) {
    case 'press':
    case 'go-back':
      return `press:${action.digits}`;
    case 'say':
      return `say:${action.phrase.toLowerCase()}`;
    case 'key-secret':
      return `key:${action.name}`;
    case 'wait':
      return 'wait';
  }
}
