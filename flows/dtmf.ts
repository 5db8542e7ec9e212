/**
 * The DTMF notation of call flow steps: digits 0-9, `*`, `#`, A-D, `w` for a
 * half-second pause, and `{secret:NAME}` for a value the caller gave with the
 * call (an account number, say) that must never be written into a flow or a
 * workflow history in clear.
 */
export type DtmfToken =
  | { kind: 'digits'; digits: string }
  | { kind: 'pause'; ms: number }
  | { kind: 'secret'; name: string };

export const PAUSE_MS = 500;
const SECRET_NAME = /^[a-z][a-z0-9_]{0,63}$/;

export class DtmfSyntaxError extends Error {}

export function parseDtmf(text: string): DtmfToken[] {
  const tokens: DtmfToken[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/[0-9*#A-D]/.test(ch)) {
      const last = tokens[tokens.length - 1];
      if (last?.kind === 'digits') last.digits += ch;
      else tokens.push({ kind: 'digits', digits: ch });
      i += 1;
    } else if (ch === 'w') {
      tokens.push({ kind: 'pause', ms: PAUSE_MS });
      i += 1;
    } else if (ch === '{') {
      const end = text.indexOf('}', i);
      if (end < 0) throw new DtmfSyntaxError(`unclosed "{" at position ${i}`);
      const inner = text.slice(i + 1, end);
      const match = /^secret:(.*)$/.exec(inner);
      if (!match || !SECRET_NAME.test(match[1]!)) {
        throw new DtmfSyntaxError(`"{${inner}}" is not a secret reference like {secret:account}`);
      }
      tokens.push({ kind: 'secret', name: match[1]! });
      i = end + 1;
    } else {
      throw new DtmfSyntaxError(
        `"${ch}" at position ${i} is not a DTMF key (0-9, *, #, A-D), a pause (w) or {secret:NAME}`,
      );
    }
  }
  if (tokens.length === 0) throw new DtmfSyntaxError('no digits');
  if (!tokens.some((t) => t.kind !== 'pause')) throw new DtmfSyntaxError('only pauses, no digits');
  return tokens;
}

/** Names of the secrets a DTMF string refers to. */
export function secretNamesIn(text: string): string[] {
  return parseDtmf(text).flatMap((t) => (t.kind === 'secret' ? [t.name] : []));
}
