import type { CallLeg, TelephonyPort } from '../../media/telephony/callLeg.js';
import { SimTelephony } from '../../media/telephony/sim/simTelephony.js';
import { telephonyContract } from '../contract/telephonyContract.js';
import { describeWith, required, testServices } from '../support/services.js';

/**
 * The telephony port contract against a real gateway, drachtio-server,
 * FreeSWITCH and SIP trunk (the compose stack's `sip` profile, or the
 * simulated carrier's SIP face as the trunk): real calls to the numbers
 * named, so it runs only when they are.
 */
describeWith(['gateway'], 'the telephony port on a live FreeSWITCH gateway and SIP trunk', () => {
  // The gateway keeps an ended call's socket open for reading how it ended: let go of each leg here.
  const legs: CallLeg[] = [];
  let port: TelephonyPort | undefined;
  afterAll(() => {
    for (const leg of legs) if (leg.attached) leg.detach();
  });

  // Read when a test runs: a skipped suite's body still runs, and has no gateway to read.
  const target = () => {
    const live = required(testServices().liveGateway, 'a live gateway');
    if (!port) {
      const line = new SimTelephony(live.url);
      const kept = async (leg: Promise<CallLeg>) => {
        legs.push(await leg);
        return legs.at(-1)!;
      };
      port = {
        sampleRate: line.sampleRate,
        dial: (request) => kept(line.dial(request)),
        attach: (callId) => kept(line.attach(callId)),
        close: () => line.close(),
      };
    }
    return { port, answering: live.answering, busy: live.busy, userDevice: live.userDevice };
  };
  telephonyContract(target);
});
