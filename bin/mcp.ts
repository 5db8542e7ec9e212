/**
 * Hold Slayer for an assistant: a Model Context Protocol server on stdio
 * (an assistant starts it as a command), whose tools call the REST API at
 * HOLDSLAYER_API_URL with the key HOLDSLAYER_API_KEY. Nothing but the
 * protocol goes to stdout; logs go to stderr.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { createAssistantServer } from '../assistant/assistantServer.js';
import { ApiClient } from '../runtime/apiClient.js';
import { createLogger } from '../runtime/logger.js';
import { ValidationError, parseWith } from '../validation/issues.js';

const log = createLogger('mcp');
try {
  const env = parseWith(
    z.object({
      HOLDSLAYER_API_URL: z
        .string()
        .url('must be the REST API, e.g. http://127.0.0.1:3000')
        .default('http://127.0.0.1:3000'),
      HOLDSLAYER_API_KEY: z.string().min(1, 'is required: one of the API keys (API_KEYS)'),
    }),
    process.env,
    'assistant server configuration (environment variables)',
  );
  const server = createAssistantServer(
    new ApiClient(env.HOLDSLAYER_API_URL.replace(/\/$/, ''), env.HOLDSLAYER_API_KEY),
  );
  await server.connect(new StdioServerTransport());
  log.info({ api: env.HOLDSLAYER_API_URL }, 'assistant server on stdio');
} catch (e) {
  const message =
    e instanceof ValidationError
      ? `${e.subject} is invalid:\n${e.issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`).join('\n')}`
      : (e as Error).message;
  process.stderr.write(`${message}\n`);
  process.exit(2);
}
