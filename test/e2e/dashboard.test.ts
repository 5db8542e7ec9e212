import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';
import type { FlowDefinitionInput } from '../../flows/model.js';
import { CallStack } from '../support/callStack.js';
import { describeWith, required, testServices } from '../support/services.js';

const example = JSON.parse(
  readFileSync(new URL('../../flows/examples/acme-bank-disputes.json', import.meta.url), 'utf8'),
) as FlowDefinitionInput;
const ACCOUNT = '4417123456';
const ARTIFACTS = path.resolve('test-artifacts');

/** What the browser reported as an error: CSP refusals, failed loads, uncaught exceptions. */
interface PageError {
  text: string;
  url: string;
}

/** Collects the page's console errors and uncaught exceptions from the start. */
function watchErrors(page: Page): PageError[] {
  const errors: PageError[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error')
      errors.push({ text: message.text(), url: message.location().url });
  });
  page.on('pageerror', (error) => errors.push({ text: `uncaught: ${error.message}`, url: '' }));
  return errors;
}

/**
 * Chromium logs every 4xx answer to a script's request as a console error.
 * Before signing in the page is meant to meet two: its first look at the
 * calls, and a wrong key refused. Anything else is a fault of the page.
 */
function unexpected(errors: PageError[], signedInAt = errors.length): PageError[] {
  return errors.filter(
    (e, i) =>
      !(
        i < signedInAt &&
        /status of 401/.test(e.text) &&
        (e.url.includes('/api/calls?') || e.url.endsWith('/dashboard/session'))
      ),
  );
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describeWith(
  ['postgres', 'temporal', 'sounds', 'chromium'],
  'the dashboard, in a browser, on the whole stack',
  () => {
    const stack = new CallStack();
    let browser: Browser;
    let flow: { id: string; version: number };
    const contexts: BrowserContext[] = [];

    async function openPage(): Promise<{ page: Page; errors: PageError[] }> {
      const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
      contexts.push(context);
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(`${stack.api.url}/dashboard`);
      return { page, errors };
    }

    const byTestId = (scope: Page | Locator, id: string) => scope.locator(`[data-testid="${id}"]`);

    async function screenshot(page: Page, name: string): Promise<string> {
      const file = path.join(ARTIFACTS, `dashboard-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`dashboard screenshot: ${file}`);
      return file;
    }

    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      // Which of transferring and connected gets its picture depends on the run: no stale one may stay.
      for (const file of readdirSync(ARTIFACTS))
        if (/^dashboard-.*\.png$/.test(file)) rmSync(path.join(ARTIFACTS, file));
      await stack.start();
      const created = await stack.request<{ id: string; version: number }>(
        'POST',
        '/api/call-flows',
        { ...example, tags: ['e2e', 'dashboard'] },
      );
      expect(created.status).toBe(201);
      flow = created.body;
      browser = await chromium.launch({
        executablePath: required(testServices().chromiumPath, 'Chromium'),
        args: ['--no-sandbox'],
      });
    }, 180_000);

    afterAll(async () => {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser?.close();
      await stack.stop();
    }, 60_000);

    it('asks for a key first, and says so when a key is wrong', async () => {
      const { page, errors } = await openPage();
      await byTestId(page, 'sign-in-form').waitFor({ state: 'visible' });
      expect(await byTestId(page, 'dashboard').isHidden()).toBe(true);
      expect(await byTestId(page, 'sign-in').textContent()).toContain('.data/api-key');

      await byTestId(page, 'sign-in-key').fill('not-the-key');
      await byTestId(page, 'sign-in-submit').click();
      const error = byTestId(page, 'sign-in-error');
      await error.waitFor({ state: 'visible' });
      expect(await error.textContent()).toMatch(/not accepted/);
      expect(await byTestId(page, 'dashboard').isHidden()).toBe(true);
      expect(await page.context().cookies()).toEqual([]);
      await screenshot(page, 'sign-in');

      expect(unexpected(errors)).toEqual([]);
    });

    it('follows a call live, from the menu through the hold to the person, then shows it in the history', async () => {
      const { page, errors } = await openPage();
      await byTestId(page, 'sign-in-form').waitFor({ state: 'visible' });
      await byTestId(page, 'sign-in-key').fill(stack.api.key);
      await byTestId(page, 'sign-in-submit').click();
      await byTestId(page, 'dashboard').waitFor({ state: 'visible' });
      const signedInAt = errors.length;
      // The browser keeps the key where the page's scripts cannot read it.
      const [cookie] = await page.context().cookies();
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
      await page.locator('[data-testid="stream-state"][data-state="open"]').waitFor();

      const flowRow = page.locator(`[data-testid="flow-row"][data-flow-id="${flow.id}"]`);
      await flowRow.waitFor();
      expect(await byTestId(flowRow, 'flow-name').textContent()).toBe(example.name);
      expect(await byTestId(flowRow, 'flow-latest').textContent()).toBe('v1');

      const placed = await stack.request<{ id: string }>('POST', '/api/calls', {
        phone_number: example.phone_number,
        company: example.company,
        intent: 'dispute a charge on my credit card',
        user_device: 'sim:dashboard-user',
        flow: { id: flow.id },
        secrets: { account: ACCOUNT },
      });
      expect(placed.status).toBe(201);
      const id = placed.body.id;
      const row = page.locator(`[data-testid="call-row"][data-call-id="${id}"]`);
      const rowIn = (...phases: string[]) =>
        page.locator(
          `[data-testid="call-row"][data-call-id="${id}"]:is(${phases.map((p) => `[data-phase="${p}"]`).join(', ')})`,
        );

      // The menus: the step the flow is on shows with its type.
      await rowIn('navigating').waitFor({ timeout: 60_000 });
      expect(await byTestId(row, 'call-company').textContent()).toBe(example.company);
      expect(await byTestId(row, 'call-number').textContent()).toBe(example.phone_number);
      const menuSteps = example.steps
        .filter((s) => s.type === 'LISTEN')
        .map((s) => s.description ?? s.id);
      const menuStep = new RegExp(`^(${menuSteps.map(escapeRegExp).join('|')})$`);
      await byTestId(row, 'call-step').filter({ hasText: menuStep }).waitFor({ timeout: 30_000 });
      expect(await byTestId(row, 'call-step-type').textContent()).toBe('LISTEN');
      await screenshot(page, 'navigating');

      // On hold: the timer counts up by itself, between the API's answers.
      await rowIn('holding').waitFor({ timeout: 90_000 });
      const timer = byTestId(row, 'hold-timer');
      await page
        .locator(`[data-call-id="${id}"] [data-testid="hold-timer"][data-ticking="true"]`)
        .waitFor();
      expect(await byTestId(row, 'call-step').textContent()).toBe(
        example.steps.find((s) => s.type === 'HOLD')!.description,
      );
      expect(await byTestId(row, 'call-step-type').textContent()).toBe('HOLD');
      const first = {
        seconds: Number(await timer.getAttribute('data-seconds')),
        text: await timer.textContent(),
      };
      // It ticks once a second and is set again at each answer from the API, which rounds: within a few seconds it has moved on by two.
      const deadline = Date.now() + 6000;
      while (
        Number(await timer.getAttribute('data-seconds')) < first.seconds + 2 &&
        Date.now() < deadline
      )
        await page.waitForTimeout(200);
      const second = {
        seconds: Number(await timer.getAttribute('data-seconds')),
        text: await timer.textContent(),
      };
      expect(first.text).toMatch(/^\d+:\d\d$/);
      expect(second.seconds).toBeGreaterThanOrEqual(first.seconds + 2);
      expect(second.text).not.toBe(first.text);
      await screenshot(page, 'holding');

      // A person answered: the user is being brought in.
      await rowIn('transferring', 'connected').waitFor({ timeout: 90_000 });
      const bridging = await row.getAttribute('data-phase');
      await screenshot(page, bridging ?? 'transferring');

      // Ended: out of the calls in progress, into the history with its outcome, hold time and flow.
      const done = page.locator(`[data-testid="history-row"][data-call-id="${id}"]`);
      await done.waitFor({ timeout: 60_000 });
      expect(await done.getAttribute('data-outcome')).toBe('connected');
      expect(await row.count()).toBe(0);
      expect(await byTestId(done, 'history-outcome').textContent()).toBe('connected');
      expect(await byTestId(done, 'history-flow').textContent()).toBe(`${flow.id}@1`);
      expect(await byTestId(done, 'history-flow-name').textContent()).toBe(example.name);
      expect(await byTestId(done, 'history-hold').textContent()).toMatch(/^\d+:\d\d$/);
      expect(await byTestId(done, 'history-ended').textContent()).not.toBe('—');

      // The flow's counts follow the call's end; its versions open on demand.
      await page
        .locator(`[data-testid="flow-row"][data-flow-id="${flow.id}"] .good`)
        .filter({ hasText: /^1$/ })
        .waitFor({ timeout: 10_000 });
      await byTestId(flowRow, 'flow-toggle').click();
      const version = page.locator(
        `[data-testid="flow-versions"][data-flow-id="${flow.id}"] [data-testid="flow-version"][data-version="1"]`,
      );
      await version.waitFor();
      expect(await version.textContent()).toContain('api');
      await screenshot(page, 'ended');

      expect(unexpected(errors, signedInAt)).toEqual([]);

      await byTestId(page, 'sign-out').click();
      await byTestId(page, 'sign-in-form').waitFor({ state: 'visible' });
      expect(await page.context().cookies()).toEqual([]);
    }, 300_000);
  },
);
