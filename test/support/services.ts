import { existsSync } from 'node:fs';

/**
 * What the global setup made available, passed to test files through the
 * environment. A test that needs something absent is skipped, and says why.
 */
export interface TestServices {
  databaseUrl: string | undefined;
  temporalAddress: string | undefined;
  temporalCli: string | undefined;
  skipReasons: {
    postgres?: string;
    temporal?: string;
    sounds?: string;
    kurrentdb?: string;
    chromium?: string;
    gateway?: string;
  };
  /** A KurrentDB to run the event store contract against (not part of the tests' own stack). */
  kurrentdbUrl: string | undefined;
  /** A Chromium for browser tests: CHROMIUM_PATH, or Debian's chromium package (nothing is downloaded). */
  chromiumPath: string | undefined;
  /** A running FreeSWITCH gateway and the numbers to call through its trunk, for the live suite. */
  liveGateway: { url: string; answering: string; busy: string; userDevice: string } | undefined;
}

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export function testServices(env: NodeJS.ProcessEnv = process.env): TestServices {
  const chromium = env.CHROMIUM_PATH || DEBIAN_CHROMIUM;
  const chromiumFound = existsSync(chromium);
  return {
    databaseUrl: env.TEST_DATABASE_URL,
    temporalAddress: env.TEST_TEMPORAL_ADDRESS,
    temporalCli: env.TEST_TEMPORAL_CLI,
    skipReasons: {
      ...(env.TEST_SKIP_POSTGRES ? { postgres: env.TEST_SKIP_POSTGRES } : {}),
      ...(env.TEST_SKIP_TEMPORAL ? { temporal: env.TEST_SKIP_TEMPORAL } : {}),
      ...(env.TEST_SKIP_SOUNDS ? { sounds: env.TEST_SKIP_SOUNDS } : {}),
      ...(env.KURRENTDB_URL
        ? {}
        : {
            kurrentdb:
              'KURRENTDB_URL is not set (docker compose --profile kurrentdb up starts one)',
          }),
      ...(env.LIVE_GATEWAY_URL &&
      env.LIVE_ANSWERING_NUMBER &&
      env.LIVE_BUSY_NUMBER &&
      env.LIVE_USER_DEVICE
        ? {}
        : {
            gateway:
              'LIVE_GATEWAY_URL, LIVE_ANSWERING_NUMBER, LIVE_BUSY_NUMBER and LIVE_USER_DEVICE are not all set (docker compose --profile sip up, with a SIP trunk, gives a gateway at ws://127.0.0.1:5080 once its port is published)',
          }),
      ...(chromiumFound
        ? {}
        : {
            chromium: `no Chromium at ${chromium} (install Debian's chromium package or set CHROMIUM_PATH)`,
          }),
    },
    kurrentdbUrl: env.KURRENTDB_URL,
    liveGateway:
      env.LIVE_GATEWAY_URL &&
      env.LIVE_ANSWERING_NUMBER &&
      env.LIVE_BUSY_NUMBER &&
      env.LIVE_USER_DEVICE
        ? {
            url: env.LIVE_GATEWAY_URL,
            answering: env.LIVE_ANSWERING_NUMBER,
            busy: env.LIVE_BUSY_NUMBER,
            userDevice: env.LIVE_USER_DEVICE,
          }
        : undefined,
    chromiumPath: chromiumFound ? chromium : undefined,
  };
}

type Need = 'postgres' | 'temporal' | 'sounds' | 'kurrentdb' | 'chromium' | 'gateway';

/** `describe`, or a skipped `describe` with the reason printed when a needed service is missing. */
export function describeWith(needs: Need[], name: string, body: () => void): void {
  const { skipReasons } = testServices();
  const missing = needs.filter((n) => skipReasons[n]).map((n) => `${n}: ${skipReasons[n]}`);
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  // Straight to stderr: Jest keeps the console output of a file whose tests are all skipped to itself.
  process.stderr.write(`SKIPPED "${name}" because ${missing.join('; ')}\n`);
  describe.skip(name, body);
}

export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not available to this test`);
  return value;
}
