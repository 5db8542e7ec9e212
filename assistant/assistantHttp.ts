import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ApiClient } from '../runtime/apiClient.js';
import { createAssistantServer } from './assistantServer.js';

/** Where the protocol is served. */
export const MCP_PATH = '/mcp';
const MAX_BODY_BYTES = 1_000_000;

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message }, id: null }));
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error('the body is over 1 MB'));
      else chunks.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? (JSON.parse(text) as unknown) : undefined);
      } catch {
        reject(new Error('the body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

/**
 * The assistant's server over Streamable HTTP, for assistants that reach
 * tools by URL. Behind the API's own keys: a request must carry one
 * (`Authorization: Bearer`), the REST API is asked whether it takes it,
 * and every tool then acts with that key. Stateless: each request gets its
 * own server, so any instance can answer any request.
 */
export class AssistantHttpServer {
  private readonly http: Server;

  constructor(private readonly apiUrl: string) {
    this.http = createServer((req, res) => void this.handle(req, res));
  }

  async listen(port: number, host: string): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, resolve);
    });
    const { address, port: bound } = this.http.address() as AddressInfo;
    return `http://${address}:${bound}${MCP_PATH}`;
  }

  async close(): Promise<void> {
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (new URL(req.url ?? '/', 'http://mcp').pathname !== MCP_PATH)
      return refuse(res, 404, `nothing at ${req.url}; the protocol is at ${MCP_PATH}`);
    const key = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!key) return refuse(res, 401, 'an API key is required: Authorization: Bearer <key>');
    const api = new ApiClient(this.apiUrl, key);
    try {
      // The cheapest request that needs a key: the API decides, as it does for every client.
      await api.get('/api/openapi.json');
    } catch (e) {
      const status = /\((401|403)\)/.exec((e as Error).message)?.[1];
      return status
        ? refuse(res, Number(status), 'the API does not take this key')
        : refuse(
            res,
            502,
            `the REST API at ${this.apiUrl} did not answer: ${(e as Error).message}`,
          );
    }
    let body: unknown;
    try {
      body = req.method === 'POST' ? await readJson(req) : undefined;
    } catch (e) {
      return refuse(res, 400, (e as Error).message);
    }
    const server = createAssistantServer(api);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close().then(() => server.close()));
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }
}
