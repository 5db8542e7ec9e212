import { createSocket, type Socket } from 'node:dgram';
import sip, { type SipRequest, type SipStack } from 'sip';
import { SipDialog } from '../../carrier/sip/sipDialog.js';
import { freeUdpPort } from '../support/freeUdpPort.js';

describe("the carrier's SIP dialog", () => {
  let stack: SipStack;
  let peer: Socket;
  const received: string[] = [];

  beforeEach(async () => {
    received.length = 0;
    peer = createSocket('udp4');
    await new Promise<void>((resolve) => peer.bind(0, '127.0.0.1', resolve));
    peer.on('message', (data) => received.push(data.toString()));
    const port = await freeUdpPort();
    stack = sip.create({ address: '127.0.0.1', port, udp: true, tcp: false }, () => undefined);
  });

  afterEach(() => {
    stack.destroy();
    peer.close();
  });

  it('hangs up on a caller on its own host (drachtio-server beside it), whose Contact has no user', async () => {
    const peerPort = peer.address().port;
    const invite: SipRequest = {
      method: 'INVITE',
      uri: 'sip:+14145550142@127.0.0.1',
      headers: {
        to: { uri: 'sip:+14145550142@127.0.0.1', params: {} },
        from: { uri: 'sip:127.0.0.1:5060', params: { tag: 'abc' } },
        'call-id': 'same-host-1',
        cseq: { method: 'INVITE', seq: 1 },
        via: [
          {
            version: '2.0',
            protocol: 'UDP',
            host: '127.0.0.1',
            port: peerPort,
            params: { branch: 'z9hG4bK-1' },
          },
        ],
        contact: [{ uri: `sip:127.0.0.1:${peerPort}`, params: {} }],
      },
      content: '',
    };
    const dialog = new SipDialog(stack, invite, 'sip:carrier@127.0.0.1:5999');
    dialog.respond(200, 'OK');
    dialog.acked();
    void dialog.bye();
    const deadline = Date.now() + 3000;
    while (!received.some((m) => m.startsWith('BYE ')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const bye = received.find((m) => m.startsWith('BYE '));
    expect(bye).toBeDefined();
    expect(bye).toMatch(new RegExp(`^BYE sip:127\\.0\\.0\\.1:${peerPort} SIP/2\\.0`));
    expect(bye).toMatch(/^call-id: same-host-1\r?$/im);
    // The flow route that carried it is the package's own; it does not reach the peer.
    expect(bye).not.toMatch(/^route:/im);
    dialog.close();
  });
});
