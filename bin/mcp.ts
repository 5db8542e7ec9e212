/**
 * Hold Slayer for an assistant: a Model Context Protocol server whose tools
 * call the REST API at HOLDSLAYER_API_URL.
 *
 *   npm run mcp                      on stdio (an assistant starts it as a command),
 *                                    acting with HOLDSLAYER_API_KEY
 *   npm run mcp -- --http 3001       Streamable HTTP at http://127.0.0.1:3001/mcp,
 *   [--host 0.0.0.0]                 each request acting with the API key it carries;
 *                                    prints {"ready":true,"url":…} once it serves
 *
 * On stdio nothing but the protocol goes to stdout; logs go to stderr.
 */
import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { AssistantHttpServer } from '../assistant/assistantHttp.js';
import { createAssistantServer } from '../assistant/assistantServer.js';
import { ApiClient } from '../runtime/apiClient.js';
import { createLogger } from '../runtime/logger.js';
import { ValidationError, parseWith } from '../validation/issues.js';

const log = createLogger('mcp');
try {
  const { values } = parseArgs({
    options: { http: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' } },
  });
  const options = parseWith(
    z.object({
      http: z.coerce.number().int().min(0).max(65535).optional(),
      host: z.string().regex(/^[A-Za-z0-9.:-]+$/, 'must be a host name or address'),
      HOLDSLAYER_API_URL: z
        .string()
        .url('must be the REST API, e.g. http://127.0.0.1:3000')
        .default('http://127.0.0.1:3000'),
      HOLDSLAYER_API_KEY: z.string().min(1).optional(),
    }),
    { ...process.env, http: values.http, host: values.host },
    'assistant server options (--http, --host, HOLDSLAYER_API_URL, HOLDSLAYER_API_KEY)',
  );
  const apiUrl = options.HOLDSLAYER_API_URL.replace(/\/$/, '');
  if (options.http !== undefined) {
    const http = new AssistantHttpServer(apiUrl);
    const url = await http.listen(options.http, options.host);
    log.info({ url, api: apiUrl }, 'assistant server on Streamable HTTP');
    process.stdout.write(`${JSON.stringify({ ready: true, url })}\n`);
    const stop = () => void http.close().then(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  } else {
    if (!options.HOLDSLAYER_API_KEY)
      throw new Error('HOLDSLAYER_API_KEY is required on stdio: one of the API keys (API_KEYS)');
    const server = createAssistantServer(new ApiClient(apiUrl, options.HOLDSLAYER_API_KEY));
    await server.connect(new StdioServerTransport());
    log.info({ api: apiUrl }, 'assistant server on stdio');
  }
} catch (e) {
  const message =
    e instanceof ValidationError
      ? `${e.subject} is invalid:\n${e.issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`).join('\n')}`
      : (e as Error).message;
  process.stderr.write(`${message}\n`);
  process.exit(2);
}
