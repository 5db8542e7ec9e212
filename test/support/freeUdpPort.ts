import { createSocket } from 'node:dgram';

/** A UDP port on 127.0.0.1 that is free now (SIP and RTP peers bind to it next). */
export function freeUdpPort(): Promise<number> {
  const probe = createSocket('udp4');
  return new Promise((resolve) =>
    probe.bind(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    }),
  );
}
