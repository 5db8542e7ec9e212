import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageFunctionToolCall,
} from 'openai/resources/chat/completions';
import type {
  TranscriptionTextDeltaEvent,
  TranscriptionTextDoneEvent,
} from 'openai/resources/audio/transcriptions';
import { readUpload, type Upload, type UploadedAudio } from './openaiServerUpload.js';

/**
 * A local server speaking OpenAI's HTTP protocol for the three endpoints
 * Hold Slayer uses (transcriptions, speech, chat completions): real
 * multipart uploads, server-sent events, error bodies and status codes, so
 * the providers are tested through the real SDK, with answers scripted by
 * the test and every request kept for its assertions.
 */

/** OpenAI's error body: `{"error": {...}}`. */
export interface OpenAIErrorBody {
  message: string;
  type: string;
  param?: string | null;
  code?: string | null;
}

export interface TranscriptionCall {
  /** 1 for the first transcription request this server answered, counting retries. */
  index: number;
  model: string;
  fields: Record<string, string>;
  audio: UploadedAudio;
}

export interface ScriptedToolCall {
  name: string;
  /** An object is sent as JSON; a string is sent as it is (to send malformed arguments). */
  arguments: unknown;
}

export type ChatReply = ScriptedToolCall | ScriptedToolCall[] | { content: string };

export interface RecordedRequest {
  method: string;
  path: string;
  /** Every header, with the key in `authorization` replaced by `***`. */
  headers: Record<string, string>;
  /** A JSON body, parsed. */
  json?: unknown;
  /** A multipart body's text fields. */
  form?: Record<string, string>;
  /** A multipart body's `file`, decoded as WAV. */
  audio?: UploadedAudio;
  /** What was answered: a status, or `dropped`. */
  outcome: number | 'dropped';
}

export interface Fault {
  /** Only requests to this path (e.g. `/v1/audio/transcriptions`); any path when absent. */
  path?: string;
  /** Answer with this status and error body... */
  status?: number;
  error?: OpenAIErrorBody;
  headers?: Record<string, string>;
  /** ...or cut the connection: before answering, or after the first streamed event. */
  drop?: 'before-response' | 'mid-stream';
}

export interface OpenAIServerOptions {
  apiKey: string;
  /** The text of an upload; may take its time, as a slow request would. */
  transcribe?: (call: TranscriptionCall) => string | Promise<string>;
  chat?: (body: ChatCompletionCreateParamsNonStreaming) => ChatReply;
  /** Speech lasts this long per character of input. */
  speechMsPerChar?: number;
  /** Pause between streamed transcription events, so clients see them one by one. */
  eventGapMs?: number;
  /** Refuse (400) uploads at any other rate. */
  expectSampleRate?: number;
}

/** The speech endpoint's tone: a clean 440 Hz, so tests can find it again after resampling. */
export const SPEECH_TONE_HZ = 440;
export const SPEECH_RATE = 24_000;
const MAX_BODY = 25 * 1024 * 1024;

export class OpenAIServer {
  readonly requests: RecordedRequest[] = [];
  transcribe: (call: TranscriptionCall) => string | Promise<string>;
  chat: (body: ChatCompletionCreateParamsNonStreaming) => ChatReply;
  expectSampleRate: number | undefined;
  private readonly faults: Fault[] = [];
  private transcriptions = 0;
  private server: Server | undefined;
  private url = '';

  constructor(private readonly options: OpenAIServerOptions) {
    this.transcribe =
      options.transcribe ??
      ((call) => `speech of ${(call.audio.durationMs / 1000).toFixed(1)} seconds`);
    this.chat = options.chat ?? (() => ({ name: 'wait', arguments: { reason: 'no script' } }));
    this.expectSampleRate = options.expectSampleRate;
  }

  static async start(
    options: OpenAIServerOptions,
    port = 0,
    host = '127.0.0.1',
  ): Promise<OpenAIServer> {
    const server = new OpenAIServer(options);
    await server.listen(port, host);
    return server;
  }

  /** The SDK's `baseURL`: `http://host:port/v1`. */
  get baseURL(): string {
    return this.url;
  }

  /** The next matching request gets this fault instead of its answer (once per call). */
  failNext(fault: Fault): void {
    this.faults.push(fault);
  }

  /** Forgets requests, pending faults and the transcription count, between tests. */
  reset(): void {
    this.requests.length = 0;
    this.faults.length = 0;
    this.transcriptions = 0;
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async listen(port: number, host: string): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    this.server = server;
    this.url = `http://${host}:${address.port}/v1`;
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
    res.setHeader('x-request-id', `req_${randomBytes(12).toString('hex')}`);
    try {
      const body = await readBody(req);
      if (body === undefined) {
        return this.error(res, record, 413, {
          message: 'Maximum content size limit (26214400) exceeded.',
          type: 'invalid_request_error',
        });
      }
      // Parsed before anything is decided, so even refused requests can be inspected.
      const contentType = req.headers['content-type'] ?? '';
      let upload: Upload | undefined;
      if (contentType.startsWith('multipart/form-data')) {
        upload = await readUpload(contentType, body);
        record.form = upload.fields;
        if ('audio' in upload) record.audio = upload.audio;
      } else if (body.length > 0) {
        record.json = parseJson(body);
      }

      const authError = this.checkAuth(req);
      if (authError) return this.error(res, record, 401, authError);

      const fault = this.takeFault(path);
      if (fault?.drop === 'before-response') {
        record.outcome = 'dropped';
        req.socket.destroy();
        return;
      }
      if (fault?.status) {
        for (const [name, value] of Object.entries(fault.headers ?? {})) res.setHeader(name, value);
        return this.error(
          res,
          record,
          fault.status,
          fault.error ?? {
            message: 'The server had an error while processing your request.',
            type: 'server_error',
          },
        );
      }
      const route = `${record.method} ${path}`;
      if (route === 'POST /v1/audio/transcriptions') {
        return await this.transcription(res, record, upload, fault);
      }
      if (route === 'POST /v1/audio/speech') return this.speech(res, record);
      if (route === 'POST /v1/chat/completions') return this.completion(res, record, body.length);
      return this.error(res, record, 404, {
        message: `Invalid URL (${route})`,
        type: 'invalid_request_error',
      });
    } catch (e) {
      if (!res.headersSent) {
        this.error(res, record, 500, { message: (e as Error).message, type: 'server_error' });
      } else {
        res.destroy();
      }
    }
  }

  private checkAuth(req: IncomingMessage): OpenAIErrorBody | undefined {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!match) {
      return {
        message:
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        type: 'invalid_request_error',
        code: null,
      };
    }
    if (match[1] === this.options.apiKey) return undefined;
    return {
      message: `Incorrect API key provided: ${maskKey(match[1]!)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      type: 'invalid_request_error',
      code: 'invalid_api_key',
    };
  }

  private takeFault(path: string): Fault | undefined {
    const at = this.faults.findIndex((f) => f.path === undefined || f.path === path);
    return at < 0 ? undefined : this.faults.splice(at, 1)[0];
  }

  private async transcription(
    res: ServerResponse,
    record: RecordedRequest,
    upload: Upload | undefined,
    fault: Fault | undefined,
  ): Promise<void> {
    if (!upload) {
      return this.error(res, record, 400, {
        message: 'Expected a multipart/form-data body.',
        type: 'invalid_request_error',
      });
    }
    if ('error' in upload) return this.error(res, record, 400, upload.error);
    const model = upload.fields.model;
    if (!model) return this.missing(res, record, 'model');
    const expected = this.expectSampleRate;
    if (expected !== undefined && upload.audio.sampleRate !== expected) {
      return this.error(res, record, 400, {
        message: `Expected audio at ${expected} Hz, got ${upload.audio.sampleRate} Hz.`,
        type: 'invalid_request_error',
        param: 'file',
      });
    }
    this.transcriptions++;
    const text = await this.transcribe({
      index: this.transcriptions,
      model,
      fields: upload.fields,
      audio: upload.audio,
    });
    // whisper-1 ignores `stream` and answers in one piece, as OpenAI's does.
    if (upload.fields.stream !== 'true' || model.startsWith('whisper')) {
      return this.json(res, record, 200, {
        text,
        usage: { type: 'duration', seconds: Math.ceil(upload.audio.durationMs / 1000) },
      });
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
    });
    const words = text.split(/(?=\s)/).filter((w) => w.length > 0);
    for (const [i, delta] of words.entries()) {
      const event: TranscriptionTextDeltaEvent = {
        type: 'transcript.text.delta',
        delta,
        logprobs: [],
      };
      res.write(`data: ${JSON.stringify(event)}\n\n`);
      if (fault?.drop === 'mid-stream' && i === 0) {
        record.outcome = 'dropped';
        await sleep(this.options.eventGapMs ?? 5);
        res.socket?.destroy();
        return;
      }
      await sleep(this.options.eventGapMs ?? 5);
    }
    const done: TranscriptionTextDoneEvent = {
      type: 'transcript.text.done',
      text,
      logprobs: [],
      usage: {
        type: 'tokens',
        input_tokens: Math.ceil(upload.audio.durationMs / 100),
        output_tokens: words.length,
        total_tokens: Math.ceil(upload.audio.durationMs / 100) + words.length,
        input_token_details: {
          audio_tokens: Math.ceil(upload.audio.durationMs / 100),
          text_tokens: 0,
        },
      },
    };
    res.end(`data: ${JSON.stringify(done)}\n\n`);
  }

  private speech(res: ServerResponse, record: RecordedRequest): void {
    const json = record.json;
    if (!isObject(json)) return this.invalidJson(res, record);
    for (const field of ['model', 'voice', 'input'] as const) {
      if (typeof json[field] !== 'string' || json[field] === '')
        return this.missing(res, record, field);
    }
    const input = json.input as string;
    if (input.length > 4096) {
      return this.error(res, record, 400, {
        message: `[{'type': 'string_too_long', 'loc': ('body', 'input'), 'msg': 'String should have at most 4096 characters'}]`,
        type: 'invalid_request_error',
        param: 'input',
      });
    }
    if (json.response_format !== 'pcm') {
      return this.error(res, record, 400, {
        message: `This server answers only response_format "pcm", not ${JSON.stringify(json.response_format)}.`,
        type: 'invalid_request_error',
        param: 'response_format',
      });
    }
    const pcm = toneBytes(input.length * (this.options.speechMsPerChar ?? 50));
    res.writeHead(200, { 'content-type': 'audio/pcm' });
    // Sent in pieces, as a real synthesis streams, with an odd split to test reassembly.
    const piece = 4801;
    for (let at = 0; at < pcm.length; at += piece) res.write(pcm.subarray(at, at + piece));
    res.end();
  }

  private completion(res: ServerResponse, record: RecordedRequest, bodyBytes: number): void {
    const json = record.json;
    if (!isObject(json)) return this.invalidJson(res, record);
    if (typeof json.model !== 'string') return this.missing(res, record, 'model');
    if (!Array.isArray(json.messages) || json.messages.length === 0) {
      return this.missing(res, record, 'messages');
    }
    const reply = this.chat(json as unknown as ChatCompletionCreateParamsNonStreaming);
    const calls = 'content' in reply ? [] : Array.isArray(reply) ? reply : [reply];
    const toolCalls = calls.map((call): ChatCompletionMessageFunctionToolCall => ({
      id: `call_${randomBytes(12).toString('base64url')}`,
      type: 'function',
      function: {
        name: call.name,
        arguments:
          typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
      },
    }));
    const promptTokens = Math.ceil(bodyBytes / 4);
    const completion: ChatCompletion = {
      id: `chatcmpl-${randomBytes(15).toString('base64url')}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: json.model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'content' in reply ? reply.content : null,
            refusal: null,
            annotations: [],
            ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
          },
          logprobs: null,
          finish_reason: toolCalls.length ? 'tool_calls' : 'stop',
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: 20,
        total_tokens: promptTokens + 20,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: 0,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_local',
    };
    this.json(res, record, 200, completion);
  }

  private missing(res: ServerResponse, record: RecordedRequest, param: string): void {
    this.error(res, record, 400, {
      message: `Missing required parameter: '${param}'.`,
      type: 'invalid_request_error',
      param,
      code: 'missing_required_parameter',
    });
  }

  private invalidJson(res: ServerResponse, record: RecordedRequest): void {
    this.error(res, record, 400, {
      message: 'We could not parse the JSON body of your request.',
      type: 'invalid_request_error',
    });
  }

  private error(
    res: ServerResponse,
    record: RecordedRequest,
    status: number,
    error: OpenAIErrorBody,
  ): void {
    this.json(res, record, status, { error: { param: null, code: null, ...error } });
  }

  private json(res: ServerResponse, record: RecordedRequest, status: number, body: unknown): void {
    record.outcome = status;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

/** Masked as OpenAI masks a wrong key: its start and its last four characters. */
function maskKey(key: string): string {
  if (key.length <= 8) return '*'.repeat(key.length);
  return `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}`;
}

function redactedHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name] =
      name === 'authorization' ? 'Bearer ***' : Array.isArray(value) ? value.join(', ') : value;
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

/** 16-bit little-endian mono at 24 kHz, as OpenAI's `pcm` format. */
function toneBytes(ms: number): Buffer {
  const count = Math.round((SPEECH_RATE * ms) / 1000);
  const out = Buffer.alloc(count * 2);
  for (let i = 0; i < count; i++) {
    out.writeInt16LE(
      Math.round(8000 * Math.sin((2 * Math.PI * SPEECH_TONE_HZ * i) / SPEECH_RATE)),
      i * 2,
    );
  }
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
