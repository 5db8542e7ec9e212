interface HeldFrame {
  /** Index of the frame's first sample in the leg's audio since the stream started. */
  at: number;
  bytes: Buffer;
}

/**
 * The leg's audio that Deepgram has not finalized yet. Words still only in
 * interim results when a connection drops would be lost with it; a new
 * connection is sent this audio again first, so it hears them whole. Bounded:
 * a long outage keeps only its most recent audio.
 */
export class AudioBacklog {
  private held: HeldFrame[] = [];
  private heldSamples = 0;
  private nextSample = 0;
  /** Samples let go because the backlog was full, not because they were finalized. */
  private overflowSamples = 0;

  constructor(private readonly maxSamples: number) {}

  /** Keeps a frame and returns it as Deepgram's linear16: little-endian, as Node's typed arrays are. */
  append(frame: Int16Array): Buffer {
    const bytes = Buffer.from(new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength));
    this.held.push({ at: this.nextSample, bytes });
    this.heldSamples += frame.length;
    this.nextSample += frame.length;
    while (this.heldSamples > this.maxSamples) {
      const oldest = this.held.shift();
      if (!oldest) break;
      this.heldSamples -= oldest.bytes.length / 2;
      this.overflowSamples += oldest.bytes.length / 2;
    }
    return bytes;
  }

  /** Lets go of whole frames that end by `sample`: Deepgram has finalized them. */
  release(sample: number): void {
    while (this.held.length > 0) {
      const oldest = this.held[0]!;
      if (oldest.at + oldest.bytes.length / 2 > sample) break;
      this.held.shift();
      this.heldSamples -= oldest.bytes.length / 2;
    }
  }

  /** Where a connection opened now starts in the leg's audio: the oldest frame held, or what comes next. */
  get start(): number {
    return this.held[0]?.at ?? this.nextSample;
  }

  get frames(): Buffer[] {
    return this.held.map((f) => f.bytes);
  }

  /** Samples lost to the bound since the last call. */
  takeOverflow(): number {
    const n = this.overflowSamples;
    this.overflowSamples = 0;
    return n;
  }
}
