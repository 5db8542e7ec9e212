import { createRequire } from 'node:module';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { spawnEntry, stopChild, waitForReady } from '../../runtime/nodeProcess.js';
import type { FlowDefinitionInput } from '../../flows/model.js';
import { CallStack } from '../support/callStack.js';
import { describeWith } from '../support/services.js';

/** Super Awesome Company's main menu, only listened to: the assistant presses the key. */
const listenOnly: FlowDefinitionInput = {
  name: 'Super Awesome Company: by the assistant',
  company: 'Super Awesome Company',
  phone_number: '+14145550142',
  steps: [
    {
      id: 'main-menu',
      type: 'LISTEN',
      description: 'hear the menu',
      timeout: 120,
      next_step: 'queue',
    },
    { id: 'queue', type: 'HOLD', timeout: 300, next_step: 'user' },
    { id: 'user', type: 'TRANSFER' },
  ],
};

interface ToolText {
  content: Array<{ type: string; text?: string }>;
  isError?: boolean;
}

describeWith(
  ['postgres', 'temporal', 'sounds'],
  'Hold Slayer as an assistant sees it (MCP over stdio)',
  () => {
    const stack = new CallStack();
    let client: Client;

    /** A tool's answer, read as the JSON the REST API gave. */
    async function call<T>(name: string, args: Record<string, unknown>): Promise<T> {
      const result = (await client.callTool({ name, arguments: args })) as ToolText;
      const text = result.content.find((c) => c.type === 'text')?.text ?? '';
      if (result.isError) throw new Error(`${name} failed: ${text}`);
      return JSON.parse(text) as T;
    }

    beforeAll(async () => {
      await stack.start();
      const tsx = createRequire(import.meta.url).resolve('tsx');
      client = new Client({ name: 'hold-slayer-test', version: '1.0.0' });
      await client.connect(
        new StdioClientTransport({
          command: process.execPath,
          args: ['--import', tsx, path.resolve('bin/mcp.ts')],
          env: {
            PATH: process.env.PATH ?? '',
            HOLDSLAYER_API_URL: stack.api.url,
            HOLDSLAYER_API_KEY: stack.api.key,
            LOG_LEVEL: 'warn',
          },
          stderr: 'ignore',
        }),
      );
    }, 180_000);
    afterAll(async () => {
      await client?.close();
      await stack.stop();
    });

    it('lists its tools', async () => {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual([
        'call_history',
        'call_status',
        'cancel_call',
        'connect_now',
        'list_flows',
        'place_call',
        'press_keys',
        'read_flow',
        'say',
      ]);
      const place = tools.find((t) => t.name === 'place_call')!;
      expect(place.inputSchema.required).toEqual(
        expect.arrayContaining(['phone_number', 'company', 'intent', 'user_device']),
      );
    });

    it('refuses a call it cannot place, saying what is wrong', async () => {
      const result = (await client.callTool({
        name: 'place_call',
        arguments: {
          phone_number: '555-0142',
          company: 'Super Awesome Company',
          intent: 'talk to a person',
          user_device: 'sim:assistant-user',
        },
      })) as ToolText;
      expect(result.isError).toBe(true);
      expect(result.content[0]?.text).toMatch(/phone_number/);
    });

    it('places a call, presses a key, waits on hold, and the person is put through', async () => {
      const flow = await stack.request<{ id: string }>('POST', '/api/call-flows', listenOnly);
      expect(flow.status).toBe(201);
      const placed = await call<{ id: string }>('place_call', {
        phone_number: '+14145550142',
        company: 'Super Awesome Company',
        intent: 'speak with a customer advocate',
        user_device: 'sim:assistant-user',
        flow: { id: flow.body.id },
      });
      const statusOf = () =>
        call<{ phase: string; step: { id: string } | null; outcome: string | null }>(
          'call_status',
          {
            call_id: placed.id,
          },
        );
      const until = async (
        what: string,
        done: (s: Awaited<ReturnType<typeof statusOf>>) => boolean,
      ) => {
        const deadline = Date.now() + 150_000;
        for (;;) {
          const status = await statusOf();
          if (done(status)) return status;
          if (Date.now() > deadline) throw new Error(`never ${what}: ${JSON.stringify(status)}`);
          await new Promise((r) => setTimeout(r, 500));
        }
      };
      await until('at the main menu', (s) => s.step?.id === 'main-menu');
      // "For an operator, press zero": the queue, then a person.
      const pressed = await call<{ sent: boolean }>('press_keys', {
        call_id: placed.id,
        digits: '0',
      });
      expect(pressed.sent).toBe(true);
      const ended = await until('ended', (s) => s.outcome !== null);
      expect(ended.outcome).toBe('connected');

      const history = await call<{ calls: Array<{ id: string; outcome: string | null }> }>(
        'call_history',
        { company: 'Super Awesome Company' },
      );
      expect(history.calls.find((c) => c.id === placed.id)?.outcome).toBe('connected');
      const flows = await call<Array<{ id: string }>>('list_flows', {
        company: 'Super Awesome Company',
      });
      expect(flows.map((f) => f.id)).toContain(flow.body.id);
      const read = await call<{ steps: Array<{ id: string }> }>('read_flow', {
        flow_id: flow.body.id,
        // The learner may already have made version 2 from this call: the one written is version 1.
        version: 1,
      });
      expect(read.steps.map((s) => s.id)).toEqual(['main-menu', 'queue', 'user']);
    }, 240_000);

    it('serves the same tools over Streamable HTTP, to a client with an API key and no other', async () => {
      const child = spawnEntry('mcp', ['--http', '0'], {
        stdio: ['ignore', 'pipe', 'ignore'],
        env: { ...process.env, HOLDSLAYER_API_URL: stack.api.url, LOG_LEVEL: 'warn' },
      });
      try {
        const { url } = await waitForReady<{ ready: true; url: string }>(child, 'the MCP server');
        const over = (key: string) =>
          new StreamableHTTPClientTransport(new URL(url), {
            requestInit: { headers: { authorization: `Bearer ${key}` } },
          });
        const http = new Client({ name: 'hold-slayer-http-test', version: '1.0.0' });
        await http.connect(over(stack.api.key));
        const { tools } = await http.listTools();
        expect(tools.map((t) => t.name)).toContain('place_call');
        const history = (await http.callTool({
          name: 'call_history',
          arguments: { company: 'Super Awesome Company' },
        })) as ToolText;
        expect(history.isError).toBeFalsy();
        expect(JSON.parse(history.content[0]!.text!)).toHaveProperty('calls');
        await http.close();

        const stranger = new Client({ name: 'stranger', version: '1.0.0' });
        await expect(stranger.connect(over('not-a-key'))).rejects.toThrow(
          /401|does not take this key/,
        );
      } finally {
        await stopChild(child);
      }
    }, 60_000);
  },
);
