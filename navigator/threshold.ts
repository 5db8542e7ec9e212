/** Below this confidence the rules are unsure: a language model decides when there is one, else the safest way is taken. */
export const DEFAULT_CONFIDENCE_THRESHOLD = 0.6;
