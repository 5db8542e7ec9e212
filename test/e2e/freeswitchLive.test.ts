import { SimTelephony } from '../../media/telephony/sim/simTelephony.js';
import { telephonyContract } from '../contract/telephonyContract.js';
import { describeWith, required, testServices } from '../support/services.js';

/**
 * The telephony port contract against a real gateway, drachtio-server,
 * FreeSWITCH and SIP trunk (the compose stack's `sip` profile): real calls
 * to the numbers named, so it runs only when they are.
 */
describeWith(['gateway'], 'the telephony port on a live FreeSWITCH gateway and SIP trunk', () => {
  // Read when a test runs: a skipped suite's body still runs, and has no gateway to read.
  const target = () => {
    const live = required(testServices().liveGateway, 'a live gateway');
    return {
      port: new SimTelephony(live.url),
      answering: live.answering,
      busy: live.busy,
      userDevice: live.userDevice,
    };
  };
  telephonyContract(target);
});
