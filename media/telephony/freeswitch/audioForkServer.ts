import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { SampleRate } from '../../audio/pcm.js';
import { wireBytes } from '../sim/readCallerMessage.js';
import { AudioForkFrames } from './audioForkFrames.js';

/** The sub-protocol mod_audio_fork asks for. */
const FORK_PROTOCOL = 'audio.drachtio.org';
const PATH = '/audio-fork/';

export type FrameListener = (frame: Int16Array) => void;

/**
 * Where FreeSWITCH's mod_audio_fork sends each call's far-end audio: one
 * WebSocket per call at /audio-fork/<call id>, raw PCM at the rate the fork
 * was started with. Text messages (metadata, in a shape that differs between
 * the module's versions) are not read. Frames go to whoever listens for
 * that call; a fork started again after a failure carries on where it was.
 */
export class AudioForkServer {
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly listeners = new Map<string, Set<FrameListener>>();
  private accepts: (callId: string) => boolean = () => true;

  constructor(private readonly options: { host: string; port: number; sampleRate: SampleRate }) {
    this.http = createServer((_, res) => {
      res.writeHead(426).end('mod_audio_fork connects here over WebSocket');
    });
    this.wss = new WebSocketServer({
      server: this.http,
      handleProtocols: (offered) => (offered.has(FORK_PROTOCOL) ? FORK_PROTOCOL : false),
    });
    this.wss.on('connection', (socket, request) => this.accept(socket, request));
  }

  /** Resolves with the URL to give mod_audio_fork, the call id to be appended. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port, this.options.host, resolve);
    });
    const { address, port } = this.http.address() as AddressInfo;
    return `ws://${address}:${port}${PATH}`;
  }

  /** Takes forks only for calls `check` knows: nobody else may put audio into a call. */
  acceptOnly(check: (callId: string) => boolean): void {
    this.accepts = check;
  }

  /** Calls `listener` with each 20 ms frame of the call's far end; returns how to stop. */
  onFrames(callId: string, listener: FrameListener): () => void {
    let set = this.listeners.get(callId);
    if (!set) this.listeners.set(callId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(callId);
    };
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private accept(socket: WebSocket, request: IncomingMessage): void {
    // A broken frame from a client must end its socket, never the process that holds every call.
    socket.on('error', () => socket.terminate());
    const callId = callIdIn(request.url ?? '');
    if (callId === undefined) {
      socket.close(1008, `connect to ${PATH}<call id>`);
      return;
    }
    if (!this.accepts(callId)) {
      socket.close(1008, `no call ${callId} here`);
      return;
    }
    const frames = new AudioForkFrames(this.options.sampleRate);
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) return;
      for (const frame of frames.push(wireBytes(data)))
        for (const listener of this.listeners.get(callId) ?? []) listener(frame);
    });
  }
}

function callIdIn(url: string): string | undefined {
  if (!url.startsWith(PATH) || url.length === PATH.length) return undefined;
  try {
    return decodeURIComponent(url.slice(PATH.length).split('?')[0]!);
  } catch {
    return undefined;
  }
}
