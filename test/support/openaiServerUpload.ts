import wavefile from 'wavefile';
import type { OpenAIErrorBody } from './openaiServer.js';

const { WaveFile } = wavefile;

/** The `file` part of a transcription request, read as the WAV it must be. */
export interface UploadedAudio {
  fileName: string;
  contentType: string;
  bytes: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  samples: Int16Array;
  durationMs: number;
}

export type Upload =
  | { fields: Record<string, string>; audio: UploadedAudio }
  | { error: OpenAIErrorBody; fields: Record<string, string> };

/**
 * Parses a multipart/form-data body with the platform's own parser (the
 * fetch Request of Node's undici), and checks that its file is a WAV of
 * 16-bit mono PCM, the one format the transcriber sends.
 */
export async function readUpload(contentType: string, body: Buffer): Promise<Upload> {
  const fields: Record<string, string> = {};
  if (!contentType.startsWith('multipart/form-data')) {
    return { fields, error: invalid(`Expected multipart/form-data, got "${contentType}".`, null) };
  }
  let form: FormData;
  try {
    form = await new Request('http://local/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    }).formData();
  } catch (e) {
    return {
      fields,
      error: invalid(`Could not parse multipart form: ${(e as Error).message}`, null),
    };
  }
  let file: File | undefined;
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') fields[name] = value;
    else if (name === 'file') file = value;
  }
  if (!file) {
    return {
      fields,
      error: {
        ...invalid("Missing required parameter: 'file'.", 'file'),
        code: 'missing_required_parameter',
      },
    };
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  let wav: InstanceType<typeof WaveFile>;
  try {
    wav = new WaveFile(bytes);
  } catch {
    return { fields, error: invalidFormat() };
  }
  const fmt = wav.fmt as {
    audioFormat: number;
    numChannels: number;
    sampleRate: number;
    bitsPerSample: number;
  };
  if (fmt.audioFormat !== 1 || fmt.bitsPerSample !== 16 || fmt.numChannels !== 1) {
    return {
      fields,
      error: invalid(
        `Expected 16-bit mono PCM WAV, got format ${fmt.audioFormat}, ${fmt.bitsPerSample} bits, ${fmt.numChannels} channels.`,
        'file',
      ),
    };
  }
  const samples = Int16Array.from(wav.getSamples(false, Int16Array) as unknown as Int16Array);
  if (samples.length === 0) {
    return {
      fields,
      error: invalid('Audio file is too short. Minimum audio length is 0.1 seconds.', 'file'),
    };
  }
  return {
    fields,
    audio: {
      fileName: file.name,
      contentType: file.type,
      bytes: bytes.length,
      sampleRate: fmt.sampleRate,
      channels: fmt.numChannels,
      bitsPerSample: fmt.bitsPerSample,
      samples,
      durationMs: (samples.length * 1000) / fmt.sampleRate,
    },
  };
}

function invalid(message: string, param: string | null): OpenAIErrorBody {
  return { message, type: 'invalid_request_error', param, code: null };
}

function invalidFormat(): OpenAIErrorBody {
  return {
    ...invalid(
      "Invalid file format. Supported formats: ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']",
      'file',
    ),
    code: 'invalid_value',
  };
}
