import type { Logger } from 'pino';
import type { EventStore } from '../events/eventStore.js';
import type { Navigator } from '../navigator/decision.js';
import type { SpeechSynthesizer } from '../media/speech/synthesizer.js';
import type { Transcriber } from '../media/speech/transcriber.js';
import type { LegRegistry } from '../media/telephony/legRegistry.js';
import type { CallRepository } from '../store/callRepository.js';
import type { DeadEndRepository } from '../store/deadEndRepository.js';
import type { FlowRepository } from '../store/flowRepository.js';
import type { LineRecordingRepository } from '../store/lineRecordingRepository.js';
import type { SecretVault } from '../store/secretVault.js';

/** What the activities reach the outside world through; the worker builds it once. */
export interface ActivityDeps {
  legs: LegRegistry;
  flows: FlowRepository;
  calls: CallRepository;
  vault: SecretVault;
  recordings: LineRecordingRepository;
  deadEnds: DeadEndRepository;
  /** Where each call's discoveries are appended, one stream per call. */
  events: EventStore;
  tts: SpeechSynthesizer;
  transcriber: Transcriber;
  /** Chooses what to do at menus no flow describes. */
  navigator: Navigator;
  callerId: string | undefined;
  /** Where SPEAK steps' recordings (metadata.audio) are found. */
  audioDir: string;
  log: Logger;
}
