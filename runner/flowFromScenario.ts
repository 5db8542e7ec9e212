import type { FlowDefinitionInput, FlowStepInput } from '../flows/model.js';
import type { Clip, Scenario, ScenarioNode } from '../carrier/scenario/schema.js';
import { shortestPath, type Edge } from './scenarioPath.js';

/** Extra time a generated HOLD allows beyond the queue's longest wait. */
const HOLD_MARGIN_S = 300;

/**
 * The flow a person who knew the scenario would write: the keys (or words)
 * along the shortest path to the expected agent, the secrets keyed from the
 * call's own, a hold, and the transfer. It is what a learned flow should
 * converge to, so running it measures how well calls follow flows.
 */
export function flowFromScenario(
  scenario: Scenario,
  /** What recorded prompts say (from the sound library's captions), to know them on hold. */
  soundCaptions: ReadonlyMap<string, string> = new Map(),
): FlowDefinitionInput {
  const steps: FlowStepInput[] = [];
  const path = scenario.task.expect ? shortestPath(scenario, scenario.task.expect) : undefined;
  let n = 0;
  const add = (step: Omit<FlowStepInput, 'id' | 'next_step'>) => {
    n += 1;
    steps.push({ id: `s${n}-${step.type.toLowerCase()}`, ...step });
  };
  let held = false;
  // Prompts heard since the last step: a LISTEN hears them with its menu.
  let heard: string[] = [];
  for (const { from, edge } of path ?? []) {
    const node = scenario.nodes[from]!;
    const expect = closingWords(node);
    if ('play' in node && node.play) heard.push(...captionsOf(node.play, soundCaptions));
    const listen = (description: string, dtmf?: string) => {
      const menu = heard.join(' ');
      heard = [];
      add({
        type: 'LISTEN',
        description,
        timeout: 90,
        ...(dtmf ? { dtmf } : {}),
        metadata: { ...(expect ? { expect } : {}), ...(menu ? { menu } : {}) },
      });
    };
    switch (edge.move.kind) {
      case 'none':
        break;
      case 'dtmf':
        listen(`${from}: press ${edge.move.keys} for ${edge.to}`, edge.move.keys);
        break;
      case 'speak':
        listen(`${from}: a menu that takes speech`);
        add({
          type: 'SPEAK',
          description: `${from}: say "${edge.move.phrase}"`,
          metadata: { text: edge.move.phrase },
        });
        break;
      case 'wait':
        listen(`${from}: heard out`);
        add({
          type: 'WAIT',
          description: `${from}: let it time out to ${edge.to}`,
          timeout: edge.move.seconds,
        });
        break;
      case 'hold': {
        // What a flow learned from an earlier call knows: the words of everything the hold plays.
        const openings = heardWhileHolding(scenario, path!, soundCaptions);
        add({
          type: 'HOLD',
          description: `${from}: the queue`,
          timeout: edge.move.seconds + HOLD_MARGIN_S,
          metadata: { recordings: { openings } },
        });
        held = true;
        break;
      }
    }
  }
  // An agent reached straight from a menu still has to be heard picking up.
  if (!held) {
    // Nothing recorded plays between the last key and the person.
    const openings = path ? heardWhileHolding(scenario, path, soundCaptions) : [];
    add({
      type: 'HOLD',
      description: 'wait for a person',
      timeout: 600,
      metadata: { recordings: { openings } },
    });
  }
  add({ type: 'TRANSFER', description: 'bring the user in' });
  const linked = steps.map((s, i) => ({ ...s, next_step: steps[i + 1]?.id ?? null }));
  return {
    name: `${scenario.company}: ${scenario.task.expect ?? scenario.task.expectOutcome}`,
    company: scenario.company,
    phone_number: scenario.number,
    description: scenario.task.intent,
    tags: ['scenario-runner', scenario.id],
    steps: linked,
  };
}

/** The last spoken words a node plays: a listening step knows its prompt is over when it hears them. */
function closingWords(node: ScenarioNode): string | undefined {
  const play: Clip[] = 'play' in node && node.play ? node.play : [];
  const spoken = play.filter((c): c is Extract<Clip, { say: string }> => 'say' in c);
  const last = spoken.at(-1);
  // Only when the node's last clip is that speech: a recording or music after it would still be playing.
  return last && play.at(-1) === last ? last.say : undefined;
}

/**
 * The spoken clips a caller hears from its last key or word until the
 * agent: prompts on the way, the queue's announcements and callback offers.
 */
function heardWhileHolding(
  scenario: Scenario,
  path: { from: string; edge: Edge }[],
  soundCaptions: ReadonlyMap<string, string>,
): string[] {
  const lastAction = path.findLastIndex(
    (p) => p.edge.move.kind !== 'none' && p.edge.move.kind !== 'hold',
  );
  const clips: Clip[] = [];
  for (const { from } of path.slice(lastAction + 1)) {
    const node = scenario.nodes[from]!;
    if (node.type === 'prompt') clips.push(...node.play);
    if (node.type === 'queue')
      clips.push(...(node.announce?.play ?? []), ...(node.callback?.play ?? []));
  }
  return captionsOf(clips, soundCaptions);
}

/** What clips say, as a recogniser hears them. */
function captionsOf(clips: Clip[], soundCaptions: ReadonlyMap<string, string>): string[] {
  return clips.flatMap((clip) => {
    if ('say' in clip) return [clip.say];
    if ('sound' in clip) {
      const caption = clip.caption ?? soundCaptions.get(clip.sound);
      return caption ? [caption] : [];
    }
    return 'file' in clip && clip.caption ? [clip.caption] : [];
  });
}
