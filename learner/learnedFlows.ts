import { randomUUID } from 'node:crypto';
import { stepsSchema, type FlowStep } from '../flows/model.js';
import type { PoolClient } from '../store/pool.js';

/** A flow as the learner merges into it: its latest version, and whether that version was learned. */
export interface FlowState {
  id: string;
  version: number;
  steps: FlowStep[];
  learned: boolean;
}

interface StateRow {
  learned_key: string | null;
  id: string;
  latest_version: number;
  steps: FlowStep[];
  source: string;
}

const SELECT_STATE = `
  SELECT f.learned_key, f.id, f.latest_version, v.steps, v.source
    FROM call_flows f JOIN call_flow_versions v ON v.flow_id = f.id AND v.version = f.latest_version
   WHERE f.deleted_at IS NULL`;

/**
 * Reads and writes flows inside the learner's transaction, so a flow's new
 * version and the checkpoint that says its events were folded commit together.
 */
export class LearnedFlows {
  /** Flows read or written in this transaction: many calls in a batch teach the same few flows. */
  private readonly ids = new Map<string, FlowState | undefined>();
  private readonly keys = new Map<string, string | undefined>();

  constructor(private readonly client: PoolClient) {}

  async byId(id: string): Promise<FlowState | undefined> {
    if (!this.ids.has(id)) {
      const result = await this.client.query<StateRow>(`${SELECT_STATE} AND f.id = $1`, [id]);
      this.ids.set(id, result.rows[0] && toState(result.rows[0]));
    }
    return this.ids.get(id);
  }

  async byKey(key: string): Promise<FlowState | undefined> {
    if (!this.keys.has(key)) {
      const result = await this.client.query<StateRow>(`${SELECT_STATE} AND f.learned_key = $1`, [
        key,
      ]);
      const row = result.rows[0];
      this.keys.set(key, row?.id);
      if (row) this.ids.set(row.id, toState(row));
    }
    const id = this.keys.get(key);
    return id === undefined ? undefined : this.ids.get(id);
  }

  /** Reads in one query the flows a batch's calls will teach: by their numbers and errands, and those they followed. */
  async prefetch(keys: string[], ids: string[]): Promise<void> {
    const newKeys = [...new Set(keys)].filter((k) => !this.keys.has(k));
    const newIds = [...new Set(ids)].filter((i) => !this.ids.has(i));
    if (newKeys.length === 0 && newIds.length === 0) return;
    const result = await this.client.query<StateRow>(
      `${SELECT_STATE} AND (f.learned_key = ANY($1::text[]) OR f.id = ANY($2::text[]))`,
      [newKeys, newIds],
    );
    for (const row of result.rows) {
      this.ids.set(row.id, toState(row));
      if (row.learned_key !== null) this.keys.set(row.learned_key, row.id);
    }
    // What was not found does not exist: no need to ask again.
    for (const key of newKeys) if (!this.keys.has(key)) this.keys.set(key, undefined);
    for (const id of newIds) if (!this.ids.has(id)) this.ids.set(id, undefined);
  }

  /** A new learned flow for one number and errand, at version 1. */
  async create(
    key: string,
    call: { phoneNumber: string; company: string; intent: string },
    steps: FlowStep[],
  ): Promise<FlowState> {
    const checked = stepsSchema.parse(steps);
    const id = `flow_${randomUUID()}`;
    await this.client.query(
      `INSERT INTO call_flows (id, name, company, phone_number, description, tags, latest_version, learned_key)
       VALUES ($1, $2, $3, $4, $5, $6, 1, $7)`,
      [
        id,
        `${call.company || call.phoneNumber}: ${call.intent || 'a person'}`.slice(0, 200),
        call.company || call.phoneNumber,
        call.phoneNumber,
        call.intent.slice(0, 2000),
        ['learned'],
        key,
      ],
    );
    await this.client.query(
      `INSERT INTO call_flow_versions (flow_id, version, steps, source) VALUES ($1, 1, $2, 'learner')`,
      [id, JSON.stringify(checked)],
    );
    const flow = { id, version: 1, steps: checked, learned: true };
    this.ids.set(id, flow);
    this.keys.set(key, id);
    return flow;
  }

  /** The flow's next version, with these steps. */
  async addVersion(flow: FlowState, steps: FlowStep[]): Promise<FlowState> {
    const checked = stepsSchema.parse(steps);
    const bumped = await this.client.query<{ latest_version: number }>(
      `UPDATE call_flows SET latest_version = latest_version + 1, updated_at = now()
        WHERE id = $1 RETURNING latest_version`,
      [flow.id],
    );
    const version = bumped.rows[0]!.latest_version;
    await this.client.query(
      `INSERT INTO call_flow_versions (flow_id, version, steps, source) VALUES ($1, $2, $3, 'learner')`,
      [flow.id, version, JSON.stringify(checked)],
    );
    const next = { id: flow.id, version, steps: checked, learned: true };
    this.ids.set(flow.id, next);
    return next;
  }
}

function toState(row: StateRow): FlowState {
  return {
    id: row.id,
    version: row.latest_version,
    steps: row.steps,
    learned: row.source === 'learner',
  };
}
