/** How a connection to Deepgram ended, or never opened. */
export type ConnectionEnd =
  /** Deepgram answered the upgrade with an HTTP error. */
  | { kind: 'refused'; status: number; reason: string; requestId: string | undefined }
  /** The websocket closed: Deepgram's close frame, or 1006 when the line simply went. */
  | { kind: 'closed'; code: number; reason: string }
  /** The network failed or the connection timed out. */
  | { kind: 'failed'; message: string };

/** Statuses that a moment's wait can change: overload, rate limits, a timed-out request. */
const TRANSIENT_STATUSES = new Set([408, 425, 429]);

/**
 * Whether trying again could help. A refused key or bad parameters will be
 * refused again; so will audio Deepgram cannot decode (close 1008, or a
 * DATA- reason). Network faults, server errors and timeouts may pass.
 */
export function isPermanent(end: ConnectionEnd): boolean {
  switch (end.kind) {
    case 'refused':
      return end.status >= 400 && end.status < 500 && !TRANSIENT_STATUSES.has(end.status);
    case 'closed':
      return end.code === 1008 || end.reason.startsWith('DATA-');
    case 'failed':
      return false;
  }
}

export function describeEnd(end: ConnectionEnd): string {
  switch (end.kind) {
    case 'refused': {
      const what =
        end.status === 401
          ? 'Deepgram rejected the API key'
          : end.status === 403
            ? 'Deepgram denied access'
            : end.status === 400
              ? 'Deepgram rejected the request'
              : 'Deepgram refused the stream';
      const id = end.requestId ? ` (request ${end.requestId})` : '';
      return `${what} (HTTP ${end.status}): ${end.reason || 'no reason given'}${id}`;
    }
    case 'closed':
      return end.code === 1006
        ? 'the connection to Deepgram dropped (1006)'
        : `Deepgram closed the stream (${end.code}${end.reason ? ` ${end.reason}` : ''})`;
    case 'failed':
      return `the connection to Deepgram failed: ${end.message}`;
  }
}
