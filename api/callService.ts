import { randomUUID } from 'node:crypto';
import {
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure, TypedSearchAttributes } from '@temporalio/common';
import { secretNamesIn } from '../flows/dtmf.js';
import { LRUCache } from 'lru-cache';
import type { CallFlow } from '../flows/model.js';
import type { RefusedNumberRules } from '../safety/refusedNumbers.js';
import type { CallFilter, CallRecord, CallRepository } from '../store/callRepository.js';
import type { FlowRepository } from '../store/flowRepository.js';
import type { SecretVault } from '../store/secretVault.js';
import type { callWorkflow } from '../workflows/callWorkflow.js';
import {
  callStatusQuery,
  cancelCallSignal,
  connectNowSignal,
  BY_HAND_INVALID,
  sayUpdate,
  sendDigitsUpdate,
  type ByHandResult,
  type CallInput,
  type CallStatus,
} from '../workflows/definitions.js';
import {
  CALL_COMPANY,
  CALL_FLOW,
  CALL_NUMBER,
  CALL_STATUS,
} from '../workflows/searchAttributes.js';
import { HttpError, notFound } from './httpErrors.js';
import { refuseNumbers } from './numberRefusals.js';
import type { StartCallBody } from './schemas.js';

export interface CallServiceDeps {
  client: Client;
  taskQueue: string;
  flows: FlowRepository;
  calls: CallRepository;
  vault: SecretVault;
  /** Numbers never dialled, for the company and for the user's phone alike. */
  refused: RefusedNumberRules;
  holdHeartbeatTimeoutS?: number;
}

/** A call as the API shows it: the stored record, with the live workflow status when there is one. */
export interface CallView {
  id: string;
  phone_number: string;
  company: string;
  intent: string;
  user_device: string;
  flow: { id: string; version: number } | null;
  phase: CallStatus['phase'];
  step: CallStatus['step'];
  hold_started_at: string | null;
  hold_seconds: number;
  last_transcript: string | null;
  outcome: string | null;
  reason: string | null;
  /** Menu decisions made on the call: by the navigator's rules, and by a language model. */
  decisions: { rules: number; model: number };
  /** Dials made so far (more than one after a dead end), while a worker reports the call; else null. */
  dials: number | null;
  /** Dead ends met on the call, while a worker reports it; else null. */
  dead_ends: number | null;
  started_at: string;
  ended_at: string | null;
  live: boolean;
}

/** The fields of a call request that name a number to be dialled. */
export const CALLED_NUMBERS = ['phone_number', 'user_device'] as const;

const QUERY_DEADLINE_MS = 5000;
/** A list asks every call in progress for its step: a worker slow to answer one leaves that one as stored. */
const LIST_QUERY_DEADLINE_MS = 2000;
/** Keys or words sent by hand wait for the step under way; past this the API answers that they are queued. */
const BY_HAND_DEADLINE_MS = 30_000;

/** Ended calls whose last status is kept: reading a closed workflow replays its whole history on a worker. */
const ENDED_STATUSES_KEPT = 5000;

/** A page of calls, and where the next one starts. */
export interface CallPage {
  calls: CallView[];
  /** Pass as `after` for the next page; null on the last. */
  next: string | null;
}

/** Starts, watches and steers calls through the Temporal client. */
export class CallService {
  /** The workflow's last word on calls that have ended: it never changes again. */
  private readonly endedStatuses = new LRUCache<string, CallStatus>({ max: ENDED_STATUSES_KEPT });

  /** Status queries on the way, by call. */
  private readonly queries = new Map<string, Promise<CallStatus | undefined>>();

  constructor(private readonly deps: CallServiceDeps) {}

  get refusedNumbers(): RefusedNumberRules {
    return this.deps.refused;
  }

  async start(
    body: StartCallBody,
  ): Promise<{ id: string; flow: { id: string; version: number } | null }> {
    refuseNumbers(body, CALLED_NUMBERS, this.deps.refused);
    const flow = await this.resolveFlow(body);
    if (flow) this.checkSecrets(flow, body.secrets);
    const id = `call-${randomUUID()}`;
    const pinned = flow ? { id: flow.id, version: flow.version } : null;
    await this.deps.calls.insert({
      id,
      phoneNumber: body.phone_number,
      company: body.company,
      intent: body.intent,
      userDevice: body.user_device,
      flow: pinned,
    });
    const input: CallInput = {
      phoneNumber: body.phone_number,
      company: body.company,
      intent: body.intent,
      userDevice: body.user_device,
      flow: pinned,
      secretNames: Object.keys(body.secrets),
      ...(this.deps.holdHeartbeatTimeoutS
        ? { holdHeartbeatTimeoutS: this.deps.holdHeartbeatTimeoutS }
        : {}),
    };
    try {
      await this.deps.vault.put(id, body.secrets);
      await this.deps.client.workflow.start<typeof callWorkflow>('callWorkflow', {
        workflowId: id,
        taskQueue: this.deps.taskQueue,
        args: [input],
        typedSearchAttributes: new TypedSearchAttributes([
          { key: CALL_COMPANY, value: body.company },
          { key: CALL_NUMBER, value: body.phone_number },
          { key: CALL_STATUS, value: 'dialing' },
          { key: CALL_FLOW, value: pinned ? `${pinned.id}@v${pinned.version}` : 'none' },
        ]),
      });
    } catch (e) {
      // The call never started: close its record (which also erases its secrets).
      await this.deps.calls.recordOutcome(
        id,
        'failed',
        `the call did not start: ${(e as Error).message}`,
      );
      throw e;
    }
    return { id, flow: pinned };
  }

  /** The stored record of a call, or a 404. */
  async record(id: string): Promise<CallRecord> {
    const record = await this.deps.calls.get(id);
    if (!record) throw notFound(`call ${id}`);
    return record;
  }

  async status(id: string): Promise<CallView> {
    const record = await this.record(id);
    if (record.status === 'ended') {
      const kept = this.endedStatuses.get(id);
      if (kept) return toView(record, kept);
    }
    const live = await this.query(id);
    if (record.status === 'ended' && live?.phase === 'ended') this.endedStatuses.set(id, live);
    return toView(record, live);
  }

  async list(filter: CallFilter): Promise<CallPage> {
    const records = await this.deps.calls.list({ ...filter, limit: filter.limit + 1 });
    const page = records.slice(0, filter.limit);
    const calls = await Promise.all(
      page.map(async (record) =>
        toView(
          record,
          record.status === 'started'
            ? await this.query(record.id, LIST_QUERY_DEADLINE_MS)
            : undefined,
        ),
      ),
    );
    return { calls, next: records.length > filter.limit ? page.at(-1)!.id : null };
  }

  /** Keys sent by hand: they go out between steps, and the answer says whether they did. */
  sendDigits(id: string, digits: string): Promise<ByHandResult | 'queued'> {
    return this.byHand(id, (handle) =>
      handle.executeUpdate(sendDigitsUpdate, { args: [{ digits }] }),
    );
  }

  /** Words said to the far end by hand, synthesized. */
  say(id: string, text: string): Promise<ByHandResult | 'queued'> {
    return this.byHand(id, (handle) => handle.executeUpdate(sayUpdate, { args: [{ text }] }));
  }

  private async byHand(
    id: string,
    send: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<ByHandResult>,
  ): Promise<ByHandResult | 'queued'> {
    const handle = await this.running(id);
    try {
      return await this.deps.client.connection.withDeadline(Date.now() + BY_HAND_DEADLINE_MS, () =>
        send(handle),
      );
    } catch (e) {
      // The workflow's validator refused: it says why (not on the line, a secret not given...).
      if (e instanceof WorkflowUpdateFailedError) {
        const message = e.cause?.message ?? e.message;
        if (e.cause instanceof ApplicationFailure && e.cause.type === BY_HAND_INVALID)
          throw new HttpError(400, message, [], 'invalid_request');
        throw new HttpError(409, message, [], 'not_on_the_line');
      }
      if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return 'queued';
      throw e;
    }
  }

  async cancel(id: string, reason: string | undefined): Promise<void> {
    await this.signalRunning(id, (handle) =>
      handle.signal(cancelCallSignal, reason ? { reason } : {}),
    );
  }

  async connectNow(id: string): Promise<void> {
    await this.signalRunning(id, (handle) => handle.signal(connectNowSignal));
  }

  private async signalRunning(
    id: string,
    send: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<void>,
  ): Promise<void> {
    await send(await this.running(id));
  }

  /** The workflow of a call still going on: a 404 for no such call, a 409 for one that has ended. */
  private async running(id: string): Promise<ReturnType<Client['workflow']['getHandle']>> {
    const record = await this.record(id);
    if (record.status === 'ended')
      throw new HttpError(409, `call ${id} has already ended (${record.outcome})`);
    return this.deps.client.workflow.getHandle(id);
  }

  /**
   * Asks the workflow where the call is. Requests for one call that arrive
   * while its query is on the way share that query's answer, so many
   * clients polling a call cost the worker one query at a time.
   */
  private query(id: string, deadlineMs = QUERY_DEADLINE_MS): Promise<CallStatus | undefined> {
    const asked = this.queries.get(id);
    if (asked) return asked;
    const asking = this.askWorkflow(id, deadlineMs).finally(() => this.queries.delete(id));
    this.queries.set(id, asking);
    return asking;
  }

  private async askWorkflow(id: string, deadlineMs: number): Promise<CallStatus | undefined> {
    const handle = this.deps.client.workflow.getHandle(id);
    try {
      return await this.deps.client.connection.withDeadline(Date.now() + deadlineMs, () =>
        handle.query(callStatusQuery),
      );
    } catch {
      // No worker answered (yet): the stored record is all there is to show.
      return undefined;
    }
  }

  private async resolveFlow(body: StartCallBody): Promise<CallFlow | undefined> {
    if (body.flow === null) return undefined;
    if (body.flow === undefined) return this.deps.flows.forCall(body.phone_number, body.intent);
    const flow = await this.deps.flows.get(body.flow.id, body.flow.version);
    if (!flow) {
      const what = body.flow.version
        ? `call flow ${body.flow.id} has no version ${body.flow.version}`
        : `there is no call flow ${body.flow.id}`;
      throw new HttpError(400, 'the call names a flow that does not exist', [
        { path: 'flow', message: what },
      ]);
    }
    if (flow.phone_number !== body.phone_number) {
      throw new HttpError(400, 'the flow is for another number', [
        {
          path: 'flow.id',
          message: `call flow ${flow.id} is for ${flow.phone_number}, not ${body.phone_number}`,
        },
      ]);
    }
    return flow;
  }

  private checkSecrets(flow: CallFlow, secrets: Record<string, string>): void {
    const issues = flow.steps.flatMap((step) =>
      step.dtmf
        ? secretNamesIn(step.dtmf)
            .filter((name) => !Object.hasOwn(secrets, name))
            .map((name) => ({
              path: `secrets.${name}`,
              message: `step "${step.id}" of flow ${flow.id} keys {secret:${name}}, but no secret "${name}" was given`,
            }))
        : [],
    );
    if (issues.length > 0)
      throw new HttpError(400, 'the flow needs secrets the call did not give', issues);
  }
}

function toView(record: CallRecord, live: CallStatus | undefined): CallView {
  const flow =
    record.flow_id && record.flow_version !== null
      ? { id: record.flow_id, version: record.flow_version }
      : null;
  const ended = record.status === 'ended';
  return {
    id: record.id,
    phone_number: record.phone_number,
    company: record.company,
    intent: record.intent,
    user_device: record.user_device,
    flow,
    // The stored outcome is written before the workflow's last steps: once it is there, the call has ended.
    phase: ended ? 'ended' : (live?.phase ?? 'dialing'),
    step: live?.step ?? null,
    hold_started_at: live?.holdStartedAt ?? null,
    hold_seconds:
      ended && record.hold_seconds !== null
        ? record.hold_seconds
        : live
          ? liveHoldSeconds(live)
          : 0,
    last_transcript: live?.lastTranscript ?? null,
    outcome: record.outcome ?? live?.outcome ?? null,
    reason: record.outcome_reason ?? live?.reason ?? null,
    decisions: ended
      ? { rules: record.decisions_by_rules, model: record.decisions_by_model }
      : (live?.decisions ?? { rules: 0, model: 0 }),
    dials: live?.dials ?? null,
    dead_ends: live?.deadEnds ?? null,
    started_at: record.created_at,
    ended_at: record.ended_at,
    live: live !== undefined,
  };
}

/** The query counts hold time up to the workflow's last event; a hold in progress keeps counting. */
function liveHoldSeconds(status: CallStatus): number {
  if (status.phase !== 'holding' || !status.holdStartedAt) return status.holdSeconds;
  const current = Math.round((Date.now() - Date.parse(status.holdStartedAt)) / 1000);
  return status.earlierHoldSeconds + Math.max(0, current);
}
