/**
 * How much each measured feature of an option counts: fitted by
 * `npm run train:navigator -- --write` on the tuning decisions
 * (182 choices, 25 companies, L2 3). Do not edit by hand.
 */
import type { Feature } from './fitFeatures.js';

export const FIT_WEIGHTS: Record<Feature, number> = {
  sameWord: 1.006,
  relatedWord: 0.5,
  wordsInCommon: 0,
  department: 0.896,
  subject: 0.494,
  wishedDepartment: 0.587,
  handlesToo: 0.5,
  sameErrand: 0.795,
  otherDepartment: -0.598,
  otherErrandSameDepartment: -0.455,
  otherErrand: -1.281,
  newAgainstExisting: -1.496,
  doneAlready: -1.5,
  forThoseWhoDid: 1.2,
  notDoneYet: -0.505,
  similarity: 1.005,
  nearestBy: 2.002,
  allOther: 0.306,
  person: 0.202,
  moreOptions: 0,
  stayOnLine: 0.302,
  optionLength: -0.004,
};
