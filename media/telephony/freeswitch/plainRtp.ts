import type { MediaServerLike } from './drachtioBoundary.js';

/** FreeSWITCH's variable for what it offers on the legs drachtio-fsmrf places into it. */
export const PLAIN_RTP_VARIABLE = 'rtp_secure_media_inbound=forbidden';

/**
 * Tells FreeSWITCH to offer plain RTP on the legs the gateway places. Left
 * to itself, FreeSWITCH 1.10 treats each such leg as an inbound call and
 * offers SRTP as well ("optional"), and since drachtio-fsmrf acknowledges
 * FreeSWITCH's offer with that same offer, FreeSWITCH then encrypts what it
 * sends the trunk and throws away the trunk's plain audio as failing
 * authentication: a call with no sound either way. A global variable, so it
 * holds for the stock image's configuration as for any other.
 */
export async function offerPlainRtp(media: Pick<MediaServerLike, 'api'>): Promise<void> {
  const reply = (await media.api(`global_setvar ${PLAIN_RTP_VARIABLE}`)).trim();
  if (!reply.startsWith('+OK'))
    throw new Error(
      `FreeSWITCH would not take ${PLAIN_RTP_VARIABLE} (global_setvar answered ${JSON.stringify(reply)}): the trunk would get SRTP it cannot decrypt`,
    );
}
