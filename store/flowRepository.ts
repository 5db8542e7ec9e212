import { randomUUID } from 'node:crypto';
import type { CallFlow, FlowDefinition } from '../flows/model.js';
import { learnedKey } from '../flows/learnedKey.js';
import { inTransaction, type Pool } from './pool.js';

export type FlowSource = 'api' | 'learner';

export interface FlowFilter {
  company?: string;
  tag?: string;
  phoneNumber?: string;
}

/** One version of a flow, as its history lists it. */
export interface FlowVersionSummary {
  version: number;
  /** Who made it: a person through the API, or the learner. */
  source: FlowSource;
  steps: number;
  success_count: number;
  failure_count: number;
  created_at: string;
}

/** A flow as PostgreSQL returns it: the same fields, with dates as dates. */
type FlowRow = Omit<CallFlow, 'created_at' | 'updated_at'> & { created_at: Date; updated_at: Date };

const SELECT_FLOW = `
  SELECT f.id, f.name, f.company, f.phone_number, f.description, f.tags,
         v.version, v.steps, v.success_count, v.failure_count, f.created_at, f.updated_at
    FROM call_flows f
    JOIN call_flow_versions v ON v.flow_id = f.id`;

/** The flows a list holds: each at its latest version, filtered by $1 company, $2 tag, $3 number. */
const LISTED = `
  WHERE f.deleted_at IS NULL AND v.version = f.latest_version
    AND ($1::text IS NULL OR lower(f.company) = lower($1))
    AND ($2::text IS NULL OR $2 = ANY (f.tags))
    AND ($3::text IS NULL OR f.phone_number = $3)`;

function filterParams(filter: FlowFilter): Array<string | null> {
  return [filter.company ?? null, filter.tag ?? null, filter.phoneNumber ?? null];
}

/** A timestamp as JavaScript's toISOString writes it (UTC, milliseconds), so both lists read alike. */
const ISO_MS = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The columns that describe a flow, in the order the statements below take them ($2 to $6). */
function describedBy(d: FlowDefinition): [string, string, string, string, string[]] {
  return [d.name, d.company, d.phone_number, d.description, d.tags];
}

function toFlow(row: FlowRow): CallFlow {
  return {
    ...row,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** Call flows and their versions in PostgreSQL. A flow's steps never change in place: each change is a new version. */
export class FlowRepository {
  constructor(private readonly pool: Pool) {}

  async create(definition: FlowDefinition, source: FlowSource): Promise<CallFlow> {
    const id = `flow_${randomUUID()}`;
    await inTransaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO call_flows (id, name, company, phone_number, description, tags, latest_version)
         VALUES ($1, $2, $3, $4, $5, $6, 1)`,
        [id, ...describedBy(definition)],
      );
      await client.query(
        `INSERT INTO call_flow_versions (flow_id, version, steps, source) VALUES ($1, 1, $2, $3)`,
        [id, JSON.stringify(definition.steps), source],
      );
    });
    return (await this.get(id))!;
  }

  /** Stores new steps (and details) for a flow as its next version. */
  async addVersion(
    id: string,
    definition: FlowDefinition,
    source: FlowSource,
  ): Promise<CallFlow | undefined> {
    const version = await inTransaction(this.pool, async (client) => {
      const bumped = await client.query<{ latest_version: number }>(
        `UPDATE call_flows
            SET latest_version = latest_version + 1, updated_at = now(),
                name = $2, company = $3, phone_number = $4, description = $5, tags = $6
          WHERE id = $1 AND deleted_at IS NULL
          RETURNING latest_version`,
        [id, ...describedBy(definition)],
      );
      const row = bumped.rows[0];
      if (!row) return undefined;
      await client.query(
        `INSERT INTO call_flow_versions (flow_id, version, steps, source) VALUES ($1, $2, $3, $4)`,
        [id, row.latest_version, JSON.stringify(definition.steps), source],
      );
      return row.latest_version;
    });
    return version === undefined ? undefined : this.get(id, version);
  }

  /** The flow at `version`, or at its latest version. */
  async get(id: string, version?: number): Promise<CallFlow | undefined> {
    const result = await this.pool.query<FlowRow>(
      `${SELECT_FLOW} WHERE f.id = $1 AND f.deleted_at IS NULL AND v.version = COALESCE($2, f.latest_version)`,
      [id, version ?? null],
    );
    return result.rows[0] && toFlow(result.rows[0]);
  }

  /** Every version of a flow, newest first; undefined when there is no such flow. */
  async versions(id: string): Promise<FlowVersionSummary[] | undefined> {
    const result = await this.pool.query<
      Omit<FlowVersionSummary, 'created_at'> & { created_at: Date }
    >(
      `SELECT v.version, v.source, jsonb_array_length(v.steps) AS steps,
              v.success_count, v.failure_count, v.created_at
         FROM call_flows f JOIN call_flow_versions v ON v.flow_id = f.id
        WHERE f.id = $1 AND f.deleted_at IS NULL
        ORDER BY v.version DESC`,
      [id],
    );
    if (result.rows.length === 0) return undefined;
    return result.rows.map((row) => ({ ...row, created_at: row.created_at.toISOString() }));
  }

  /**
   * Takes a flow out of use: new calls no longer follow it and it is no
   * longer listed, while its versions stay for the calls that followed
   * them. A learned flow deleted is learned afresh by the next call.
   */
  async delete(id: string): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE call_flows SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL`,
      [id],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async list(filter: FlowFilter = {}): Promise<CallFlow[]> {
    const result = await this.pool.query<FlowRow>(
      `${SELECT_FLOW} ${LISTED} ORDER BY f.updated_at DESC, f.id`,
      filterParams(filter),
    );
    return result.rows.map(toFlow);
  }

  /**
   * The same list as JSON text, written by PostgreSQL: a list of every flow
   * with all its steps is large, and reading it into objects only to write
   * it out again was most of what the API spent on it.
   */
  async listAsJson(filter: FlowFilter = {}): Promise<string> {
    const result = await this.pool.query<{ body: string }>(
      `SELECT coalesce(json_agg(json_build_object(
                'id', f.id, 'name', f.name, 'company', f.company, 'phone_number', f.phone_number,
                'description', f.description, 'tags', f.tags, 'version', v.version, 'steps', v.steps,
                'success_count', v.success_count, 'failure_count', v.failure_count,
                'created_at', ${ISO_MS('f.created_at')}, 'updated_at', ${ISO_MS('f.updated_at')}
              ) ORDER BY f.updated_at DESC, f.id), '[]')::text AS body
         FROM call_flows f JOIN call_flow_versions v ON v.flow_id = f.id
         ${LISTED}`,
      filterParams(filter),
    );
    return result.rows[0]!.body;
  }

  /**
   * The flow a new call follows when none is named: the one learned for
   * this number and errand; else the number's latest flow written by a
   * person; else none (the call explores). A flow learned for another
   * errand is never followed: it leads to another department.
   */
  async forCall(phoneNumber: string, intent: string): Promise<CallFlow | undefined> {
    const result = await this.pool.query<FlowRow>(
      `${SELECT_FLOW}
        WHERE f.deleted_at IS NULL AND v.version = f.latest_version AND f.phone_number = $1
          AND (f.learned_key = $2 OR f.learned_key IS NULL)
        ORDER BY (f.learned_key IS NOT NULL) DESC, f.updated_at DESC, f.id
        LIMIT 1`,
      [phoneNumber, learnedKey(phoneNumber, intent)],
    );
    return result.rows[0] && toFlow(result.rows[0]);
  }
}
