import { inTransaction, type Pool } from './pool.js';

export interface CallRecord {
  id: string;
  phone_number: string;
  company: string;
  intent: string;
  user_device: string;
  flow_id: string | null;
  flow_version: number | null;
  status: 'started' | 'ended';
  outcome: string | null;
  outcome_reason: string | null;
  decisions_by_rules: number;
  decisions_by_model: number;
  /** Seconds on hold in all; null while the call goes on, and for calls stored before it was kept. */
  hold_seconds: number | null;
  created_at: string;
  ended_at: string | null;
}

export interface NewCall {
  id: string;
  phoneNumber: string;
  company: string;
  intent: string;
  userDevice: string;
  flow: { id: string; version: number } | null;
}

/** Which calls a list holds; every field narrows it. */
export interface CallFilter {
  status?: CallRecord['status'];
  company?: string;
  phoneNumber?: string;
  outcome?: string;
  flowId?: string;
  /** Only calls after this one in the list's order: the id of the previous page's last call. */
  after?: string;
  limit: number;
}

/** Menu decisions a call's navigator made: by its rules, and by a language model. */
export interface NavigatorDecisionCounts {
  rules: number;
  model: number;
}

/** Outcomes that count as a success for the flow version a call followed. */
const SUCCESSFUL_OUTCOMES = new Set(['connected']);

interface CallRow extends Omit<CallRecord, 'created_at' | 'ended_at'> {
  created_at: Date;
  ended_at: Date | null;
}

export class CallRepository {
  constructor(private readonly pool: Pool) {}

  async insert(call: NewCall): Promise<void> {
    await this.pool.query(
      `INSERT INTO calls (id, phone_number, company, intent, user_device, flow_id, flow_version, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'started')`,
      [
        call.id,
        call.phoneNumber,
        call.company,
        call.intent,
        call.userDevice,
        call.flow?.id ?? null,
        call.flow?.version ?? null,
      ],
    );
  }

  async get(id: string): Promise<CallRecord | undefined> {
    const result = await this.pool.query<CallRow>(`SELECT * FROM calls WHERE id = $1`, [id]);
    const row = result.rows[0];
    return row && toRecord(row);
  }

  /** Calls newest first, a page at a time: `after` is where the last page ended. */
  async list(filter: CallFilter): Promise<CallRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.status) where.push(`status = ${bind(filter.status)}`);
    if (filter.company) where.push(`lower(company) = lower(${bind(filter.company)})`);
    if (filter.phoneNumber) where.push(`phone_number = ${bind(filter.phoneNumber)}`);
    if (filter.outcome) where.push(`outcome = ${bind(filter.outcome)}`);
    if (filter.flowId) where.push(`flow_id = ${bind(filter.flowId)}`);
    // The cursor's own row gives its place: a timestamp sent out and back would lose its microseconds.
    if (filter.after)
      where.push(
        `(created_at, id) < (SELECT created_at, id FROM calls WHERE id = ${bind(filter.after)})`,
      );
    const result = await this.pool.query<CallRow>(
      `SELECT * FROM calls ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT ${bind(filter.limit)}`,
      params,
    );
    return result.rows.map(toRecord);
  }

  /**
   * Records how a call ended, once: a retried activity finds it ended and
   * changes nothing, so a flow version's counts are never bumped twice.
   * The call's secrets are erased in the same transaction.
   */
  async recordOutcome(
    id: string,
    outcome: string,
    reason: string | null,
    decisions: NavigatorDecisionCounts = { rules: 0, model: 0 },
    holdSeconds: number | null = null,
  ): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      const ended = await client.query<{ flow_id: string | null; flow_version: number | null }>(
        `UPDATE calls SET status = 'ended', outcome = $2, outcome_reason = $3, ended_at = now(),
                decisions_by_rules = $4, decisions_by_model = $5, hold_seconds = $6
          WHERE id = $1 AND status <> 'ended'
          RETURNING flow_id, flow_version`,
        [id, outcome, reason, decisions.rules, decisions.model, holdSeconds],
      );
      const row = ended.rows[0];
      if (row?.flow_id && row.flow_version !== null) {
        const column = SUCCESSFUL_OUTCOMES.has(outcome) ? 'success_count' : 'failure_count';
        await client.query(
          `UPDATE call_flow_versions SET ${column} = ${column} + 1 WHERE flow_id = $1 AND version = $2`,
          [row.flow_id, row.flow_version],
        );
      }
      await client.query(`DELETE FROM call_secrets WHERE call_id = $1`, [id]);
      return row !== undefined;
    });
  }
}

function toRecord(row: CallRow): CallRecord {
  return {
    ...row,
    created_at: row.created_at.toISOString(),
    ended_at: row.ended_at?.toISOString() ?? null,
  };
}
