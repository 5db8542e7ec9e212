import pino from 'pino';
import type { MessageCreateParamsNonStreaming, Tool } from '@anthropic-ai/sdk/resources/messages';
import { AnthropicNavigator, NavigatorError } from '../../navigator/anthropicNavigator.js';
import type { MenuContext, NavigatorAction } from '../../navigator/decision.js';
import { RuleNavigator } from '../../navigator/ruleNavigator.js';
import { TieredNavigator } from '../../navigator/tieredNavigator.js';
import { AnthropicServer, type MessagesReply } from '../support/anthropicServer.js';

const KEY = 'sk-ant-test-navigator-0123456789abcdef';
const PATH = '/v1/messages';
/** A value the caller gave: it stays in the vault, and must never reach the model. */
const ACCOUNT_NUMBER = '4417123456';

const MENU: MenuContext = {
  transcript:
    'For billing, press 1. To report a lost card, press 2. To dispute a charge, press 3. For all other questions, press 0.',
  intent: 'dispute a charge on my credit card',
  secretNames: ['account', 'dob'],
  path: [
    { menu: 'Welcome to Acme Bank. For English, press 1.', action: { kind: 'press', digits: '1' } },
  ],
  tried: [{ kind: 'press', digits: '2' }],
  deadEnds: [
    {
      menu: 'For billing, press 1. For anything else, press 9.',
      action: { kind: 'press', digits: '9' },
      ending: "hung up: 'visit our website. Goodbye.'",
    },
  ],
};

/** Fails with what was thrown, or with nothing when it did not throw. */
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('Anthropic navigator over a local Messages API server', () => {
  let server: AnthropicServer;
  let sent: MessageCreateParamsNonStreaming[];
  let reply: MessagesReply;

  beforeAll(async () => {
    server = await AnthropicServer.start({
      apiKey: KEY,
      messages: (body) => {
        sent.push(body);
        return reply;
      },
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.reset();
    sent = [];
  });

  const navigator = (
    options: { apiKey?: string; model?: string; maxRetries?: number; timeoutMs?: number } = {},
  ) => new AnthropicNavigator({ apiKey: KEY, baseURL: server.baseURL, ...options });

  /** The navigator sends custom tools only. */
  const toolsOf = (body: MessageCreateParamsNonStreaming) => (body.tools ?? []) as Tool[];
  const toolNamed = (body: MessageCreateParamsNonStreaming, name: string) =>
    toolsOf(body).find((t) => t.name === name);

  it.each<[string, Record<string, unknown>, NavigatorAction]>([
    [
      'press_digits',
      { digits: '3', reason: 'menu says "to dispute a charge, press 3"' },
      { kind: 'press', digits: '3' },
    ],
    [
      'say_phrase',
      { phrase: 'dispute a charge', reason: 'speech menu' },
      { kind: 'say', phrase: 'dispute a charge' },
    ],
    [
      'key_secret',
      { name: 'account', terminator: '#', reason: 'asks for the account number' },
      { kind: 'key-secret', name: 'account', terminator: '#' },
    ],
    ['wait', { reason: 'greeting only' }, { kind: 'wait' }],
    ['go_back', { digits: '*', reason: 'wrong department' }, { kind: 'go-back', digits: '*' }],
  ])('maps %s to its decision', async (name, input, action) => {
    reply = { name, input };
    const decision = await navigator().decide(MENU);
    expect(decision).toEqual({
      action,
      confidence: 0.8,
      reason: input.reason,
      decidedBy: 'anthropic',
    });
  });

  it('sends the tools, one forced call, the prompt, the menu, the path, what was tried, the dead ends, and secret names only', async () => {
    reply = { name: 'press_digits', input: { digits: '3', reason: 'dispute' } };
    await navigator().decide(MENU);
    expect(sent).toHaveLength(1);
    const body = sent[0]!;
    expect(body.model).toBe('claude-haiku-4-5');
    expect(body.max_tokens).toBeGreaterThan(0);
    expect(body.max_tokens).toBeLessThanOrEqual(512);
    expect(body.tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true });
    expect(toolsOf(body).map((t) => t.name)).toEqual([
      'press_digits',
      'say_phrase',
      'key_secret',
      'wait',
      'go_back',
    ]);
    for (const tool of toolsOf(body)) {
      expect(Object.keys(tool).sort()).toEqual(['description', 'input_schema', 'name']);
      expect(tool.description).toBeTruthy();
      expect(tool.input_schema).toMatchObject({ type: 'object', additionalProperties: false });
    }
    expect(toolNamed(body, 'key_secret')!.input_schema).toMatchObject({
      properties: { name: { enum: ['account', 'dob'] } },
      required: ['name', 'terminator', 'reason'],
    });
    expect(toolNamed(body, 'press_digits')!.input_schema).toMatchObject({
      properties: { digits: { type: 'string', pattern: '^[0-9*#]{1,32}$' } },
    });

    expect(String(body.system)).toMatch(/never invent digits/i);
    expect(body.messages).toHaveLength(1);
    const [user] = body.messages;
    expect(user).toMatchObject({ role: 'user' });
    const text = String(user!.content);
    expect(text).toContain(MENU.transcript);
    expect(text).toContain(MENU.intent);
    expect(text).toContain('account, dob');
    expect(text).toContain('"Welcome to Acme Bank. For English, press 1." -> pressed 1');
    expect(text).toMatch(/Already tried at this menu.*pressed 2/);
    expect(text).toContain('Known dead ends at this number (never choose these):');
    expect(text).toContain(
      `1. at "For billing, press 1. For anything else, press 9." -> pressed 9: hung up: 'visit our website. Goodbye.'`,
    );

    // API version 2026-10-21 refuses sampling parameters, and the server enforces it.
    expect(body).not.toHaveProperty('temperature');
    const request = server.requests[0]!;
    expect(request.path).toBe(PATH);
    expect(request.headers['anthropic-version']).toBe('2026-10-21');
    const raw = JSON.stringify(request.json);
    expect(raw).not.toContain(ACCOUNT_NUMBER);
    expect(raw).not.toContain(KEY);
    expect(JSON.stringify(request.headers)).not.toContain(KEY);
  });

  it('offers no key_secret tool when the call carries no secrets, and no dead ends when none are known', async () => {
    reply = { name: 'press_digits', input: { digits: '0', reason: 'operator' } };
    const context: MenuContext = { ...MENU, secretNames: [] };
    delete context.deadEnds;
    await navigator().decide(context);
    expect(toolNamed(sent[0]!, 'key_secret')).toBeUndefined();
    const text = String(sent[0]!.messages[0]!.content);
    expect(text).toContain('(by name): none');
    expect(text).not.toMatch(/dead ends/i);
  });

  it('uses the model it is given and gives a reason when the model gives none', async () => {
    reply = { name: 'wait', input: {} };
    const decision = await navigator({ model: 'claude-sonnet-4-6' }).decide(MENU);
    expect(sent[0]!.model).toBe('claude-sonnet-4-6');
    expect(decision.reason).toBe('claude-sonnet-4-6 chose wait');
  });

  it.each<[string, MessagesReply, RegExp]>([
    [
      'invalid digits',
      { name: 'press_digits', input: { digits: '12a', reason: 'x' } },
      /press_digits arguments are invalid: digits: must be 1 to 32 keys/,
    ],
    [
      'missing digits',
      { name: 'go_back', input: { reason: 'x' } },
      /go_back arguments are invalid: digits:/,
    ],
    [
      'an empty phrase',
      { name: 'say_phrase', input: { phrase: ' ', reason: 'x' } },
      /say_phrase arguments are invalid: phrase:/,
    ],
    [
      'a bad terminator',
      { name: 'key_secret', input: { name: 'account', terminator: '9' } },
      /key_secret arguments are invalid: terminator:/,
    ],
    [
      'an unknown secret',
      { name: 'key_secret', input: { name: 'pin', terminator: '#' } },
      /key_secret argument name: "pin" is not a secret of this call \(it has account, dob\)/,
    ],
    [
      'arguments that are not an object',
      { name: 'press_digits', input: '3' },
      /press_digits arguments are invalid: \(arguments\):/,
    ],
    ['an unknown tool', { name: 'transfer_call', input: {} }, /unknown tool "transfer_call"/],
    [
      'a text-only answer',
      { text: 'Press 3.' },
      /answered without calling a tool \(stop_reason end_turn\): "Press 3\."/,
    ],
    [
      'two tool calls',
      [
        { name: 'wait', input: {} },
        { name: 'press_digits', input: { digits: '3' } },
      ],
      /called 2 tools \(wait, press_digits\), expected one/,
    ],
    [
      'stop_reason refusal',
      { refusal: 'not something I can help with' },
      /the model refused: not something I can help with/,
    ],
  ])('refuses %s with a non-retryable NavigatorError', async (_what, scripted, message) => {
    reply = scripted;
    const error = await failure(navigator().decide(MENU));
    expect(error).toBeInstanceOf(NavigatorError);
    expect((error as NavigatorError).message).toMatch(message);
    expect((error as NavigatorError).retryable).toBe(false);
  });

  it('fails without retrying, naming the cause and never the key, when the key is refused', async () => {
    const wrongKey = 'sk-ant-wrong-navigator-key-must-not-leak';
    reply = { name: 'wait', input: {} };
    const error = await failure(navigator({ apiKey: wrongKey }).decide(MENU));
    expect(error).toBeInstanceOf(NavigatorError);
    const { message, retryable } = error as NavigatorError;
    expect(retryable).toBe(false);
    expect(message).toBe(
      'Anthropic navigator request failed: 401 authentication_error: invalid x-api-key',
    );
    expect(message).not.toContain(wrongKey);
    expect(server.requests.map((r) => r.outcome)).toEqual([401]);
  });

  it('retries a rate limit, an overload and a dropped connection, then decides', async () => {
    // A dropped connection has no retry-after: first, it waits the SDK's shortest backoff.
    server.failNext({ drop: 'before-response' });
    server.failNext({ status: 429, headers: { 'retry-after-ms': '10', 'retry-after': '1' } });
    server.failNext({ status: 529, headers: { 'retry-after-ms': '10' } });
    reply = { name: 'press_digits', input: { digits: '3', reason: 'dispute' } };
    const decision = await navigator({ maxRetries: 3 }).decide(MENU);
    expect(decision.action).toEqual({ kind: 'press', digits: '3' });
    expect(server.requests.map((r) => r.outcome)).toEqual(['dropped', 429, 529, 200]);
    expect(server.requests.map((r) => r.headers['x-stainless-retry-count'])).toEqual([
      '0',
      '1',
      '2',
      '3',
    ]);
  });

  it.each<[string, number, RegExp]>([
    ['a rate limit', 429, /429 rate_limit_error: This request would exceed the rate limit/],
    ['an overload', 529, /529 overloaded_error: Overloaded/],
    ['a server error', 500, /500 api_error: Internal server error/],
  ])('gives up on %s once the retries are spent, as retryable', async (_what, status, message) => {
    for (let i = 0; i < 2; i++) server.failNext({ status, headers: { 'retry-after-ms': '5' } });
    const error = await failure(navigator({ maxRetries: 1 }).decide(MENU));
    expect(error).toBeInstanceOf(NavigatorError);
    expect((error as NavigatorError).retryable).toBe(true);
    expect((error as NavigatorError).message).toMatch(message);
    expect(server.requests).toHaveLength(2);
  });

  it('gives up on a request that takes too long, as retryable', async () => {
    server.failNext({ delayMs: 500 });
    reply = { name: 'wait', input: {} };
    const error = await failure(navigator({ timeoutMs: 50, maxRetries: 0 }).decide(MENU));
    expect(error).toBeInstanceOf(NavigatorError);
    expect((error as NavigatorError).retryable).toBe(true);
    expect((error as NavigatorError).message).toMatch(/timed out/i);
  });

  it('is served by a server keeping the API rules: the key, the version, no sampling parameters in 2026-10-21', async () => {
    const post = (headers: Record<string, string>, extra: Record<string, unknown> = {}) =>
      fetch(`${server.baseURL}${PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({
          model: 'claude-haiku-4-5',
          max_tokens: 64,
          messages: [{ role: 'user', content: 'Hello' }],
          ...extra,
        }),
      }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as Record<string, unknown>,
      }));
    reply = { text: 'Hello.' };

    const noKey = await post({ 'anthropic-version': '2026-10-21' });
    expect(noKey.status).toBe(401);
    expect(noKey.body).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error', message: 'x-api-key header is required' },
    });
    expect(noKey.body.request_id).toMatch(/^req_/);

    const noVersion = await post({ 'x-api-key': KEY });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body).toMatchObject({ error: { type: 'invalid_request_error' } });

    const older = await post(
      { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
      { temperature: 0 },
    );
    expect(older.status).toBe(200);
    expect(older.body).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'Hello.' }],
      stop_reason: 'end_turn',
    });

    const newer = await post(
      { 'x-api-key': KEY, 'anthropic-version': '2026-10-21' },
      { temperature: 0 },
    );
    expect(newer.status).toBe(400);
    expect(newer.body).toMatchObject({
      error: { type: 'invalid_request_error', message: expect.stringMatching(/^temperature:/) },
    });
  });

  it("leaves the rules' choice standing when it fails, inside the tiered navigator", async () => {
    const log = pino({ level: 'silent' });
    const unsure: MenuContext = {
      transcript: 'For sales, press 1. For an operator, press 0.',
      intent: 'dispute a charge on my credit card',
      secretNames: [],
      path: [],
      tried: [],
    };
    const tiered = (apiKey: string) =>
      new TieredNavigator(new RuleNavigator(), navigator({ apiKey, maxRetries: 0 }), log, 0.6);

    reply = { name: 'press_digits', input: { digits: '1', reason: 'sales may route disputes' } };
    expect(await tiered(KEY).decide(unsure)).toMatchObject({
      decidedBy: 'anthropic',
      action: { kind: 'press', digits: '1' },
    });

    const refused = await tiered('sk-ant-refused-key-0000000000').decide(unsure);
    expect(refused).toMatchObject({ decidedBy: 'rules', action: { kind: 'press', digits: '0' } });

    server.failNext({ status: 529 });
    const overloaded = await tiered(KEY).decide(unsure);
    expect(overloaded).toMatchObject({
      decidedBy: 'rules',
      action: { kind: 'press', digits: '0' },
    });

    reply = { text: 'I would press 0.' };
    const wordy = await tiered(KEY).decide(unsure);
    expect(wordy).toMatchObject({ decidedBy: 'rules', action: { kind: 'press', digits: '0' } });
  });
});
