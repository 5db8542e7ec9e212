import type OpenAI from 'openai';
import { encodeWav } from '../audio/wav.js';
import type { CallLeg } from '../telephony/callLeg.js';
import type { Logger } from '../../runtime/logger.js';
import { describeOpenAIFailure } from './openaiClient.js';
import { transcribeUtterance } from './openaiUtteranceRequest.js';
import { UtteranceSegmenter, type UtteranceOptions } from './openaiUtterances.js';
import { TranscriberError, type LiveTranscription, type Transcript } from './transcriber.js';

export interface LiveSettings extends UtteranceOptions {
  apiKey: string;
  model: string;
  stream: boolean;
  language?: string;
  prompt?: string;
  log?: Logger;
}

/** One utterance's request: what it has heard, kept until every utterance before it is out. */
interface Job {
  index: number;
  pending: Transcript[];
  settled: boolean;
  error?: TranscriberError;
  done: Promise<void>;
}

/**
 * A leg's far-end audio, cut into utterances, each sent as a WAV while the
 * next is still being heard. Requests run side by side, but their
 * transcripts come out in the order the utterances were spoken.
 */
export class OpenAILiveTranscription implements LiveTranscription {
  private readonly transcriptListeners: Array<(t: Transcript) => void> = [];
  private readonly errorListeners: Array<(e: TranscriberError) => void> = [];
  private readonly abort = new AbortController();
  private readonly jobs: Job[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly early: Int16Array[] = [];
  private segmenter: UtteranceSegmenter | undefined;
  private readonly ready: Promise<void>;
  private idle: NodeJS.Timeout | undefined;
  private nextIndex = 1;
  private stopped = false;
  private failure: TranscriberError | undefined;

  constructor(
    private readonly client: OpenAI,
    private readonly leg: CallLeg,
    private readonly settings: LiveSettings,
  ) {
    leg.on('audio', this.onAudio);
    this.ready = UtteranceSegmenter.create(leg.sampleRate, settings).then(
      (segmenter) => {
        if (this.stopped) {
          segmenter.dispose();
          return;
        }
        this.segmenter = segmenter;
        for (const frame of this.early.splice(0)) this.take(frame);
      },
      (e: unknown) =>
        this.fail(new TranscriberError(`voice activity detector failed: ${String(e)}`, false)),
    );
  }

  onTranscript(listener: (t: Transcript) => void): void {
    this.transcriptListeners.push(listener);
  }

  onError(listener: (e: TranscriberError) => void): void {
    this.errorListeners.push(listener);
    if (this.failure) listener(this.failure);
  }

  async close(): Promise<void> {
    this.stop();
    await this.ready;
    await Promise.allSettled([...this.running]);
  }

  private readonly onAudio = (frame: Int16Array): void => {
    if (this.stopped) return;
    if (this.segmenter) this.take(frame);
    else this.early.push(frame);
  };

  private take(frame: Int16Array): void {
    const segmenter = this.segmenter!;
    const utterance = segmenter.push(frame);
    if (utterance) this.send(utterance);
    // Audio that stops mid-utterance (the line went quiet, the leg ended) still ends it.
    if (segmenter.inUtterance) {
      if (this.idle) this.idle.refresh();
      else {
        this.idle = setTimeout(() => {
          this.idle = undefined;
          const rest = this.stopped ? undefined : this.segmenter?.flush();
          if (rest) this.send(rest);
        }, this.settings.endSilenceMs ?? 600);
        this.idle.unref();
      }
    } else if (this.idle) {
      clearTimeout(this.idle);
      this.idle = undefined;
    }
  }

  private send(samples: Int16Array): void {
    const index = this.nextIndex++;
    const rate = this.leg.sampleRate;
    const job: Job = { index, pending: [], settled: false, done: Promise.resolve() };
    this.settings.log?.debug(
      { callId: this.leg.callId, utterance: index, ms: Math.round((samples.length * 1000) / rate) },
      'utterance sent for transcription',
    );
    job.done = transcribeUtterance(
      this.client,
      {
        wav: encodeWav({ sampleRate: rate, samples }),
        name: `${this.leg.callId}-${index}.wav`,
        model: this.settings.model,
        stream: this.settings.stream,
        ...(this.settings.language ? { language: this.settings.language } : {}),
        ...(this.settings.prompt ? { prompt: this.settings.prompt } : {}),
        signal: this.abort.signal,
      },
      (t) => this.queue(job, t),
    ).then(
      () => this.settle(job),
      (e: unknown) => {
        const failure = describeOpenAIFailure(e, this.settings.apiKey);
        if (!failure.aborted) {
          job.error = new TranscriberError(
            `OpenAI transcription failed: ${failure.message}`,
            failure.retryable,
          );
        }
        this.settle(job);
      },
    );
    this.jobs.push(job);
    this.running.add(job.done);
    void job.done.finally(() => this.running.delete(job.done));
  }

  private queue(job: Job, t: Transcript): void {
    const last = job.pending.at(-1);
    // An interim waiting behind an earlier utterance is replaced by the newer one.
    if (last && !last.final && !t.final) job.pending[job.pending.length - 1] = t;
    else job.pending.push(t);
    this.deliver();
  }

  private settle(job: Job): void {
    job.settled = true;
    this.deliver();
  }

  private deliver(): void {
    while (!this.stopped && this.jobs.length > 0) {
      const head = this.jobs[0]!;
      for (const t of head.pending.splice(0)) {
        for (const listener of this.transcriptListeners) {
          if (!this.stopped) listener(t);
        }
      }
      if (!head.settled) return;
      this.jobs.shift();
      if (head.error) {
        this.settings.log?.warn(
          { callId: this.leg.callId, utterance: head.index, retryable: head.error.retryable },
          head.error.message,
        );
        this.fail(head.error);
      }
    }
  }

  private fail(error: TranscriberError): void {
    if (this.stopped) return;
    this.stop();
    this.failure = error;
    for (const listener of this.errorListeners) listener(error);
  }

  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.leg.off('audio', this.onAudio);
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
    this.abort.abort();
    this.segmenter?.dispose();
    this.segmenter = undefined;
    this.early.length = 0;
  }
}
