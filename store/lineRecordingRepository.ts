import { wordsOf } from '../flows/promptMatch.js';
import { decodeFingerprint, matches } from '../media/analysis/fingerprint.js';
import type { KnownRecordings, RecordingsHeard } from '../media/analysis/humanDetector.js';
import { inTransaction, type Pool } from './pool.js';

/** How many recordings of each kind a line keeps: the most recently heard. */
const KEEP_PER_KIND = 40;

/**
 * What each company line plays to callers on hold, learned call after call:
 * the next hold on the line knows its announcements from their first word.
 */
export class LineRecordingRepository {
  constructor(private readonly pool: Pool) {}

  async known(phoneNumber: string): Promise<KnownRecordings> {
    const result = await this.pool.query<{
      kind: string;
      value: string;
      confirmed: boolean;
      times_heard: number;
    }>(
      `SELECT kind, value, confirmed, times_heard FROM line_recordings
        WHERE phone_number = $1 ORDER BY last_heard_at DESC, id DESC`,
      [phoneNumber],
    );
    const values = (kind: string, confirmed: boolean) =>
      result.rows.filter((r) => r.kind === kind && r.confirmed === confirmed).map((r) => r.value);
    return {
      fingerprints: values('fingerprint', true),
      openings: values('opening', true),
      // Heard once: not a recording for certain, but counted, so the next hold knows how much it has not heard twice.
      candidates: values('fingerprint', false),
      unplaced: result.rows.find((r) => r.kind === 'unplaced')?.times_heard ?? 0,
    };
  }

  /**
   * Adds what a hold heard. A recording already known is counted again; an
   * unconfirmed stretch of speech that matches one heard on an earlier call
   * is confirmed (a person never repeats themselves exactly).
   */
  async remember(phoneNumber: string, heard: RecordingsHeard): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      // One writer per line at a time, so two calls ending together do not both add the same recording.
      await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
        `line_recordings:${phoneNumber}`,
      ]);
      const existing = await client.query<{
        id: string;
        kind: string;
        value: string;
        confirmed: boolean;
      }>(`SELECT id, kind, value, confirmed FROM line_recordings WHERE phone_number = $1`, [
        phoneNumber,
      ]);
      const fingerprints = existing.rows.filter((r) => r.kind === 'fingerprint');
      const seen = (fingerprint: string) => {
        const probe = decodeFingerprint(fingerprint);
        return fingerprints.find((r) => matches(probe, decodeFingerprint(r.value), 12));
      };
      const bump = async (id: string) =>
        client.query(
          `UPDATE line_recordings SET times_heard = times_heard + 1, last_heard_at = now(), confirmed = true WHERE id = $1`,
          [id],
        );
      const insert = async (kind: 'fingerprint' | 'opening', value: string, confirmed: boolean) =>
        client.query(
          `INSERT INTO line_recordings (phone_number, kind, value, confirmed) VALUES ($1, $2, $3, $4)`,
          [phoneNumber, kind, value, confirmed],
        );

      for (const fingerprint of heard.fingerprints) {
        const same = seen(fingerprint);
        if (same) await bump(same.id);
        else await insert('fingerprint', fingerprint, true);
      }
      for (const fingerprint of heard.candidates) {
        const same = seen(fingerprint);
        if (same) await bump(same.id);
        else await insert('fingerprint', fingerprint, false);
      }
      for (const opening of heard.openings) {
        const key = wordsOf(opening).join(' ');
        const same = existing.rows.find(
          (r) => r.kind === 'opening' && wordsOf(r.value).join(' ') === key,
        );
        if (same) await bump(same.id);
        else if (key) await insert('opening', opening, true);
      }
      const unplaced = heard.unplaced ?? 0;
      if (unplaced > 0) {
        const row = existing.rows.find((r) => r.kind === 'unplaced');
        if (row)
          await client.query(
            `UPDATE line_recordings SET times_heard = times_heard + $2, last_heard_at = now() WHERE id = $1`,
            [row.id, unplaced],
          );
        else
          await client.query(
            `INSERT INTO line_recordings (phone_number, kind, value, confirmed, times_heard) VALUES ($1, 'unplaced', '', false, $2)`,
            [phoneNumber, unplaced],
          );
      }
      await client.query(
        `DELETE FROM line_recordings WHERE id IN (
           SELECT id FROM (
             SELECT id, row_number() OVER (PARTITION BY kind, confirmed ORDER BY last_heard_at DESC, id DESC) AS rank
               FROM line_recordings WHERE phone_number = $1 AND kind <> 'unplaced') ranked
            WHERE rank > $2)`,
        [phoneNumber, KEEP_PER_KIND],
      );
    });
  }
}
