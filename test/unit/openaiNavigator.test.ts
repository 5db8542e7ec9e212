import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionFunctionTool,
} from 'openai/resources/chat/completions';
import type { MenuContext, NavigatorAction } from '../../navigator/decision.js';
import { NavigatorError, OpenAINavigator } from '../../navigator/openaiNavigator.js';
import { OpenAIServer, type ChatReply } from '../support/openaiServer.js';

const KEY = 'sk-test-navigator-0123456789abcdef';
const PATH = '/v1/chat/completions';
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
};

describe('OpenAI navigator over a local OpenAI server', () => {
  let server: OpenAIServer;
  let sent: ChatCompletionCreateParamsNonStreaming[];
  let reply: ChatReply;

  beforeAll(async () => {
    server = await OpenAIServer.start({
      apiKey: KEY,
      chat: (body) => {
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

  const navigator = (options: { apiKey?: string; model?: string } = {}) =>
    new OpenAINavigator({ apiKey: KEY, baseURL: server.baseURL, ...options });

  function toolNamed(body: ChatCompletionCreateParamsNonStreaming, name: string) {
    return body.tools?.find(
      (t): t is ChatCompletionFunctionTool => t.type === 'function' && t.function.name === name,
    );
  }

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
  ])('maps %s to its decision', async (name, args, action) => {
    reply = { name, arguments: args };
    const decision = await navigator().decide(MENU);
    expect(decision).toEqual({
      action,
      confidence: 0.8,
      reason: args.reason,
      decidedBy: 'openai',
    });
  });

  it('sends the tools, the menu, the intent, the path, what was tried, and secret names only', async () => {
    reply = { name: 'press_digits', arguments: { digits: '3', reason: 'dispute' } };
    await navigator().decide(MENU);
    expect(sent).toHaveLength(1);
    const body = sent[0]!;
    expect(body.model).toBe('gpt-4o-mini');
    expect(body.tool_choice).toBe('required');
    expect(body.parallel_tool_calls).toBe(false);
    expect(body.tools?.map((t) => (t.type === 'function' ? t.function.name : t.type))).toEqual([
      'press_digits',
      'say_phrase',
      'key_secret',
      'wait',
      'go_back',
    ]);
    for (const tool of body.tools ?? []) {
      expect(tool.type).toBe('function');
      if (tool.type !== 'function') continue;
      expect(tool.function.description).toBeTruthy();
      expect(tool.function.parameters).toMatchObject({
        type: 'object',
        additionalProperties: false,
      });
    }
    expect(toolNamed(body, 'key_secret')!.function.parameters).toMatchObject({
      properties: { name: { enum: ['account', 'dob'] } },
      required: ['name', 'terminator', 'reason'],
    });
    expect(toolNamed(body, 'press_digits')!.function.parameters).toMatchObject({
      properties: { digits: { type: 'string', pattern: '^[0-9*#]{1,32}$' } },
    });

    const [system, user] = body.messages;
    expect(system).toMatchObject({ role: 'system' });
    expect(String(system!.content)).toMatch(/never invent digits/i);
    expect(user).toMatchObject({ role: 'user' });
    const text = String(user!.content);
    expect(text).toContain(MENU.transcript);
    expect(text).toContain(MENU.intent);
    expect(text).toContain('account, dob');
    expect(text).toContain('"Welcome to Acme Bank. For English, press 1." -> pressed 1');
    expect(text).toMatch(/Already tried at this menu.*pressed 2/);
    expect(text).not.toMatch(/dead ends/i);

    const raw = JSON.stringify(server.requestsTo(PATH)[0]!.json);
    expect(raw).not.toContain(ACCOUNT_NUMBER);
    expect(server.requestsTo(PATH)[0]!.headers.authorization).toBe('Bearer ***');
  });

  it('lists the dead ends known at this number', async () => {
    reply = { name: 'press_digits', arguments: { digits: '0', reason: 'operator' } };
    await navigator().decide({
      ...MENU,
      deadEnds: [
        {
          menu: MENU.transcript,
          action: { kind: 'press', digits: '3' },
          ending: "hung up: 'visit our website. Goodbye.'",
        },
      ],
    });
    const text = String(sent[0]!.messages[1]!.content);
    expect(text).toContain('Known dead ends at this number (never choose these):');
    expect(text).toContain(
      `1. at "${MENU.transcript}" -> pressed 3: hung up: 'visit our website. Goodbye.'`,
    );
  });

  it('offers no key_secret tool when the call carries no secrets', async () => {
    reply = { name: 'press_digits', arguments: { digits: '0', reason: 'operator' } };
    await navigator().decide({ ...MENU, secretNames: [] });
    expect(toolNamed(sent[0]!, 'key_secret')).toBeUndefined();
    expect(String(sent[0]!.messages[1]!.content)).toContain('(by name): none');
  });

  it('uses the model it is given and gives a reason when the model gives none', async () => {
    reply = { name: 'wait', arguments: {} };
    const decision = await navigator({ model: 'gpt-4.1-mini' }).decide(MENU);
    expect(sent[0]!.model).toBe('gpt-4.1-mini');
    expect(decision.reason).toBe('gpt-4.1-mini chose wait');
  });

  it.each<[string, ChatReply, RegExp]>([
    [
      'invalid digits',
      { name: 'press_digits', arguments: { digits: '12a', reason: 'x' } },
      /press_digits arguments are invalid: digits: must be 1 to 32 keys/,
    ],
    [
      'missing digits',
      { name: 'go_back', arguments: { reason: 'x' } },
      /go_back arguments are invalid: digits:/,
    ],
    [
      'an empty phrase',
      { name: 'say_phrase', arguments: { phrase: ' ', reason: 'x' } },
      /say_phrase arguments are invalid: phrase:/,
    ],
    [
      'a bad terminator',
      { name: 'key_secret', arguments: { name: 'account', terminator: '9' } },
      /key_secret arguments are invalid: terminator:/,
    ],
    [
      'an unknown secret',
      { name: 'key_secret', arguments: { name: 'pin', terminator: '#' } },
      /key_secret argument name: "pin" is not a secret of this call \(it has account, dob\)/,
    ],
    [
      'arguments that are not JSON',
      { name: 'press_digits', arguments: '{"digits": "3"' },
      /press_digits arguments are not JSON/,
    ],
    ['an unknown tool', { name: 'transfer_call', arguments: {} }, /unknown tool "transfer_call"/],
    ['no tool call', { content: 'Press 3.' }, /answered without calling a tool/],
    [
      'two tool calls',
      [
        { name: 'wait', arguments: {} },
        { name: 'press_digits', arguments: { digits: '3' } },
      ],
      /called 2 tools \(wait, press_digits\), expected one/,
    ],
  ])('refuses %s with a NavigatorError', async (_what, scripted, message) => {
    reply = scripted;
    const error = await navigator()
      .decide(MENU)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(NavigatorError);
    expect((error as NavigatorError).message).toMatch(message);
  });

  it('fails without retrying, naming the cause, when the key is refused', async () => {
    const wrongKey = 'sk-wrong-navigator-key-must-not-leak';
    reply = { name: 'wait', arguments: {} };
    const error = await navigator({ apiKey: wrongKey })
      .decide(MENU)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(NavigatorError);
    expect((error as NavigatorError).retryable).toBe(false);
    expect((error as NavigatorError).message).toContain('401 invalid_api_key');
    expect((error as NavigatorError).message).not.toContain(wrongKey);
    expect(server.requestsTo(PATH)).toHaveLength(1);
  });

  it('retries a rate limit and a dropped connection, then decides', async () => {
    server.failNext({
      path: PATH,
      status: 429,
      headers: { 'retry-after-ms': '10' },
      error: {
        message: 'Rate limit reached for requests',
        type: 'requests',
        code: 'rate_limit_exceeded',
      },
    });
    server.failNext({ path: PATH, drop: 'before-response' });
    reply = { name: 'press_digits', arguments: { digits: '3', reason: 'dispute' } };
    const decision = await navigator().decide(MENU);
    expect(decision.action).toEqual({ kind: 'press', digits: '3' });
    expect(server.requestsTo(PATH).map((r) => r.outcome)).toEqual([429, 'dropped', 200]);
  });
});
