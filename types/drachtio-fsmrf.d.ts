declare module 'drachtio-fsmrf' {
  /**
   * drachtio-fsmrf ships no types. The gateway uses it through the narrow
   * interfaces of media/telephony/freeswitch/drachtioBoundary.ts; this says
   * only how it is made and connected.
   */
  import type { EventEmitter } from 'node:events';

  namespace Mrf {
    interface ConnectOptions {
      address: string;
      port?: number;
      secret?: string;
      listenAddress?: string;
      listenPort?: number;
      advertisedAddress?: string;
      advertisedPort?: number;
    }
    interface MediaServer extends EventEmitter {
      disconnect(): void;
    }
  }

  class Mrf extends EventEmitter {
    constructor(srf: unknown);
    connect(options: Mrf.ConnectOptions): Promise<Mrf.MediaServer>;
  }

  export = Mrf;
}
