import { wordsOf } from '../../flows/promptMatch.js';
import { KnownOpenings, sameWord } from '../../media/analysis/openingFollower.js';
import { DEFAULT_FALSE_TRANSFER_BUDGET, weigh } from '../../media/analysis/personEvidence.js';
import { RecordingTally } from '../../media/analysis/recordingTally.js';

const words = (text: string) => wordsOf(text);

describe('known openings', () => {
  const openings = new KnownOpenings([
    'Hi there! Thanks so much for waiting. All of our team members are still helping other customers.',
  ]);

  it('follows the words of a recording, one misheard or dropped now and then', () => {
    expect(openings.follows(words('Hi there, thanks so much'))).toBe(true);
    expect(openings.follows(words('hi there thanks so much for wading all of our'))).toBe(true);
    expect(openings.follows(words('hi there thanks much for waiting all of our team'))).toBe(true);
  });

  it('stops following where the words go elsewhere, and gives how far they followed', () => {
    const agent = words('Hi there, thanks for waiting, this is Morgan. Who am I speaking with?');
    expect(openings.follows(agent)).toBe(false);
    expect(openings.followedWords(agent)).toBeGreaterThanOrEqual(3);
    expect(openings.followedWords(agent)).toBeLessThan(6);
    expect(openings.followedWords(words('Pharmacy, this is Raj'))).toBe(0);
  });

  it('takes a long word with one letter misheard for itself, a short one not', () => {
    expect(sameWord('please', 'pease')).toBe(true);
    expect(sameWord('policy', 'polcy')).toBe(true);
    expect(sameWord('your', 'you')).toBe(false);
    expect(sameWord('claims', 'prices')).toBe(false);
  });
});

describe('recording tally', () => {
  it('gives even odds of an unheard recording when nothing is heard, less as recordings repeat', () => {
    const tally = new RecordingTally();
    expect(tally.unseenChance()).toBe(0.5);
    const announcement = tally.addNew();
    expect(tally.unseenChance()).toBeCloseTo(2 / 3);
    tally.heardAgain(announcement);
    expect(tally.unseenChance()).toBeCloseTo(1 / 4);
    tally.addNew();
    expect(tally.unseenChance()).toBeCloseTo(2 / 5);
    tally.addKnown();
    expect(tally.unseenChance()).toBeCloseTo(2 / 7);
  });
});

describe('person evidence', () => {
  const base = {
    cuePoints: 0,
    novelAudio: true,
    recordingsKnown: true,
    unseenChance: 1 / 6,
    newWords: 2,
  };

  it('decides on two words of a new voice where the recordings are well known, not on one', () => {
    expect(weigh(base, DEFAULT_FALSE_TRANSFER_BUDGET)).toMatchObject({
      decided: true,
      by: 'new-voice',
    });
    expect(weigh({ ...base, newWords: 1 }, DEFAULT_FALSE_TRANSFER_BUDGET).decided).toBe(false);
  });

  it('gives a new voice nothing where most recordings were heard once, or words still follow one', () => {
    expect(weigh({ ...base, unseenChance: 2 / 3 }, DEFAULT_FALSE_TRANSFER_BUDGET).logOdds).toBe(0);
    expect(weigh({ ...base, newWords: 0 }, DEFAULT_FALSE_TRANSFER_BUDGET).logOdds).toBe(0);
  });

  it('needs three cue points on a line that knows nothing, or one with a quiet line after', () => {
    const cold = { ...base, novelAudio: false, recordingsKnown: false, newWords: 0 };
    expect(weigh({ ...cold, cuePoints: 2 }, DEFAULT_FALSE_TRANSFER_BUDGET).decided).toBe(false);
    expect(weigh({ ...cold, cuePoints: 3 }, DEFAULT_FALSE_TRANSFER_BUDGET)).toMatchObject({
      decided: true,
      by: 'cues',
    });
    expect(
      weigh({ ...cold, cuePoints: 1, waitsForAnswer: true }, DEFAULT_FALSE_TRANSFER_BUDGET),
    ).toMatchObject({ decided: true, by: 'waits-for-answer' });
    expect(
      weigh({ ...cold, cuePoints: 0, waitsForAnswer: true }, DEFAULT_FALSE_TRANSFER_BUDGET).decided,
    ).toBe(false);
  });

  it('asks for more evidence under a smaller budget', () => {
    expect(weigh({ ...base }, 0.001).decided).toBe(false);
  });
});
