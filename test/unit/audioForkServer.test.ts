import WebSocket from 'ws';
import { AudioForkServer } from '../../media/telephony/freeswitch/audioForkServer.js';
import { waitFor } from '../support/waitFor.js';

/** Connects as mod_audio_fork does: its sub-protocol, then (some versions) a text message, then PCM. */
function fork(url: string, protocol = 'audio.drachtio.org'): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocol);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

const pcm = (count: number, value: number) => {
  const bytes = Buffer.alloc(count * 2);
  for (let i = 0; i < count; i++) bytes.writeInt16LE(value, i * 2);
  return bytes;
};

describe('the audio fork server', () => {
  const server = new AudioForkServer({ host: '127.0.0.1', port: 0, sampleRate: 8000 });
  let base: string;
  beforeAll(async () => {
    base = await server.listen();
  });
  afterAll(() => server.close());

  it("hands each call's listeners its far end in 20 ms frames, at the gateway's rate whatever a text message says", async () => {
    const heard: Int16Array[] = [];
    const other: Int16Array[] = [];
    server.onFrames('call-a', (f) => heard.push(f));
    server.onFrames('call-b', (f) => other.push(f));
    const socket = await fork(`${base}call-a`);
    // A metadata message naming another rate, as a garbled argument order once produced.
    socket.send(JSON.stringify({ callId: 'call-a', sampleRate: 16000 }));
    socket.send(pcm(250, 7));
    socket.send(pcm(70, 9));
    await waitFor(() => heard.length === 2, 5000);
    expect(heard.map((f) => f.length)).toEqual([160, 160]);
    expect([heard[0]![0], heard[1]![159]]).toEqual([7, 9]);
    expect(other).toEqual([]);
    socket.close();
  });

  it('stops handing frames to a listener that stopped listening', async () => {
    const heard: Int16Array[] = [];
    const stop = server.onFrames('call-c', (f) => heard.push(f));
    const socket = await fork(`${base}call-c`);
    socket.send('{}');
    socket.send(pcm(160, 1));
    await waitFor(() => heard.length === 1, 5000);
    stop();
    socket.send(pcm(160, 2));
    await new Promise((r) => setTimeout(r, 100));
    expect(heard).toHaveLength(1);
    socket.close();
  });

  it('refuses a client that is not mod_audio_fork, and one that names no call', async () => {
    await expect(fork(`${base}call-d`, 'something-else')).rejects.toThrow();
    const socket = await fork(base);
    const code = await new Promise<number>((resolve) => socket.once('close', (c) => resolve(c)));
    expect(code).toBe(1008);
  });
});
