import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import {
  callListQuerySchema,
  flowListQuerySchema,
  sayTextSchema,
  sendDigitsSchema,
  startCallSchema,
} from '../api/schemas.js';
import type { ApiClient } from '../runtime/apiClient.js';

const callId = {
  call_id: z.string().min(1).max(200).describe('The call, as place_call returned it'),
};

/** What the REST API answered, as the assistant reads it. */
function answer(body: unknown): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(body, null, 2) }] };
}

/** Query parameters for a GET, leaving out what was not given. */
function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * Hold Slayer as tools for an assistant (the Model Context Protocol): each
 * tool is one REST call, made with the API key the server was given, so an
 * assistant can do exactly what that key can and the API's own validation
 * names what is wrong with a request. Inputs reuse the API's schemas.
 */
export function createAssistantServer(api: ApiClient): McpServer {
  const server = new McpServer({ name: 'hold-slayer', version: '0.1.0' });
  const path = (id: string) => `/api/calls/${encodeURIComponent(id)}`;

  server.registerTool(
    'place_call',
    {
      description:
        "Calls a company for the user: walks its phone menu, waits on hold, and rings the user's device when a person answers. Returns the call's id.",
      inputSchema: startCallSchema.shape,
    },
    async (input) => answer(await api.post('/api/calls', input)),
  );
  server.registerTool(
    'call_status',
    {
      description:
        "A call's phase, the step under way, time on hold, what was last heard, and its outcome once it has ended.",
      inputSchema: callId,
    },
    async ({ call_id }) => answer(await api.get(path(call_id))),
  );
  server.registerTool(
    'connect_now',
    {
      description: "Rings the user's device now, without waiting for a person to be detected.",
      inputSchema: callId,
    },
    async ({ call_id }) => answer(await api.post(`${path(call_id)}/connect`)),
  );
  server.registerTool(
    'press_keys',
    {
      description:
        'Presses keys on the call (0-9, *, #; {secret:NAME} keys a secret given with the call).',
      inputSchema: { ...callId, ...sendDigitsSchema.shape },
    },
    async ({ call_id, digits }) => answer(await api.post(`${path(call_id)}/digits`, { digits })),
  );
  server.registerTool(
    'say',
    {
      description: 'Says words to the far end of the call.',
      inputSchema: { ...callId, ...sayTextSchema.shape },
    },
    async ({ call_id, text }) => answer(await api.post(`${path(call_id)}/say`, { text })),
  );
  server.registerTool(
    'cancel_call',
    {
      description: 'Hangs up the call and ends it.',
      inputSchema: { ...callId, reason: z.string().max(500).optional() },
    },
    async ({ call_id, reason }) =>
      answer(await api.post(`${path(call_id)}/cancel`, reason ? { reason } : {})),
  );
  server.registerTool(
    'call_history',
    {
      description:
        'Calls placed so far, newest first: filter by company, number, status or outcome; `after` pages on.',
      inputSchema: callListQuerySchema.shape,
    },
    async (input) => answer(await api.get(`/api/calls${query(input)}`)),
  );
  server.registerTool(
    'list_flows',
    {
      description: "The call flows known: each company's menu path, as written or learned.",
      inputSchema: flowListQuerySchema.shape,
    },
    async (input) => answer(await api.get(`/api/call-flows${query(input)}`)),
  );
  server.registerTool(
    'read_flow',
    {
      description: "One call flow's steps (its latest version unless one is named).",
      inputSchema: {
        flow_id: z.string().min(1).max(200),
        version: z.number().int().positive().optional(),
      },
    },
    async ({ flow_id, version }) => {
      const id = encodeURIComponent(flow_id);
      return answer(
        await api.get(
          version ? `/api/call-flows/${id}/versions/${version}` : `/api/call-flows/${id}`,
        ),
      );
    },
  );
  return server;
}
