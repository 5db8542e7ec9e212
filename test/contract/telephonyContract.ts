import { randomUUID } from 'node:crypto';
import type { CallLeg, TelephonyPort } from '../../media/telephony/callLeg.js';

/** What a contract run needs of the line behind the port. */
export interface TelephonyTarget {
  port: TelephonyPort;
  /** A number that answers and keeps talking, also after the keys 1 and #. */
  answering: string;
  /** A number that is busy. */
  busy: string;
  /** A device that picks up when the call is bridged to it. */
  userDevice: string;
}

function firstFrame(leg: CallLeg, timeoutMs = 10_000): Promise<Int16Array> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no audio from the far end')), timeoutMs);
    const onAudio = (frame: Int16Array) => {
      clearTimeout(timer);
      leg.off('audio', onAudio);
      resolve(frame);
    };
    leg.on('audio', onAudio);
  });
}

/**
 * What every adapter of the telephony port must do, whatever carries the
 * call: the workflow's activities rely on exactly this.
 */
export function telephonyContract(target: () => TelephonyTarget): void {
  const callId = () => `contract-${randomUUID()}`;

  it('dials a number that answers, and hears it in 20 ms frames at its rate', async () => {
    const { port, answering } = target();
    const leg = await port.dial({ callId: callId(), to: answering });
    expect(await leg.waitForAnswer(15_000)).toBe('answered');
    const frame = await firstFrame(leg);
    expect(frame.length).toBe(leg.sampleRate / 50);
    await leg.hangup();
  });

  it('reports a busy line as busy', async () => {
    const { port, busy } = target();
    const leg = await port.dial({ callId: callId(), to: busy });
    expect(await leg.waitForAnswer(15_000)).toBe('busy');
  });

  it('sends keys and speech, bridges the user in, and hangs up', async () => {
    const { port, answering, userDevice } = target();
    const leg = await port.dial({ callId: callId(), to: answering });
    try {
      expect(await leg.waitForAnswer(15_000)).toBe('answered');
      await leg.sendDtmf('1#');
      await leg.speak(
        { sampleRate: leg.sampleRate, samples: new Int16Array(leg.sampleRate / 5) },
        'hello',
      );
      await leg.bridge(userDevice);
      expect(leg.bridged).toBe(true);
      const ended = new Promise<string>((resolve) =>
        leg.on('state', (state) => {
          if (state === 'ended') resolve(state);
        }),
      );
      await leg.hangup();
      expect(await ended).toBe('ended');
    } finally {
      // A failed step leaves the call up, and its socket would keep the run from ending.
      if (leg.state !== 'ended') await leg.hangup().catch(() => undefined);
    }
  });

  it('finds the same call again by its id after letting go of it', async () => {
    const { port, answering } = target();
    const id = callId();
    const first = await port.dial({ callId: id, to: answering });
    expect(await first.waitForAnswer(15_000)).toBe('answered');
    first.detach();
    expect(first.attached).toBe(false);
    const again = await port.attach(id);
    expect(again.state).toBe('answered');
    await firstFrame(again);
    await again.hangup();
  });

  it('refuses to attach to a call it does not have', async () => {
    await expect(target().port.attach(callId())).rejects.toThrow(/no call/);
  });
}
