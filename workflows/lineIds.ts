/**
 * A call may dial more than once (a way through the menus hung up: it
 * dials again and avoids it). Each dial is a line of its own at the media
 * server, named after the call: the first is the call's id, so calls that
 * dialled once look as they always did; a later one is `<call id>.dial<n>`.
 * Events, secrets and the call's record stay the call's.
 */
const DIAL_SUFFIX = /\.dial(\d+)$/;

export function lineIdFor(callId: string, dial: number): string {
  return dial <= 1 ? callId : `${callId}.dial${dial}`;
}

/** The call a line belongs to. */
export function callIdOfLine(lineId: string): string {
  return lineId.replace(DIAL_SUFFIX, '');
}
