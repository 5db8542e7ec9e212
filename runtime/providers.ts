import path from 'node:path';
import type { Config } from '../config/env.js';
import { CachedSynthesizer } from '../media/speech/cachedSynthesizer.js';
import { DeepgramTranscriber } from '../media/speech/deepgramTranscriber.js';
import { EspeakSynthesizer } from '../media/speech/espeak.js';
import { OpenAISynthesizer } from '../media/speech/openaiSynthesizer.js';
import { OpenAITranscriber } from '../media/speech/openaiTranscriber.js';
import type { SpeechSynthesizer } from '../media/speech/synthesizer.js';
import { LineCaptionTranscriber, type Transcriber } from '../media/speech/transcriber.js';
import { AnthropicNavigator } from '../navigator/anthropicNavigator.js';
import type { Navigator } from '../navigator/decision.js';
import { OpenAINavigator } from '../navigator/openaiNavigator.js';
import { RuleNavigator } from '../navigator/ruleNavigator.js';
import { TieredNavigator } from '../navigator/tieredNavigator.js';
import type { Logger } from './logger.js';

/** A language model asked at a menu is one step of a live call: it must answer in seconds or be passed over. */
const NAVIGATOR_TIMEOUT_MS = 8000;
const NAVIGATOR_RETRIES = 1;

export interface Providers {
  transcriber: Transcriber;
  tts: SpeechSynthesizer;
  navigator: Navigator;
}

/** The speech and navigation providers the configuration names (all offline by default). */
export function createProviders(config: Config, log: Logger): Providers {
  // The configuration check has made sure each chosen provider has its key.
  const openai = () => ({
    apiKey: config.OPENAI_API_KEY!,
    ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}),
    log,
  });
  const transcriber: Transcriber =
    config.STT_PROVIDER === 'deepgram'
      ? new DeepgramTranscriber({
          apiKey: config.DEEPGRAM_API_KEY!,
          ...(config.DEEPGRAM_URL ? { baseUrl: config.DEEPGRAM_URL } : {}),
          model: config.DEEPGRAM_MODEL,
          log,
        })
      : config.STT_PROVIDER === 'openai'
        ? new OpenAITranscriber({
            ...openai(),
            model: config.OPENAI_TRANSCRIBE_MODEL,
            language: 'en',
          })
        : new LineCaptionTranscriber();
  const voice: SpeechSynthesizer =
    config.TTS_PROVIDER === 'openai'
      ? new OpenAISynthesizer({
          ...openai(),
          model: config.OPENAI_TTS_MODEL,
          voice: config.OPENAI_TTS_VOICE,
        })
      : new EspeakSynthesizer();
  const model = navigatorModel(config, openai, log);
  return {
    transcriber,
    tts: new CachedSynthesizer(voice, path.join(config.dataDir, 'cache', 'tts')),
    navigator: new TieredNavigator(
      new RuleNavigator(config.NAVIGATOR_CONFIDENCE),
      model,
      log,
      config.NAVIGATOR_CONFIDENCE,
    ),
  };
}

/** The language model asked where the rules are unsure, if one is chosen. */
function navigatorModel(
  config: Config,
  openai: () => { apiKey: string; baseURL?: string; log: Logger },
  log: Logger,
): Navigator | undefined {
  const live = { timeoutMs: NAVIGATOR_TIMEOUT_MS, maxRetries: NAVIGATOR_RETRIES };
  switch (config.NAVIGATOR_MODEL) {
    case 'openai':
      return new OpenAINavigator({ ...openai(), model: config.OPENAI_NAVIGATOR_MODEL, ...live });
    case 'anthropic':
      return new AnthropicNavigator({
        apiKey: config.ANTHROPIC_API_KEY!,
        ...(config.ANTHROPIC_BASE_URL ? { baseURL: config.ANTHROPIC_BASE_URL } : {}),
        model: config.ANTHROPIC_NAVIGATOR_MODEL,
        log,
        ...live,
      });
    case 'none':
      return undefined;
  }
}
