import { loadDeadEndsActivity, recordDeadEndActivity } from './deadEnds.js';
import { decideActivity } from './decide.js';
import { dialActivity } from './dial.js';
import type { ActivityDeps } from './deps.js';
import { hangupActivity } from './hangup.js';
import { hearLineActivity } from './hearLine.js';
import { holdActivity } from './hold.js';
import { listenActivity } from './listen.js';
import {
  loadFlowStepsActivity,
  recordOutcomeActivity,
  rememberRecordingsActivity,
} from './records.js';
import { sendDtmfActivity } from './sendDtmf.js';
import { speakActivity } from './speak.js';
import { transferActivity } from './transfer.js';
import type { CallActivities } from './types.js';

export type { ActivityDeps } from './deps.js';

export function createActivities(deps: ActivityDeps): CallActivities {
  return {
    loadFlowSteps: loadFlowStepsActivity(deps),
    dial: dialActivity(deps),
    sendDtmf: sendDtmfActivity(deps),
    listen: listenActivity(deps),
    hold: holdActivity(deps),
    hearLine: hearLineActivity(deps),
    decide: decideActivity(deps),
    speak: speakActivity(deps),
    transfer: transferActivity(deps),
    hangup: hangupActivity(deps),
    recordOutcome: recordOutcomeActivity(deps),
    rememberRecordings: rememberRecordingsActivity(deps),
    loadDeadEnds: loadDeadEndsActivity(deps),
    recordDeadEnd: recordDeadEndActivity(deps),
  };
}
