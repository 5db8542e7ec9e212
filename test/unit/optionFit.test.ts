import { similarities } from '../../navigator/lexicon/sentenceEncoder.js';
import { chances } from '../../navigator/meaning/fitModel.js';
import { meaningOf } from '../../navigator/meaning/meaning.js';
import { confidenceOf, rankOptions } from '../../navigator/optionRanking.js';
import type { MenuOption } from '../../navigator/menuModel.js';

const option = (keys: string, label: string, kind: MenuOption['kind'] = 'choice'): MenuOption => ({
  keys,
  label,
  kind,
  by: 'dtmf',
});

describe('how options are weighed', () => {
  it('gives chances that sum to one and keep the order of the scores', () => {
    const p = chances([2, 0.5, -1]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(p[0]).toBeGreaterThan(p[1]!);
    expect(p[1]).toBeGreaterThan(p[2]!);
    expect(chances([1000, 0])[0]).toBeCloseTo(1, 10);
  });

  it('hears sentences near in meaning where they share no word, offline', async () => {
    const [refill, shots, hours] = await similarities('I want to get a flu shot this afternoon', [
      'refill a prescription',
      'vaccinations and immunizations',
      'store hours',
    ]);
    expect(shots).toBeGreaterThan(refill!);
    expect(shots).toBeGreaterThan(hours!);
    const [outage, billing] = await similarities(
      'the breakers are fine but nothing in the house has power',
      ['report an outage', 'billing and payments'],
    );
    expect(outage).toBeGreaterThan(billing!);
  });

  it('is surer of a clear winner than of a near tie, and never certain', async () => {
    const clear = await rankOptions('dispute a charge on my credit card', [
      option('1', 'account balances'),
      option('2', 'store hours and locations'),
      option('3', 'dispute a charge'),
    ]);
    const tie = await rankOptions('my home service', [
      option('1', 'home phone'),
      option('2', 'home internet'),
    ]);
    expect(clear[0]!.option.keys).toBe('3');
    expect(confidenceOf(clear)).toBeGreaterThan(confidenceOf(tie));
    expect(confidenceOf(clear)).toBeLessThan(1);
    // A menu of one option has a chance of 1 among its options: its score says how sure.
    const lone = await rankOptions('dispute a charge on my credit card', [
      option('1', 'directions'),
    ]);
    expect(confidenceOf(lone)).toBeLessThan(0.5);
  });

  it('sets aside what the caller says it is not about, but keeps the trouble a negation tells', () => {
    const aside = meaningOf('I left my glasses at the front checkout, not the pharmacy counter');
    expect(aside.unwanted.has('pharmacy')).toBe(true);
    expect(aside.words.map((w) => w.word)).not.toContain('pharmacy');
    expect(
      meaningOf('no accident or anything, the engine light is on').unwanted.has('accident'),
    ).toBe(true);
    const trouble = meaningOf('my router is not working and I have no internet');
    expect(trouble.words.map((w) => w.word)).toEqual(
      expect.arrayContaining(['working', 'internet']),
    );
    expect(meaningOf("if you're not a current customer yet").unwanted.size).toBe(0);
  });

  it("takes an option's errand from what it is for, not from its examples", () => {
    const dispute = meaningOf('To dispute a purchase, for example if you returned an item');
    expect(dispute.departments.has('returns')).toBe(true);
    expect(dispute.errands.has('returns')).toBe(false);
    expect(meaningOf('To start a return').errands.has('returns')).toBe(true);
  });

  it('reads the department the caller says they want as the errand, not its background', () => {
    const m = meaningOf('the package I ordered arrived broken and I want to send it back');
    expect(m.departments.has('orders')).toBe(true);
    expect([...m.wished]).toEqual(['returns']);
  });
});
