import { loadConfig } from '../../config/env.js';
import { ValidationError } from '../../validation/issues.js';

describe('configuration', () => {
  it('falls back to the embedded defaults', () => {
    const config = loadConfig({});
    expect(config.TEMPORAL_ADDRESS).toBeUndefined();
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config).toMatchObject({
      TEMPORAL_TASK_QUEUE: 'hold-slayer-calls',
      TELEPHONY: 'sim',
      API_PORT: 3000,
      SIM_SAMPLE_RATE: 8000,
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('names every bad variable and what is wrong with it', () => {
    let error: unknown;
    try {
      loadConfig({
        TEMPORAL_ADDRESS: 'localhost',
        API_PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        SIM_SAMPLE_RATE: '44100',
        HOLDSLAYER_SECRET_KEY: 'short',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const byPath = Object.fromEntries(
      (error as ValidationError).issues.map((i) => [i.path, i.message]),
    );
    expect(Object.keys(byPath).sort()).toEqual([
      'API_PORT',
      'DATABASE_URL',
      'HOLDSLAYER_SECRET_KEY',
      'SIM_SAMPLE_RATE',
      'TEMPORAL_ADDRESS',
    ]);
    expect(byPath.TEMPORAL_ADDRESS).toMatch(/host:port/);
    expect(byPath.HOLDSLAYER_SECRET_KEY).toMatch(/32 bytes/);
  });

  it('asks for the key of each network provider chosen, by its variable', () => {
    let error: unknown;
    try {
      loadConfig({ STT_PROVIDER: 'deepgram', NAVIGATOR_MODEL: 'openai', TTS_PROVIDER: 'festival' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error as ValidationError).issues.map((i) => i.path).sort();
    expect(paths).toEqual(['TTS_PROVIDER']);
    // Once the values are valid, the missing keys are reported.
    const missing = (() => {
      try {
        loadConfig({ STT_PROVIDER: 'deepgram', NAVIGATOR_MODEL: 'openai' });
        return [];
      } catch (e) {
        return (e as ValidationError).issues.map((i) => `${i.path}: ${i.message}`);
      }
    })();
    expect(missing.sort()).toEqual([
      'DEEPGRAM_API_KEY: is required: STT_PROVIDER is deepgram',
      'OPENAI_API_KEY: is required: NAVIGATOR_MODEL is openai',
    ]);
    const ok = loadConfig({
      STT_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: 'http://127.0.0.1:4010/v1',
    });
    expect(ok.STT_PROVIDER).toBe('openai');
    expect(ok.NAVIGATOR_MODEL).toBe('none');
  });

  it('asks for the Anthropic key when an Anthropic model navigates, and checks its URL', () => {
    expect(() => loadConfig({ NAVIGATOR_MODEL: 'anthropic' })).toThrow(
      'ANTHROPIC_API_KEY: is required: NAVIGATOR_MODEL is anthropic',
    );
    expect(() =>
      loadConfig({
        NAVIGATOR_MODEL: 'anthropic',
        ANTHROPIC_API_KEY: 'sk-ant-test',
        ANTHROPIC_BASE_URL: 'localhost:4020',
      }),
    ).toThrow(/ANTHROPIC_BASE_URL: must be an http:\/\/ or https:\/\/ URL/);
    const ok = loadConfig({ NAVIGATOR_MODEL: 'anthropic', ANTHROPIC_API_KEY: 'sk-ant-test' });
    expect(ok).toMatchObject({
      NAVIGATOR_MODEL: 'anthropic',
      ANTHROPIC_NAVIGATOR_MODEL: 'claude-haiku-4-5',
    });
    expect(ok.ANTHROPIC_BASE_URL).toBeUndefined();
    // The OpenAI key is not asked for when no OpenAI provider is chosen.
    expect(ok.OPENAI_API_KEY).toBeUndefined();
    expect(() => loadConfig({ NAVIGATOR_MODEL: 'claude' })).toThrow(/NAVIGATOR_MODEL/);
  });

  it('keeps events in PostgreSQL unless KurrentDB is chosen, which needs its address', () => {
    expect(loadConfig({}).EVENT_STORE).toBe('postgres');
    expect(() => loadConfig({ EVENT_STORE: 'kurrentdb' })).toThrow(
      'KURRENTDB_URL: is required: EVENT_STORE is kurrentdb',
    );
    expect(() => loadConfig({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'http://x:2113' })).toThrow(
      /KURRENTDB_URL: must be a kurrentdb:\/\/ connection string/,
    );
    const kurrent = loadConfig({
      EVENT_STORE: 'kurrentdb',
      KURRENTDB_URL: 'kurrentdb://127.0.0.1:2113?tls=false',
    });
    expect(kurrent.KURRENTDB_URL).toBe('kurrentdb://127.0.0.1:2113?tls=false');
  });
});
