import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * Where the real recordings come from: Debian's asterisk-core-sounds-en-wav
 * (a real voice, 8 kHz), asterisk-moh-opsound-wav (real music), and the
 * captions of asterisk-core-sounds-en (core-sounds-en.txt).
 */
export interface SoundLibraryPaths {
  soundsDir: string;
  mohDir: string;
  captionsFile: string;
}

/** System paths first, then the user-level copy that scripts/fetch-sounds.sh unpacks without root. */
export function defaultSoundPaths(env: NodeJS.ProcessEnv = process.env): SoundLibraryPaths {
  const roots = ['/', path.join(env.HOME ?? '/tmp', '.cache', 'holdslayer', 'debian')];
  const pick = (rel: string) =>
    roots.map((r) => path.join(r, rel)).find((p) => existsSync(p)) ?? path.join('/', rel);
  return {
    soundsDir: env.ASTERISK_SOUNDS_DIR ?? pick('usr/share/asterisk/sounds/en'),
    mohDir: env.ASTERISK_MOH_DIR ?? pick('usr/share/asterisk/moh'),
    captionsFile:
      env.ASTERISK_SOUNDS_CAPTIONS ??
      pick('usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz'),
  };
}

export class MissingSoundError extends Error {}

export class SoundLibrary {
  private captions: Map<string, string> | undefined;

  constructor(readonly paths: SoundLibraryPaths) {}

  soundFile(name: string): string {
    const file = path.join(this.paths.soundsDir, `${name}.wav`);
    if (!existsSync(file)) {
      throw new MissingSoundError(
        `recorded prompt "${name}" not found at ${file} (install Debian's asterisk-core-sounds-en-wav, or run scripts/fetch-sounds.sh)`,
      );
    }
    return file;
  }

  mohFile(name: string): string {
    const file = path.join(this.paths.mohDir, `${name}.wav`);
    if (!existsSync(file)) {
      throw new MissingSoundError(
        `music-on-hold track "${name}" not found at ${file} (install Debian's asterisk-moh-opsound-wav, or run scripts/fetch-sounds.sh)`,
      );
    }
    return file;
  }

  /** What a recorded prompt says, or undefined when it is not speech (a beep, a tone). */
  async caption(name: string): Promise<string | undefined> {
    if (!this.captions) this.captions = await this.loadCaptions();
    const text = this.captions.get(name);
    if (text === undefined) {
      throw new MissingSoundError(
        `recorded prompt "${name}" has no caption in ${this.paths.captionsFile}`,
      );
    }
    return /^\[.*\]$/.test(text) ? undefined : text;
  }

  private async loadCaptions(): Promise<Map<string, string>> {
    const file = this.paths.captionsFile;
    if (!existsSync(file)) {
      throw new MissingSoundError(
        `captions of the recorded prompts not found at ${file} (install Debian's asterisk-core-sounds-en)`,
      );
    }
    const raw = await readFile(file);
    const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    const map = new Map<string, string>();
    for (const line of text.split('\n')) {
      const m = /^([^;:\s][^:]*):\s*(.*)$/.exec(line.trim());
      if (m) map.set(m[1]!.trim(), m[2]!.trim());
    }
    return map;
  }
}
