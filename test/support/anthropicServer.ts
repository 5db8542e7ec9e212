import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  ContentBlock,
  Message,
  MessageCreateParamsNonStreaming,
} from '@anthropic-ai/sdk/resources/messages';

/**
 * A local server speaking Anthropic's Messages API over HTTP (POST
 * /v1/messages): its headers, its error bodies and status codes, its
 * message objects, so the navigator is tested through the real SDK. The
 * test scripts the answers; every request is kept for its assertions.
 */

/** The `error` of Anthropic's error body `{"type": "error", "error": {...}, "request_id": ...}`. */
export interface AnthropicErrorObject {
  type: string;
  message: string;
}

export interface ScriptedToolUse {
  name: string;
  input: unknown;
}

/** What the model answers: tool calls, only words, or a refusal. */
export type MessagesReply =
  ScriptedToolUse | ScriptedToolUse[] | { text: string } | { refusal: string };

export interface RecordedRequest {
  method: string;
  path: string;
  /** Every header, with the key (`x-api-key`, `authorization`) replaced by `***`. */
  headers: Record<string, string>;
  /** The JSON body, parsed. */
  json?: unknown;
  /** What was answered: a status, or `dropped`. */
  outcome: number | 'dropped';
}

export interface Fault {
  /** Answer with this status and an error body (Anthropic's own for 429, 500 and 529 when absent)... */
  status?: number;
  error?: AnthropicErrorObject;
  headers?: Record<string, string>;
  /** ...or cut the connection before answering... */
  drop?: 'before-response';
  /** ...or answer as usual, this much later. */
  delayMs?: number;
}

export interface AnthropicServerOptions {
  apiKey: string;
  messages?: (body: MessageCreateParamsNonStreaming) => MessagesReply;
}

/** The API versions this server knows; 2026-10-21 refuses the sampling parameters. */
const VERSIONS = ['2023-06-01', '2026-10-21'];
const REMOVED_IN_2026 = ['temperature', 'top_p', 'top_k'];
const MAX_BODY = 32 * 1024 * 1024;

const DEFAULT_ERRORS: Record<number, AnthropicErrorObject> = {
  429: {
    type: 'rate_limit_error',
    message:
      'This request would exceed the rate limit for your organization of 50 requests per minute.',
  },
  500: { type: 'api_error', message: 'Internal server error' },
  529: { type: 'overloaded_error', message: 'Overloaded' },
};

export class AnthropicServer {
  readonly requests: RecordedRequest[] = [];
  messages: (body: MessageCreateParamsNonStreaming) => MessagesReply;
  private readonly faults: Fault[] = [];
  private server: Server | undefined;
  private url = '';

  constructor(private readonly options: AnthropicServerOptions) {
    this.messages = options.messages ?? (() => ({ name: 'wait', input: { reason: 'no script' } }));
  }

  static async start(
    options: AnthropicServerOptions,
    port = 0,
    host = '127.0.0.1',
  ): Promise<AnthropicServer> {
    const server = new AnthropicServer(options);
    await server.listen(port, host);
    return server;
  }

  /** The SDK's `baseURL`: `http://host:port` (the SDK adds `/v1/messages`). */
  get baseURL(): string {
    return this.url;
  }

  /** The next request gets this fault instead of its answer (once per call). */
  failNext(fault: Fault): void {
    this.faults.push(fault);
  }

  /** Forgets requests and pending faults, between tests. */
  reset(): void {
    this.requests.length = 0;
    this.faults.length = 0;
  }

  async listen(port: number, host: string): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    this.url = `http://${host}:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      headers: redactedHeaders(req),
      outcome: 200,
    };
    this.requests.push(record);
    const requestId = `req_${randomBytes(12).toString('hex')}`;
    res.setHeader('request-id', requestId);
    try {
      const body = await readBody(req);
      if (body === undefined) {
        return this.error(res, record, requestId, 413, {
          type: 'request_too_large',
          message: 'Request exceeds the maximum allowed number of bytes.',
        });
      }
      // Parsed before anything is decided, so even refused requests can be inspected.
      if (body.length > 0) record.json = parseJson(body);

      const authError = this.checkAuth(req);
      if (authError) return this.error(res, record, requestId, 401, authError);
      const version = header(req, 'anthropic-version');
      if (!version) {
        return this.invalid(res, record, requestId, 'anthropic-version: header is required');
      }
      if (!VERSIONS.includes(version)) {
        return this.invalid(
          res,
          record,
          requestId,
          `anthropic-version: "${version}" is not a valid version`,
        );
      }

      const fault = this.faults.shift();
      if (fault?.drop === 'before-response') {
        record.outcome = 'dropped';
        req.socket.destroy();
        return;
      }
      if (fault?.status) {
        for (const [name, value] of Object.entries(fault.headers ?? {})) res.setHeader(name, value);
        const error = fault.error ??
          DEFAULT_ERRORS[fault.status] ?? { type: 'api_error', message: 'Internal server error' };
        return this.error(res, record, requestId, fault.status, error);
      }
      if (fault?.delayMs) await sleep(fault.delayMs);
      if (res.destroyed) return;

      const route = `${record.method} ${path}`;
      if (route === 'POST /v1/messages') {
        return this.message(res, record, requestId, version, body.length);
      }
      return this.error(res, record, requestId, 404, {
        type: 'not_found_error',
        message: `Not found: ${route}`,
      });
    } catch (e) {
      if (!res.headersSent) {
        this.error(res, record, requestId, 500, {
          type: 'api_error',
          message: (e as Error).message,
        });
      } else {
        res.destroy();
      }
    }
  }

  /** The key as `x-api-key`, or as a bearer token (what the SDK sends from API version 2026-10-21). */
  private checkAuth(req: IncomingMessage): AnthropicErrorObject | undefined {
    const bearer = /^Bearer (.+)$/.exec(header(req, 'authorization') ?? '')?.[1];
    const key = header(req, 'x-api-key') ?? bearer;
    if (!key) return { type: 'authentication_error', message: 'x-api-key header is required' };
    if (key === this.options.apiKey) return undefined;
    return { type: 'authentication_error', message: 'invalid x-api-key' };
  }

  private message(
    res: ServerResponse,
    record: RecordedRequest,
    requestId: string,
    version: string,
    bodyBytes: number,
  ): void {
    const json = record.json;
    if (!isObject(json)) return this.invalid(res, record, requestId, 'invalid JSON body');
    if (typeof json.model !== 'string')
      return this.invalid(res, record, requestId, 'model: Field required');
    if (
      typeof json.max_tokens !== 'number' ||
      !Number.isInteger(json.max_tokens) ||
      json.max_tokens < 1
    ) {
      return this.invalid(res, record, requestId, 'max_tokens: Field required');
    }
    if (!Array.isArray(json.messages) || json.messages.length === 0) {
      return this.invalid(res, record, requestId, 'messages: at least one message is required');
    }
    if (version === '2026-10-21') {
      const removed = REMOVED_IN_2026.find((p) => p in json);
      if (removed) {
        return this.invalid(
          res,
          record,
          requestId,
          `${removed}: Extra inputs are not permitted in API version 2026-10-21`,
        );
      }
    }
    const choice = json.tool_choice;
    if (
      isObject(choice) &&
      choice.type === 'any' &&
      !(Array.isArray(json.tools) && json.tools.length)
    ) {
      return this.invalid(res, record, requestId, 'tool_choice: "any" requires tools');
    }

    const reply = this.messages(json as unknown as MessageCreateParamsNonStreaming);
    this.json(res, record, 200, messageOf(reply, json.model, Math.ceil(bodyBytes / 4)));
  }

  private invalid(
    res: ServerResponse,
    record: RecordedRequest,
    requestId: string,
    message: string,
  ): void {
    this.error(res, record, requestId, 400, { type: 'invalid_request_error', message });
  }

  private error(
    res: ServerResponse,
    record: RecordedRequest,
    requestId: string,
    status: number,
    error: AnthropicErrorObject,
  ): void {
    this.json(res, record, status, { type: 'error', error, request_id: requestId });
  }

  private json(res: ServerResponse, record: RecordedRequest, status: number, body: unknown): void {
    record.outcome = status;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

/** The `message` object a scripted reply stands for, as the API returns it (not streamed). */
function messageOf(reply: MessagesReply, model: string, inputTokens: number): Message {
  const refusal = 'refusal' in reply ? reply.refusal : undefined;
  const content: ContentBlock[] =
    'refusal' in reply
      ? []
      : 'text' in reply
        ? [{ type: 'text', text: reply.text, citations: null }]
        : (Array.isArray(reply) ? reply : [reply]).map((use) => ({
            type: 'tool_use',
            id: `toolu_${randomBytes(12).toString('base64url')}`,
            name: use.name,
            input: use.input,
            caller: { type: 'direct' },
          }));
  const toolUse = content.some((b) => b.type === 'tool_use');
  return {
    id: `msg_${randomBytes(12).toString('base64url')}`,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: refusal !== undefined ? 'refusal' : toolUse ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    stop_details:
      refusal !== undefined ? { type: 'refusal', category: null, explanation: refusal } : null,
    container: null,
    diagnostics: null,
    usage: {
      input_tokens: inputTokens,
      output_tokens: toolUse ? 40 : 10,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
      inference_geo: null,
      output_tokens_details: null,
      server_tool_use: null,
      service_tier: 'standard',
      speed: null,
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function redactedHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name] =
      name === 'x-api-key'
        ? '***'
        : name === 'authorization'
          ? value.toString().replace(/ .*/, ' ***')
          : Array.isArray(value)
            ? value.join(', ')
            : value;
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
