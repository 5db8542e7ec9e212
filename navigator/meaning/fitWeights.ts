/**
 * How much each measured feature of an option counts: fitted by
 * `npm run train:navigator -- --write` on the tuning decisions
 * (195 choices, 25 companies, L2 3). Do not edit by hand.
 */
import type { Feature } from './fitFeatures.js';

export const FIT_WEIGHTS: Record<Feature, number> = {
  sameWord: 1.006,
  relatedWord: 0.501,
  wordsInCommon: 0.005,
  department: 0.897,
  subject: 0.494,
  wishedDepartment: 0.588,
  handlesToo: 0.5,
  sameErrand: 0.795,
  otherDepartment: -0.599,
  otherErrandSameDepartment: -0.457,
  otherErrand: -1.276,
  newAgainstExisting: -1.496,
  doneAlready: -1.5,
  forThoseWhoDid: 1.2,
  notDoneYet: -0.505,
  similarity: 1.005,
  nearestBy: 2.002,
  allOther: 0.308,
  person: 0.202,
  moreOptions: 0,
  stayOnLine: 0.302,
  optionLength: 0,
};
