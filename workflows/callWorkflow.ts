import * as wf from '@temporalio/workflow';
import type { CallActivities, LineHeard, RecordingsHeard } from '../activities/types.js';
import type { DeadEnd, NavigatorAction, PathEntry } from '../navigator/decision.js';
import { DtmfSyntaxError, secretNamesIn } from '../flows/dtmf.js';
import type { FlowStep } from '../flows/model.js';
import { DEFAULT_HOLD_TIMEOUT_S } from '../flows/stepDefaults.js';
import { renderCurrentDetails } from './currentDetails.js';
import {
  LINE_ENDED,
  MAX_DIALS,
  callStatusQuery,
  cancelCallSignal,
  connectNowSignal,
  BY_HAND_INVALID,
  BY_HAND_NOT_ON_LINE,
  sayUpdate,
  sendDigitsUpdate,
  type ByHandResult,
  type CallInput,
  type CallOutcome,
  type CallPhase,
  type CallResult,
  type CallStatus,
} from './definitions.js';
import { MenuVisits, describeAction, dtmfOf } from './menuVisits.js';
import { lineIdFor } from './lineIds.js';
import { CALL_COMPANY, CALL_FLOW, CALL_NUMBER, CALL_STATUS } from './searchAttributes.js';
import {
  MAX_STEPS_PER_CALL,
  branchFor,
  holdOnlyPlan,
  indexSteps,
  knownRecordingsOf,
  transferDevice,
} from './stepInterpreter.js';

const DEFAULT_ANSWER_TIMEOUT_S = 60;
/** Said to the person the moment they pick up, while the user's phone rings (a HOLD step's metadata.greeting overrides it). */
const AGENT_GREETING = "Hi, one moment please, I'm connecting you now.";
/** Workflow changes guarded for calls already running (and the recorded histories). */
const GREET_AGENT_PATCH = 'greet-agent-on-pickup';
const REMEMBER_RECORDINGS_PATCH = 'remember-line-recordings';
/** With no flow, a call explores its menus; a LISTEN that hears another menu than its flow's explores from there. */
const EXPLORE_PATCH = 'explore-menus';
/** An exploring call whose way led to a hang-up records the dead end and dials again, avoiding it. */
const REDIAL_PATCH = 'redial-after-dead-end';
const DEFAULT_HOLD_HEARTBEAT_TIMEOUT_S = 10;
/** Menu decisions an exploring call may make before it gives up: a real menu tree is a few levels deep. */
const MAX_EXPLORATION_STEPS = 40;
/** Longest one listen to the line lasts while exploring. */
const HEAR_TIMEOUT_S = 60;
/** Silences in a row (each a listen with nothing heard) after which an exploring call gives up. */
const MAX_SILENCES = 3;
/** The menus and choices an exploring call shows the navigator: the most recent ones. */
const PATH_SHOWN = 12;
const INTERRUPTED = Symbol('interrupted');
type Interrupted = typeof INTERRUPTED;

/** Keys or words a person sent by hand, waiting for the line. */
interface ByHand {
  kind: 'digits' | 'say';
  value: string;
  settle: (result: ByHandResult) => void;
}

/**
 * One phone call, from dialling to the user talking with a person: the
 * flow's steps run as activities against the media server, one at a time;
 * a hold is a single long activity. Signals may cancel the call or bring the
 * user in at once; a query reports where the call is.
 */
export async function callWorkflow(input: CallInput): Promise<CallResult> {
  const callId = wf.workflowInfo().workflowId;
  /** The line the call is on: the call's id on its first dial, another on each dial after a dead end. */
  let line = callId;
  let dials = 1;
  const answerTimeoutS = input.answerTimeoutS ?? DEFAULT_ANSWER_TIMEOUT_S;
  const status: CallStatus = {
    callId,
    company: input.company,
    phoneNumber: input.phoneNumber,
    phase: 'dialing',
    flow: input.flow,
    step: null,
    holdStartedAt: null,
    holdSeconds: 0,
    earlierHoldSeconds: 0,
    lastTranscript: null,
    outcome: null,
    reason: null,
    decisions: { rules: 0, model: 0 },
    dials: 1,
    deadEnds: 0,
    startedAt: new Date().toISOString(),
    endedAt: null,
  };
  let heldBeforeMs = 0;
  let holdingSince: number | null = null;
  let cancelReason: string | null = null;
  let connectNow = false;
  let interruptible: wf.CancellationScope | undefined;
  /** Whether the step under way only hears the line (a listen, a hold, a wait): one a person may break into. */
  let hearingOnly = false;
  const byHand: ByHand[] = [];

  const holdSeconds = () =>
    Math.round((heldBeforeMs + (holdingSince === null ? 0 : Date.now() - holdingSince)) / 1000);

  wf.setHandler(callStatusQuery, () => ({ ...status, holdSeconds: holdSeconds() }));
  wf.setHandler(cancelCallSignal, ({ reason }) => {
    cancelReason = reason ?? 'cancelled on request';
    interruptible?.cancel();
  });
  wf.setHandler(connectNowSignal, () => {
    connectNow = true;
    if (status.phase === 'navigating' || status.phase === 'holding') interruptible?.cancel();
  });

  /**
   * Keys and words sent by hand go out between steps: a step that only
   * hears the line is cut short for them and then heard again; a step that
   * acts on the line (keys of the flow, speech) finishes first.
   */
  function sendByHand(kind: ByHand['kind'], value: string): Promise<ByHandResult> {
    return new Promise((settle) => {
      byHand.push({ kind, value, settle });
      if (hearingOnly) interruptible?.cancel();
    });
  }
  // Refusals carry a type, so the API can tell a request at fault from a call that cannot take it now.
  const notOnLine = (message: string) =>
    wf.ApplicationFailure.create({ type: BY_HAND_NOT_ON_LINE, message, nonRetryable: true });
  const invalid = (message: string) =>
    wf.ApplicationFailure.create({ type: BY_HAND_INVALID, message, nonRetryable: true });
  function refuseByHandUnlessOnLine(): void {
    if (cancelReason !== null) throw notOnLine('the call is being cancelled');
    if (connectNow) throw notOnLine('the call is being handed to the user');
    if (status.phase !== 'navigating' && status.phase !== 'holding')
      throw notOnLine(
        `the call is ${status.phase}: keys and words go out while it navigates or holds`,
      );
  }
  wf.setHandler(sendDigitsUpdate, ({ digits }) => sendByHand('digits', digits), {
    validator: ({ digits }) => {
      let secrets: string[];
      try {
        secrets = secretNamesIn(digits);
      } catch (e) {
        if (e instanceof DtmfSyntaxError) throw invalid(`"${digits}" is not DTMF: ${e.message}`);
        throw e;
      }
      const missing = secrets.filter((name) => !input.secretNames.includes(name));
      if (missing.length > 0)
        throw invalid(
          `no secret ${missing.map((n) => `"${n}"`).join(', ')} was given with the call`,
        );
      refuseByHandUnlessOnLine();
    },
  });
  wf.setHandler(sayUpdate, ({ text }) => sendByHand('say', text), {
    validator: ({ text }) => {
      if (text.trim().length === 0) throw invalid('there is nothing to say');
      refuseByHandUnlessOnLine();
    },
  });

  /** Sends what people sent by hand, in order; each is told whether it went out. */
  async function sendWaitingByHand(): Promise<void> {
    while (byHand.length > 0) {
      const next = byHand.shift()!;
      try {
        if (next.kind === 'digits') await quick.sendDtmf({ callId: line, dtmf: next.value });
        else await quick.speak({ callId: line, text: next.value });
        next.settle({ sent: true, reason: null });
      } catch (e) {
        next.settle({ sent: false, reason: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  wf.upsertSearchAttributes([
    { key: CALL_COMPANY, value: input.company },
    { key: CALL_NUMBER, value: input.phoneNumber },
    { key: CALL_STATUS, value: status.phase },
    { key: CALL_FLOW, value: input.flow ? `${input.flow.id}@v${input.flow.version}` : 'none' },
  ]);
  let details = '';
  publishDetails();

  /**
   * Shows where the call is: as the workflow's current details (the UI's
   * pane, `temporal workflow metadata`) and in its memo (`temporal workflow
   * describe`, list views). The memo only changes when the text does.
   */
  function publishDetails(): void {
    const text = renderCurrentDetails(status);
    wf.setCurrentDetails(text);
    if (text !== details) {
      details = text;
      wf.upsertMemo({ details: text });
    }
  }

  function update(change: Partial<CallStatus>): void {
    const phaseBefore = status.phase;
    Object.assign(status, change, {
      holdSeconds: holdSeconds(),
      earlierHoldSeconds: Math.round(heldBeforeMs / 1000),
    });
    if (status.phase !== phaseBefore)
      wf.upsertSearchAttributes([{ key: CALL_STATUS, value: status.phase }]);
    publishDetails();
  }

  /**
   * Runs a step so that a cancel or connect-now signal can cut it short
   * (and, for a step that only hears the line, keys or words sent by hand).
   */
  async function interruptibly<T>(run: () => Promise<T>, hears = false): Promise<T | Interrupted> {
    if (byHand.length > 0 && status.phase !== 'dialing') await sendWaitingByHand();
    if (cancelReason !== null || (connectNow && status.phase !== 'dialing')) return INTERRUPTED;
    const scope = new wf.CancellationScope();
    interruptible = scope;
    hearingOnly = hears;
    try {
      return await scope.run(run);
    } catch (e) {
      if (
        wf.isCancellation(e) &&
        scope.consideredCancelled &&
        !wf.CancellationScope.current().consideredCancelled
      ) {
        if (byHand.length > 0) await sendWaitingByHand();
        return INTERRUPTED;
      }
      throw e;
    } finally {
      if (interruptible === scope) interruptible = undefined;
      hearingOnly = false;
    }
  }

  /** True when the step ran to its end, false when a signal cut it short. */
  async function completes(run: () => Promise<unknown>): Promise<boolean> {
    return (await interruptibly(run)) !== INTERRUPTED;
  }

  const quick = wf.proxyActivities<CallActivities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1s', maximumAttempts: 5 },
  });
  const dialer = wf.proxyActivities<CallActivities>({
    startToCloseTimeout: `${answerTimeoutS + 60}s`,
    retry: { initialInterval: '1s', maximumAttempts: 3 },
  });
  const lineWatcher = (timeoutS: number, heartbeatS: number) =>
    wf.proxyActivities<CallActivities>({
      startToCloseTimeout: `${timeoutS + 300}s`,
      scheduleToCloseTimeout: `${timeoutS + 900}s`,
      heartbeatTimeout: `${heartbeatS}s`,
      retry: { initialInterval: '1s', maximumInterval: '5s' },
    });

  async function transfer(step: FlowStep | undefined): Promise<CallResult> {
    update({ phase: 'transferring' });
    const device = transferDevice(step, input.userDevice);
    const result = await quick.transfer({ callId: line, device });
    if (!result.bridged) return ended('transfer-failed', result.reason);
    update({ phase: 'connected' });
    return ended('connected', null);
  }

  function ended(outcome: CallOutcome, reason: string | null): CallResult {
    return { outcome, reason, holdSeconds: holdSeconds() };
  }

  /**
   * Holds until a person speaks (or the line ends, or the longest hold
   * passes), then answers them at once so they stay while the user's phone
   * rings. 'person' when someone is there to bring the user to.
   */
  async function holdForPerson(step: FlowStep): Promise<CallResult | 'person' | Interrupted> {
    holdingSince = Date.now();
    update({ holdStartedAt: new Date().toISOString() });
    const heartbeatS = input.holdHeartbeatTimeoutS ?? DEFAULT_HOLD_HEARTBEAT_TIMEOUT_S;
    const known = knownRecordingsOf(step);
    const held = await interruptibly(
      () =>
        lineWatcher(step.timeout, heartbeatS).hold({
          callId: line,
          timeoutS: step.timeout,
          phoneNumber: input.phoneNumber,
          ...(known ? { known } : {}),
        }),
      true,
    );
    heldBeforeMs += held === INTERRUPTED ? Date.now() - holdingSince : held.heldMs;
    holdingSince = null;
    update({});
    if (held === INTERRUPTED) return INTERRUPTED;
    heardOnHold.push(held.heard);
    if (held.transcript) update({ lastTranscript: held.transcript });
    if (held.result === 'line-ended') return ended('dropped', 'the line ended while on hold');
    if (held.result === 'timeout')
      return ended('hold-timeout', `no person answered within ${step.timeout} s`);
    // Answer the person at once, so they stay on the line while the user's phone rings.
    if (wf.patched(GREET_AGENT_PATCH)) greetPerson(step);
    return 'person';
  }

  function greetPerson(step: FlowStep | undefined): void {
    const greeting =
      typeof step?.metadata.greeting === 'string' ? step.metadata.greeting : AGENT_GREETING;
    greeted = quick.speak({ callId: line, text: greeting }).catch(() => undefined);
  }

  /**
   * Finds the way through menus no flow describes: hears what the line
   * does, asks the navigator what to do at each prompt, does it, and
   * repeats until a hold or a person. A menu heard again after a choice
   * made there tells the navigator not to make it again (it goes back when
   * nothing is left); after too many steps, or too long a silence, the
   * call gives up and says why.
   */
  async function explore(first: LineHeard | undefined): Promise<CallResult> {
    // The number's known dead ends, read once per call: later dials add their own.
    if (deadEnds === undefined)
      deadEnds = wf.patched(REDIAL_PATCH)
        ? await quick.loadDeadEnds({ phoneNumber: input.phoneNumber })
        : [];
    const visits = new MenuVisits(deadEnds);
    const path: PathEntry[] = [];
    let pending = first;
    let silences = 0;
    for (let n = 0; n < MAX_EXPLORATION_STEPS;) {
      if (cancelReason !== null) return ended('cancelled', cancelReason);
      if (connectNow) return transfer(undefined);
      update({
        phase: 'navigating',
        step: { id: `explore-${n}`, type: 'LISTEN', description: 'hear the line' },
      });
      let heard: LineHeard;
      if (pending) {
        heard = pending;
        pending = undefined;
      } else {
        const got = await interruptibly(
          () =>
            lineWatcher(HEAR_TIMEOUT_S, 30).hearLine({ callId: line, timeoutS: HEAR_TIMEOUT_S }),
          true,
        );
        if (got === INTERRUPTED) continue;
        heard = got;
      }
      if (heard.transcript) update({ lastTranscript: heard.transcript });
      switch (heard.kind) {
        case 'line-ended': {
          // An entry (an account number) or a wait only followed the choice that led here.
          const last =
            [...path]
              .reverse()
              .find((p) => p.action.kind !== 'key-secret' && p.action.kind !== 'wait') ??
            path.at(-1);
          if (!last || !wf.patched(REDIAL_PATCH))
            return ended('dropped', 'the line ended while exploring its menus');
          return afterDeadEnd({
            menu: last.menu,
            action: last.action,
            ending: heard.transcript ? `hung up after "${clip(heard.transcript)}"` : 'hung up',
          });
        }
        case 'human':
          greetPerson(undefined);
          return transfer(undefined);
        case 'hold': {
          update({
            phase: 'holding',
            step: { id: `explore-hold-${n}`, type: 'HOLD', description: 'wait for a person' },
          });
          const held = await holdForPerson(exploredHoldStep());
          if (held === INTERRUPTED) continue;
          return held === 'person' ? transfer(undefined) : held;
        }
        case 'silence':
          silences += 1;
          if (silences >= MAX_SILENCES)
            return ended('navigation-failed', 'the line stayed silent: no menu to answer');
          continue;
        case 'prompt': {
          silences = 0;
          n += 1;
          const tried = visits.triedAt(heard.transcript);
          const heardBefore = visits.hearingsOf(heard.transcript);
          const knownDeadEnds = visits.deadEndsAt(heard.transcript);
          const decision = await quick.decide({
            callId: line,
            context: {
              transcript: heard.transcript,
              intent: input.intent,
              secretNames: input.secretNames,
              path: path.slice(-PATH_SHOWN),
              tried,
              ...(heardBefore.length > 0 ? { heardBefore } : {}),
              ...(knownDeadEnds.length > 0 ? { deadEnds: knownDeadEnds } : {}),
            },
          });
          const counts = status.decisions;
          update({
            decisions:
              decision.decidedBy === 'rules'
                ? { ...counts, rules: counts.rules + 1 }
                : { ...counts, model: counts.model + 1 },
          });
          const action = decision.action;
          if (
            action.kind === 'wait' &&
            tried.some((t) => t.kind === 'wait') &&
            decision.confidence < 0.5
          )
            return ended(
              'navigation-failed',
              `no way on from the menu "${clip(heard.transcript)}"`,
            );
          visits.record(heard.transcript, action, decision.hearAgain === true);
          path.push({ menu: heard.transcript, action });
          update({
            step: {
              id: `explore-${n}`,
              type: action.kind === 'say' ? 'SPEAK' : action.kind === 'wait' ? 'WAIT' : 'DTMF',
              description: describeAction(action),
            },
          });
          await completes(() => act(action));
          break;
        }
      }
    }
    return ended(
      'navigation-failed',
      `no person reached after ${MAX_EXPLORATION_STEPS} menu decisions`,
    );
  }

  /**
   * A way through the menus ended in a hang-up: it is recorded (this call's
   * next dial and later calls to the number avoid it) and, while dials are
   * left, the number is dialled again and explored afresh.
   */
  async function afterDeadEnd(deadEnd: DeadEnd): Promise<CallResult> {
    (deadEnds ??= []).push(deadEnd);
    update({ deadEnds: status.deadEnds + 1 });
    await quick.recordDeadEnd({
      callId: line,
      phoneNumber: input.phoneNumber,
      deadEnd,
      dial: dials,
    });
    const tried = `${describeAction(deadEnd.action)} at "${clip(deadEnd.menu)}" ${deadEnd.ending}`;
    if (dials >= MAX_DIALS)
      return ended('navigation-failed', `${dials} dials each met a dead end; the last: ${tried}`);
    dials += 1;
    line = lineIdFor(callId, dials);
    update({
      phase: 'dialing',
      dials,
      step: { id: `dial-${dials}`, type: 'DTMF', description: `dial again: ${tried}` },
    });
    const again = await interruptibly(() =>
      dialer.dial({ callId: line, to: input.phoneNumber, answerTimeoutS }),
    );
    if (again === INTERRUPTED) return ended('cancelled', cancelReason);
    if (again.outcome !== 'answered') return ended(again.outcome, null);
    update({ phase: 'navigating' });
    return explore(undefined);
  }

  function act(action: NavigatorAction): Promise<unknown> {
    const dtmf = dtmfOf(action);
    if (dtmf !== undefined) return quick.sendDtmf({ callId: line, dtmf });
    if (action.kind === 'say') return quick.speak({ callId: line, text: action.phrase });
    return Promise.resolve();
  }

  async function follow(steps: FlowStep[]): Promise<CallResult> {
    const byId = indexSteps(steps);
    let stepId: string | null = steps[0]?.id ?? null;
    for (let count = 0; stepId !== null; count++) {
      if (cancelReason !== null) return ended('cancelled', cancelReason);
      if (connectNow) return transfer(undefined);
      if (count >= MAX_STEPS_PER_CALL)
        return ended('failed', `the flow ran ${MAX_STEPS_PER_CALL} steps without ending: it loops`);
      const step: FlowStep = byId.get(stepId)!;
      const phase: CallPhase =
        step.type === 'HOLD' ? 'holding' : step.type === 'TRANSFER' ? 'transferring' : 'navigating';
      update({ phase, step: { id: step.id, type: step.type, description: step.description } });

      switch (step.type) {
        case 'TRANSFER':
          return transfer(step);
        case 'DTMF':
          if (!(await completes(() => quick.sendDtmf({ callId: line, dtmf: step.dtmf! }))))
            continue;
          stepId = step.next_step;
          break;
        case 'WAIT':
          if ((await interruptibly(() => wf.sleep(step.timeout * 1000), true)) === INTERRUPTED)
            continue;
          stepId = step.next_step;
          break;
        case 'SPEAK': {
          const { text, audio } = step.metadata;
          const said = {
            callId: line,
            ...(typeof text === 'string' ? { text } : {}),
            ...(typeof audio === 'string' ? { audio } : {}),
          };
          if (!(await completes(() => quick.speak(said)))) continue;
          stepId = step.next_step;
          break;
        }
        case 'LISTEN': {
          const patterns = step.conditions.map((c) => c.pattern);
          const expect =
            typeof step.metadata.expect === 'string' ? step.metadata.expect : undefined;
          const menu = typeof step.metadata.menu === 'string' ? step.metadata.menu : undefined;
          const heard = await interruptibly(
            () =>
              lineWatcher(step.timeout, 30).listen({
                callId: line,
                timeoutS: step.timeout,
                patterns,
                ...(expect ? { expect } : {}),
                ...(menu ? { menu } : {}),
                ...(step.dtmf ? { dtmf: step.dtmf } : {}),
              }),
            true,
          );
          if (heard === INTERRUPTED) continue;
          if (heard.transcript) update({ lastTranscript: heard.transcript });
          if (heard.endedBy === 'line-ended')
            return ended('dropped', `the line ended during step ${step.id}`);
          // The menu is not the one the flow knows: pressing its keys now would be a guess.
          if (heard.drifted && wf.patched(EXPLORE_PATCH))
            return explore({ kind: 'prompt', transcript: heard.transcript });
          const branch = branchFor(step, heard.transcript);
          if (branch) {
            stepId = branch;
            break;
          }
          if (
            step.dtmf &&
            !(await completes(() => quick.sendDtmf({ callId: line, dtmf: step.dtmf! })))
          ) {
            continue;
          }
          stepId = step.next_step;
          break;
        }
        case 'HOLD': {
          const held = await holdForPerson(step);
          if (held === INTERRUPTED) continue;
          if (held !== 'person') return held;
          if (step.next_step === null) return transfer(undefined);
          stepId = step.next_step;
          break;
        }
      }
    }
    return ended('flow-ended', 'the flow ended without bringing the user in');
  }

  let answered = false;
  let deadEnds: DeadEnd[] | undefined;
  let result: CallResult;
  let greeted: Promise<unknown> = Promise.resolve();
  const heardOnHold: RecordingsHeard[] = [];
  try {
    const steps = input.flow
      ? await quick.loadFlowSteps({ flowId: input.flow.id, version: input.flow.version })
      : holdOnlyPlan(DEFAULT_HOLD_TIMEOUT_S);
    const dial = await interruptibly(() =>
      dialer.dial({ callId: line, to: input.phoneNumber, answerTimeoutS }),
    );
    if (dial === INTERRUPTED) result = ended('cancelled', cancelReason);
    else if (dial.outcome !== 'answered') result = ended(dial.outcome, null);
    else {
      answered = true;
      result =
        input.flow === null && wf.patched(EXPLORE_PATCH)
          ? await explore(undefined)
          : await follow(steps);
    }
  } catch (e) {
    if (wf.isCancellation(e))
      result = ended('cancelled', cancelReason ?? 'the workflow was cancelled');
    else if (
      e instanceof wf.ActivityFailure &&
      e.cause instanceof wf.ApplicationFailure &&
      e.cause.type === LINE_ENDED
    ) {
      result = ended('dropped', e.cause.message);
    } else result = ended('failed', e instanceof Error ? e.message : String(e));
  }

  await wf.CancellationScope.nonCancellable(async () => {
    await greeted;
    if (answered && result.outcome !== 'connected') {
      await quick.hangup({ callId: line }).catch(() => undefined);
    }
    await quick.recordOutcome({
      callId: line,
      outcome: result.outcome,
      reason: result.reason,
      decisions: status.decisions,
      holdSeconds: result.holdSeconds,
    });
    if (heardOnHold.length > 0 && wf.patched(REMEMBER_RECORDINGS_PATCH)) {
      for (const heard of heardOnHold) {
        await quick
          .rememberRecordings({ phoneNumber: input.phoneNumber, heard })
          .catch(() => undefined);
      }
    }
  });
  for (const waiting of byHand.splice(0))
    waiting.settle({
      sent: false,
      reason: `the call moved on (${result.outcome}) before it went out`,
    });
  update({
    phase: 'ended',
    outcome: result.outcome,
    reason: result.reason,
    endedAt: new Date().toISOString(),
  });
  return result;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The hold an exploring call enters when music or ringback starts: the longest hold, the line's recordings as earlier calls heard them. */
function exploredHoldStep(): FlowStep {
  return holdOnlyPlan(DEFAULT_HOLD_TIMEOUT_S)[0]!;
}
