import { MAX_DIALS, type CallStatus } from './definitions.js';

/** The call, as the Temporal UI shows it in a workflow's "current details" (Markdown). */
export function renderCurrentDetails(status: CallStatus): string {
  const lines = [`**${status.company}** (${status.phoneNumber}): **${status.phase}**`];
  if (status.step)
    lines.push(
      `Step \`${status.step.id}\` ${status.step.type}${status.step.description ? `: ${status.step.description}` : ''}`,
    );
  if (status.phase === 'holding' && status.holdStartedAt)
    lines.push(`On hold since ${status.holdStartedAt}`);
  else if (status.holdSeconds > 0) lines.push(`Held ${status.holdSeconds} s`);
  if (status.lastTranscript) lines.push(`Last heard: "${truncate(status.lastTranscript, 200)}"`);
  const decided = status.decisions.rules + status.decisions.model;
  lines.push(
    status.flow
      ? `Flow ${status.flow.id} v${status.flow.version}`
      : decided > 0
        ? `No flow: exploring (${decided} menu decisions)`
        : 'No flow',
  );
  if (status.dials > 1)
    lines.push(
      `Dial ${status.dials} of ${MAX_DIALS}: ${status.deadEnds} dead end${status.deadEnds === 1 ? '' : 's'} met and avoided`,
    );
  else if (status.deadEnds > 0) lines.push(`${status.deadEnds} dead end met`);
  if (status.outcome)
    lines.push(`Outcome: **${status.outcome}**${status.reason ? ` (${status.reason})` : ''}`);
  return lines.join('\n\n');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
