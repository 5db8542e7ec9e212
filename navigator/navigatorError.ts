/** Why a navigator could not decide: the model's answer did not fit, or the request failed. */
export class NavigatorError extends Error {
  constructor(
    message: string,
    /** False when asking again cannot help (a rejected key, a bad request). */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'NavigatorError';
  }
}
