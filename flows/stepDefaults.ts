/** Timeouts a step gets when its flow gives none (pure constants: workflow code reads them too). */
export const DEFAULT_STEP_TIMEOUT_S = 10;
/** A HOLD step without a timeout waits this long: two hours, as long as real queues get. */
export const DEFAULT_HOLD_TIMEOUT_S = 7200;
