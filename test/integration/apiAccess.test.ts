import { readFileSync } from 'node:fs';
import type { FlowDefinitionInput } from '../../flows/model.js';
import { ApiUnderTest, type ErrorBody } from '../support/apiUnderTest.js';
import { describeWith } from '../support/services.js';

const example = JSON.parse(
  readFileSync(new URL('../../flows/examples/acme-bank-disputes.json', import.meta.url), 'utf8'),
) as FlowDefinitionInput;

const call = (extra: Record<string, unknown> = {}) => ({
  phone_number: '+18005550100',
  company: 'Acme Bank',
  intent: 'dispute a charge',
  user_device: 'sim:tester',
  flow: null,
  ...extra,
});

describeWith(['postgres', 'temporal'], 'API access and safety', () => {
  const api = new ApiUnderTest({
    API_BODY_LIMIT_KB: '8',
    REFUSED_EMERGENCY_NUMBERS: '911,112,999,311',
  });
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  describe('the API key', () => {
    it('is needed for every route but health and readiness', async () => {
      for (const route of [
        '/api/calls',
        '/api/call-flows',
        '/metrics',
        '/api/openapi.json',
        '/api/events/stream',
      ]) {
        const answer = await api.send('GET', route, undefined, { authorization: '' });
        expect([route, answer.status]).toEqual([route, 401]);
        expect(answer.body).toMatchObject({
          code: 'unauthorized',
          error: expect.stringContaining('an API key is required'),
        });
        expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
      expect((await api.send('GET', '/health', undefined, { authorization: '' })).status).toBe(200);
      expect((await api.send('GET', '/ready', undefined, { authorization: '' })).status).toBe(200);
    });

    it('is refused when wrong, said apart from a missing one', async () => {
      const wrong = await api.send('GET', '/api/calls', undefined, {
        authorization: 'Bearer not-the-key-at-all-0000',
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error).toBe('the API key given is not valid');
    });

    it('is taken as a bearer token, an X-API-Key header or the dashboard cookie', async () => {
      const bearer = await api.send('GET', '/api/calls?limit=1');
      expect(bearer.status).toBe(200);
      const header = await api.send('GET', '/api/calls?limit=1', undefined, {
        authorization: '',
        'x-api-key': api.key,
      });
      expect(header.status).toBe(200);
      const signIn = await api.send(
        'POST',
        '/dashboard/session',
        { key: api.key },
        { authorization: '' },
      );
      expect(signIn.status).toBe(204);
      const cookie = signIn.headers.get('set-cookie')!;
      expect(cookie).toMatch(/holdslayer_key=.+; path=\/; .*samesite=strict; httponly/i);
      const withCookie = await api.send('GET', '/api/calls?limit=1', undefined, {
        authorization: '',
        cookie: cookie.split(';')[0]!,
      });
      expect(withCookie.status).toBe(200);
      const badSignIn = await api.send(
        'POST',
        '/dashboard/session',
        { key: 'guessing-guessing' },
        { authorization: '' },
      );
      expect(badSignIn.status).toBe(401);
      expect(badSignIn.headers.get('set-cookie')).toBeNull();
    });
  });

  describe('numbers never dialled', () => {
    it.each([
      ['911', 'emergency'],
      ['112', 'emergency'],
      ['+44999', 'emergency'],
      ['+1 (900) 555-0100', 'premium-rate'],
      ['+19005550100', 'premium-rate'],
      ['1-976-555-0100', 'premium-rate'],
    ])('refuses a call to %s (%s), naming why', async (number, kind) => {
      const answer = await api.send('POST', '/api/calls', call({ phone_number: number }));
      expect(answer.status).toBe(422);
      expect(answer.body.code).toBe('refused_number');
      expect(answer.body.details).toEqual([
        {
          path: 'phone_number',
          message: expect.stringContaining(
            kind === 'emergency' ? 'is an emergency number' : 'premium-rate range',
          ),
        },
      ]);
    });

    it('refuses to bridge to a premium-rate phone, and honours the configured list', async () => {
      const bridge = await api.send('POST', '/api/calls', call({ user_device: '+19005550100' }));
      expect(bridge.status).toBe(422);
      expect(bridge.body.details.map((d) => d.path)).toEqual(['user_device']);
      // 311 is on this API's configured list, not the built-in one.
      const configured = await api.send('POST', '/api/calls', call({ phone_number: '311' }));
      expect(configured.body.details[0]!.message).toMatch(/emergency number \(311\)/);
      // The configured list replaced the built-in one: 000 is not on it, so it is merely not a number.
      const notOnList = await api.send('POST', '/api/calls', call({ phone_number: '000' }));
      expect(notOnList.status).toBe(400);
    });

    it('refuses a flow for such a number, and stores nothing', async () => {
      const answer = await api.send('POST', '/api/call-flows', {
        ...example,
        phone_number: '+19005550123',
      });
      expect(answer.status).toBe(422);
      expect(answer.body.details[0]!.path).toBe('phone_number');
      const listed = await api.send<unknown[]>(
        'GET',
        `/api/call-flows?phone_number=${encodeURIComponent('+19005550123')}`,
      );
      expect(listed.body).toEqual([]);
    });
  });

  describe('errors', () => {
    it('have one shape, with the request id also in X-Request-Id', async () => {
      const answer = await api.send('GET', '/api/calls/call-nobody', undefined, {
        'x-request-id': 'trace-123',
      });
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({
        error: 'call call-nobody not found',
        code: 'not_found',
        details: [],
        request_id: 'trace-123',
      } satisfies ErrorBody);
      expect(answer.headers.get('x-request-id')).toBe('trace-123');
      const unrouted = await api.send('GET', '/api/nothing-here');
      expect(unrouted.body).toMatchObject({
        code: 'not_found',
        error: 'no route for GET /api/nothing-here',
      });
      expect(unrouted.body.request_id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('name a method a route does not take', async () => {
      const answer = await api.send('DELETE', '/api/calls');
      expect(answer.status).toBe(405);
      expect(answer.body.code).toBe('method_not_allowed');
      expect(answer.body.error).toMatch(/\/api\/calls does not take DELETE; it takes .*POST/);
    });

    it('answer a method the API does not know in the same shape', async () => {
      const answer = await api.send('PROPFIND', '/api/calls');
      expect(answer.status).toBe(501);
      expect(answer.body).toMatchObject({
        code: 'not_implemented',
        error: 'the API does not take the method PROPFIND',
      });
    });

    it('refuse a body over the limit, and one that is not JSON', async () => {
      const big = await api.send('POST', '/api/call-flows', {
        ...example,
        description: 'x'.repeat(9 * 1024),
      });
      expect(big.status).toBe(413);
      expect(big.body).toMatchObject({
        code: 'payload_too_large',
        error: expect.stringContaining('limit of 8 KiB'),
      });
      const text = await api.send('POST', '/api/calls', 'phone_number=911', {
        'content-type': 'text/plain',
      });
      expect(text.status).toBe(415);
      expect(text.body.error).toMatch(/must be JSON.*not text\/plain/);
      const broken = await api.send('POST', '/api/calls', '{"phone_number": ');
      expect(broken.status).toBe(400);
      expect(broken.body.error).toMatch(/not valid JSON/);
    });
  });

  describe('documents', () => {
    it('serves its OpenAPI document, which names the routes it serves', async () => {
      const doc = await api.send<{
        openapi: string;
        paths: Record<string, Record<string, unknown>>;
      }>('GET', '/api/openapi.json');
      expect(doc.status).toBe(200);
      expect(doc.body.openapi).toBe('3.1.0');
      expect(Object.keys(doc.body.paths['/api/calls/{id}/digits']!)).toContain('post');
    });

    it('sends a browser at the root to the dashboard, and has no assets but its own', async () => {
      const root = await fetch(`${api.url}/`, { redirect: 'manual' });
      expect(root.status).toBe(302);
      expect(root.headers.get('location')).toBe('/dashboard');
      const page = await api.send<string>('GET', '/dashboard', undefined, { authorization: '' });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      const other = await api.send('GET', '/dashboard/secrets.txt', undefined, {
        authorization: '',
      });
      expect(other.status).toBe(404);
      expect(other.body.error).toBe('the dashboard has no secrets.txt');
    });
  });

  describe('operations', () => {
    it('is ready when PostgreSQL, Temporal and the event store answer', async () => {
      const ready = await api.send<{ ready: boolean; checks: Record<string, string> }>(
        'GET',
        '/ready',
      );
      expect(ready.body).toEqual({
        ready: true,
        checks: { postgres: 'ok', temporal: 'ok', event_store: 'ok' },
      });
    });

    it('serves Prometheus metrics: calls in progress, hold time, detection latency, outcomes, requests', async () => {
      const metrics = await api.send<string>('GET', '/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
      for (const name of [
        'holdslayer_calls_in_progress',
        'holdslayer_hold_seconds',
        'holdslayer_human_detection_latency_seconds',
        'holdslayer_call_outcomes_total',
        'holdslayer_http_request_duration_seconds',
      ])
        expect(metrics.body).toContain(`# TYPE ${name} `);
      // The requests above were counted by their route pattern, not their path.
      expect(metrics.body).toMatch(
        /holdslayer_http_request_duration_seconds_count\{method="GET",route="\/api\/calls\/:id",status="404"\} [1-9]/,
      );
    });
  });
});
