import type { FlowStep } from '../flows/model.js';

/**
 * A flow's change as lines a person can read: "+" a step added, "-" one
 * removed, "~" a field of a step changed (before → after).
 */
export function diffSteps(before: FlowStep[] | undefined, after: FlowStep[]): string[] {
  const old = new Map((before ?? []).map((s) => [s.id, s]));
  const now = new Map(after.map((s) => [s.id, s]));
  const lines: string[] = [];
  for (const step of after) {
    const was = old.get(step.id);
    if (!was) {
      lines.push(`+ ${step.id} ${summary(step)}`);
      continue;
    }
    const before = fields(was);
    for (const [field, value] of Object.entries(fields(step))) {
      const previous = before[field];
      if (previous !== value)
        lines.push(`~ ${step.id} ${field}: ${previous ?? '(none)'} → ${value ?? '(none)'}`);
    }
  }
  for (const step of before ?? [])
    if (!now.has(step.id)) lines.push(`- ${step.id} ${summary(step)}`);
  return lines;
}

function summary(step: FlowStep): string {
  const f = fields(step);
  return [
    step.type,
    f.dtmf && `dtmf ${f.dtmf}`,
    f.text && `say ${f.text}`,
    f.menu && `hearing ${f.menu}`,
  ]
    .filter(Boolean)
    .join(', ');
}

/** The fields of a step worth showing, as short text. */
function fields(step: FlowStep): Record<string, string | undefined> {
  const { menu, expect, text, recordings } = step.metadata;
  const heard = recordings as { fingerprints?: unknown[]; openings?: unknown[] } | undefined;
  return {
    type: step.type,
    dtmf: step.dtmf,
    timeout: String(step.timeout),
    next_step: step.next_step ?? undefined,
    conditions:
      step.conditions.length > 0
        ? step.conditions.map((c) => `/${c.pattern}/ → ${c.next_step}`).join('; ')
        : undefined,
    menu: typeof menu === 'string' ? quote(menu) : undefined,
    expect: typeof expect === 'string' ? quote(expect) : undefined,
    text: typeof text === 'string' ? quote(text) : undefined,
    recordings: heard
      ? `${heard.fingerprints?.length ?? 0} fingerprints, ${heard.openings?.length ?? 0} openings`
      : undefined,
  };
}

function quote(text: string): string {
  return `"${text.length > 70 ? `${text.slice(0, 67)}...` : text}"`;
}

/** Whether two versions' steps are the same, whatever order their fields were stored in (jsonb sorts them). */
export function sameSteps(a: FlowStep[] | undefined, b: FlowStep[] | undefined): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}
