import WebSocket from 'ws';
import { PROTOCOL_PATH } from '../../media/telephony/sim/protocol.js';
import { FakeDrachtio } from '../support/fakeDrachtio.js';
import { waitFor } from '../support/waitFor.js';
import { startFakeGateway, type FakeGateway } from '../support/fakeGateway.js';

/** A worker's connection, speaking the line protocol by hand. */
function connect(url: string) {
  const socket = new WebSocket(`${url}${PROTOCOL_PATH}`);
  const messages: Array<Record<string, unknown>> = [];
  socket.on('message', (data, isBinary) => {
    if (!isBinary) messages.push(JSON.parse(data.toString()) as Record<string, unknown>);
  });
  const opened = new Promise<void>((resolve) => socket.once('open', () => resolve()));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, messages, opened, closed, send: (m: unknown) => socket.send(JSON.stringify(m)) };
}

describe('the gateway, as workers and FreeSWITCH reach it', () => {
  const fake = new FakeDrachtio({ respond: () => ({ status: 200 }) });
  let stack: FakeGateway;
  let url: string;
  let forkUrl: string;

  beforeAll(async () => {
    stack = await startFakeGateway(fake);
    ({ url, forkUrl } = stack);
  });
  afterAll(() => stack.close());

  it('places one call for two dials of one call id that arrive together', async () => {
    const a = connect(url);
    const b = connect(url);
    await Promise.all([a.opened, b.opened]);
    const dial = { type: 'dial', callId: 'twice', to: '+18005550100' };
    a.send(dial);
    b.send(dial);
    await waitFor(() => a.messages.length > 0 && b.messages.length > 0, 5000);
    expect(
      fake.requests.filter((r) => r.to === 'srf' && r.uri.includes('+18005550100')),
    ).toHaveLength(1);
    a.socket.close();
    b.socket.close();
  });

  it('hands a call to the worker that attached last, and tells the one before', async () => {
    const first = connect(url);
    await first.opened;
    first.send({ type: 'dial', callId: 'taken-over', to: '+18005550101' });
    await waitFor(() => first.messages.some((m) => m.type === 'attached'), 5000);
    const second = connect(url);
    await second.opened;
    second.send({ type: 'attach', callId: 'taken-over' });
    await first.closed;
    expect(first.messages.at(-1)).toMatchObject({
      type: 'error',
      message: 'call taken-over was taken over by another connection',
    });
    await waitFor(() => second.messages.some((m) => m.type === 'attached'), 5000);
    second.send({ type: 'hangup', id: 1 });
    await waitFor(() => second.messages.some((m) => m.type === 'ack'), 5000);
    second.socket.close();
  });

  it('refuses a dial at another audio rate, and a caller id that is not a number', async () => {
    const worker = connect(url);
    await worker.opened;
    worker.send({ type: 'dial', callId: 'wide', to: '+18005550102', sampleRate: 16000 });
    await waitFor(() => worker.messages.length > 0, 5000);
    expect(worker.messages[0]).toMatchObject({
      type: 'error',
      message: expect.stringContaining('this gateway carries audio at 8000 Hz, not 16000 Hz'),
    });
    const other = connect(url);
    await other.opened;
    other.send({ type: 'dial', callId: 'spoofed', to: '+18005550103', from: 'x>;tag=1' });
    await waitFor(() => other.messages.length > 0, 5000);
    expect(other.messages[0]).toMatchObject({
      type: 'error',
      message: 'the caller id x>;tag=1 is not an E.164 number',
    });
    worker.socket.close();
    other.socket.close();
  });

  it('takes audio forks only for its own calls', async () => {
    const socket = new WebSocket(`${forkUrl}nobody`, 'audio.drachtio.org');
    const code = await new Promise<number>((resolve) => socket.once('close', (c) => resolve(c)));
    expect(code).toBe(1008);
  });
});

describe('the gateway shutting down', () => {
  it('cancels the calls still ringing and frees their endpoints before it closes', async () => {
    // A trunk that never answers: the call rings until the gateway closes.
    const fake = new FakeDrachtio();
    const stack = await startFakeGateway(fake, { ringTimeoutMs: 60_000 });
    const worker = connect(stack.url);
    await worker.opened;
    worker.send({ type: 'dial', callId: 'ringing', to: '+18005550100' });
    await waitFor(() => worker.messages.some((m) => m.type === 'attached'), 5000);
    await stack.close();
    expect(fake.requests.slice(-2)).toEqual([
      { to: 'invite', method: 'cancel' },
      { to: 'endpoint', uuid: 'ep-1', method: 'destroy', args: [] },
    ]);
  });
});
