/**
 * The local OpenAI server as its own process, for end-to-end calls.
 * Environment: OPENAI_SERVER_PORT (0 for any free port), OPENAI_SERVER_HOST
 * (127.0.0.1), OPENAI_API_KEY (the key it accepts) and, optionally,
 * OPENAI_SERVER_SCRIPT: a module whose default export gives `transcribe`
 * and `chat` functions. Prints one JSON line on stdout when ready:
 * {"ready":true,"url":"http://127.0.0.1:PORT/v1"}.
 */
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { z } from 'zod';
import { parseWith } from '../../validation/issues.js';
import { OpenAIServer, type OpenAIServerOptions } from './openaiServer.js';

const env = parseWith(
  z.object({
    OPENAI_SERVER_PORT: z.coerce.number().int().min(0).max(65535).default(0),
    OPENAI_SERVER_HOST: z.string().min(1).default('127.0.0.1'),
    OPENAI_API_KEY: z.string().min(1),
    OPENAI_SERVER_SCRIPT: z.string().min(1).optional(),
  }),
  process.env,
  'local OpenAI server environment',
);

type Script = Pick<OpenAIServerOptions, 'transcribe' | 'chat'>;

let script: Script = {};
if (env.OPENAI_SERVER_SCRIPT) {
  const loaded = (await import(pathToFileURL(path.resolve(env.OPENAI_SERVER_SCRIPT)).href)) as {
    default?: Script;
  };
  script = loaded.default ?? {};
}

const server = await OpenAIServer.start(
  { apiKey: env.OPENAI_API_KEY, ...script },
  env.OPENAI_SERVER_PORT,
  env.OPENAI_SERVER_HOST,
);
process.stdout.write(`${JSON.stringify({ ready: true, url: server.baseURL })}\n`);

const shutdown = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
