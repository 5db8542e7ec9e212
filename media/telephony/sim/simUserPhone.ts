import WebSocket, { type RawData } from 'ws';
import { fromBytes } from '../../audio/pcm.js';
import { PROTOCOL_PATH, carrierMessageSchema } from './protocol.js';

export interface UserPhoneOptions {
  /** How long the person lets it ring before picking up; null never answers. */
  answerAfterMs: number | null;
}

/**
 * The user's own phone on the simulated carrier, as a client of its
 * protocol: registered under a device name, it rings when a call is bridged
 * to it, picks up, and hears the call.
 */
export class SimUserPhone {
  readonly rings: string[] = [];
  framesHeard = 0;
  private nextId = 1;

  private constructor(
    private readonly socket: WebSocket,
    readonly device: string,
    private readonly options: UserPhoneOptions,
  ) {}

  static connect(url: string, device: string, options: UserPhoneOptions): Promise<SimUserPhone> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${url}${PROTOCOL_PATH}`);
      const phone = new SimUserPhone(socket, device, options);
      socket.on('open', () => socket.send(JSON.stringify({ type: 'register', device })));
      socket.on('error', reject);
      socket.on('message', (data: RawData, isBinary: boolean) => {
        if (isBinary) {
          phone.framesHeard += fromBytes(data as Buffer).length > 0 ? 1 : 0;
          return;
        }
        const message = carrierMessageSchema.safeParse(JSON.parse(data.toString()));
        if (!message.success) return;
        if (message.data.type === 'registered') resolve(phone);
        else if (message.data.type === 'error') reject(new Error(message.data.message));
        else if (message.data.type === 'ring') phone.ringing(message.data.callId);
      });
    });
  }

  close(): void {
    this.socket.close();
  }

  private ringing(callId: string): void {
    this.rings.push(callId);
    if (this.options.answerAfterMs === null) return;
    setTimeout(() => {
      this.socket.send(JSON.stringify({ type: 'answer', id: this.nextId++, callId }));
    }, this.options.answerAfterMs);
  }
}
