import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readTruth, summarizeTruth } from '../../carrier/call/truthSummary.js';
import { EspeakSynthesizer } from '../../media/speech/espeak.js';
import type { CallLeg, LineCaption } from '../../media/telephony/callLeg.js';
import { SimTelephony } from '../../media/telephony/sim/simTelephony.js';
import { SimUserPhone } from '../../media/telephony/sim/simUserPhone.js';
import { startCarrierProcess, type CarrierProcess } from '../../runtime/carrierProcess.js';
import { describeWith } from '../support/services.js';

/** Resolves with the first final caption that matches, as a caller's recogniser would hear it. */
function hear(leg: CallLeg, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`never heard ${pattern}`)), timeoutMs);
    const onCaption = (c: LineCaption) => {
      if (!c.final || !pattern.test(c.text)) return;
      clearTimeout(timer);
      leg.off('caption', onCaption);
      resolve(c.text);
    };
    leg.on('caption', onCaption);
  });
}

describeWith(['sounds'], 'the simulated carrier, over its protocol', () => {
  let carrier: CarrierProcess;
  let port: SimTelephony;
  const tts = new EspeakSynthesizer();
  const truthDir = path.join(mkdtempSync(path.join(tmpdir(), 'carrier-')), 'truth');

  beforeAll(async () => {
    carrier = await startCarrierProcess({
      scenarios: [path.resolve('scenarios')],
      truthDir,
      logFile: path.join(truthDir, '..', 'carrier.log'),
    });
    port = new SimTelephony(carrier.url);
  }, 60_000);
  afterAll(async () => {
    await carrier.stop();
    await tts.close();
  });

  const truth = async (id: string) =>
    summarizeTruth(await readTruth(path.join(truthDir, `${id}.jsonl`)));

  it('recognises a spoken choice from the caller, and logs what was said', async () => {
    const id = `speech-${randomUUID()}`;
    const leg = await port.dial({ callId: id, to: '+15125550177' });
    expect(await leg.waitForAnswer(10_000)).toBe('answered');
    await hear(leg, /tell me the reason for your call/);
    await leg.speak(await tts.synthesize('billing please', leg.sampleRate), 'billing please');
    await hear(leg, /^Billing\. To make a payment/);
    await leg.hangup();
    const summary = await truth(id);
    expect(summary.speech).toEqual(['billing please']);
    expect(summary.reached).toBe('billing');
    expect(summary.hangup?.by).toBe('caller');
  }, 60_000);

  it('says a key is not valid and plays the menu again', async () => {
    const id = `invalid-${randomUUID()}`;
    const leg = await port.dial({ callId: id, to: '+18005550100' });
    await leg.waitForAnswer(10_000);
    await hear(leg, /This call may be recorded/);
    await leg.sendDtmf('7');
    await hear(leg, /Sorry, I didn't get that/);
    await hear(leg, /For account balances, press 1/);
    await leg.hangup();
    expect((await truth(id)).digits).toEqual(['7']);
  }, 60_000);

  it('keeps a call when its caller lets go, and lets another caller attach to it', async () => {
    const id = `attach-${randomUUID()}`;
    const first = await port.dial({ callId: id, to: '+18005550100' });
    await first.waitForAnswer(10_000);
    first.detach();
    const again = await port.dial({ callId: id, to: '+18005550100' });
    const second = await port.attach(id);
    expect(second.state).toBe('answered');
    const frames = await new Promise<number>((resolve) => {
      let n = 0;
      second.on('audio', () => {
        n += 1;
        if (n === 25) resolve(n);
      });
    });
    expect(frames).toBe(25);
    again.detach();
    await second.hangup();
    const lines = await readTruth(path.join(truthDir, `${id}.jsonl`));
    // Dialled twice with one id, placed once.
    expect(lines.filter((l) => l.ev === 'call')).toHaveLength(1);
  }, 60_000);

  it("rings the user's own phone over the same protocol, which then hears the call", async () => {
    const phone = await SimUserPhone.connect(carrier.url, 'sim:alice', { answerAfterMs: 300 });
    const id = `phone-${randomUUID()}`;
    const leg = await port.dial({ callId: id, to: '+18005550100' });
    await leg.waitForAnswer(10_000);
    await leg.bridge('sim:alice');
    expect(phone.rings).toEqual([id]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(phone.framesHeard).toBeGreaterThan(30);
    const silent = await SimUserPhone.connect(carrier.url, 'sim:bob', { answerAfterMs: null });
    const other = await port.dial({ callId: `phone-${randomUUID()}`, to: '+18005550100' });
    await other.waitForAnswer(10_000);
    // Bob never picks up: after the carrier's 30 s the bridge fails, and the call is still the caller's.
    await expect(other.bridge('sim:bob')).rejects.toThrow(/no-answer/);
    expect(other.state).toBe('answered');
    await Promise.all([leg.hangup(), other.hangup()]);
    phone.close();
    silent.close();
    expect((await truth(id)).bridgedTo).toBe('sim:alice');
  }, 60_000);

  it('refuses a message that breaks the protocol, naming the field', async () => {
    await expect(port.attach('no-such-call')).rejects.toThrow(/no call no-such-call/);
    const leg = await port.dial({ callId: `bad-${randomUUID()}`, to: '+13035550123' });
    await expect(leg.sendDtmf('12x')).rejects.toThrow(/digits/);
    expect(await leg.waitForAnswer(10_000)).toBe('busy');
  }, 30_000);
});
