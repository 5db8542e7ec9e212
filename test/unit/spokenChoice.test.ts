import alawmulaw from 'alawmulaw';
import { SpokenChoices } from '../../carrier/sip/spokenChoice.js';
import { EspeakSynthesizer } from '../../media/speech/espeak.js';
import { describeWith } from '../support/services.js';

const CHOICES = ['billing', 'technical support', 'upgrade', 'agent'];

/** As the carrier hears a caller: µ-law over RTP, with some silence either side. */
function overTheLine(samples: Int16Array): Int16Array {
  const padded = new Int16Array(samples.length + 8000);
  padded.set(samples, 2400);
  return alawmulaw.mulaw.decode(alawmulaw.mulaw.encode(padded));
}

describeWith(['sounds'], "the carrier's ear for a SIP caller's spoken choice", () => {
  const tts = new EspeakSynthesizer();
  const ear = new SpokenChoices(tts);
  const said = async (text: string) => overTheLine((await tts.synthesize(text, 8000)).samples);

  afterAll(() => tts.close());

  it.each(CHOICES)(
    'hears "%s" among the menu\'s choices',
    async (choice) => {
      expect(await ear.recognise(await said(choice), CHOICES)).toBe(choice);
    },
    30_000,
  );

  it('hears a choice inside a longer sentence, and nothing in speech that offers none', async () => {
    expect(await ear.recognise(await said('technical support please'), CHOICES)).toBe(
      'technical support',
    );
    expect(await ear.recognise(await said('my order never arrived'), CHOICES)).toBe('');
    expect(await ear.recognise(await said('billing'), [])).toBe('');
  }, 30_000);
});
