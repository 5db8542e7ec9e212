/**
 * Learns flows again from stored calls, with the current learner: past
 * calls are replayed from their events, never dialled.
 *
 *   npm run learn -- --call <call id> | --number <+E164> | --all [--dry-run]
 *
 * --all rebuilds every learned flow from scratch. --dry-run prints what
 * would change and writes nothing. Prints the result as JSON on stdout.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../config/env.js';
import { createEventStore } from '../events/createEventStore.js';
import { e164Schema } from '../flows/model.js';
import { NothingToLearn, relearn, relearnScope } from '../learner/relearn.js';
import { startDatabase } from '../runtime/stack.js';
import { migrateUp } from '../store/migrate.js';
import { createPool } from '../store/pool.js';
import { ValidationError, parseWith } from '../validation/issues.js';

const say = (msg: string) => process.stderr.write(`${msg}\n`);

try {
  const { values } = parseArgs({
    options: {
      call: { type: 'string' },
      number: { type: 'string' },
      all: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const options = parseWith(
    z
      .object({
        call: z.string().min(1).optional(),
        number: e164Schema.optional(),
        all: z.boolean(),
        dryRun: z.boolean(),
      })
      .refine((o) => [o.call, o.number, o.all || undefined].filter(Boolean).length === 1, {
        message: 'name exactly one of --call <id>, --number <+E164> or --all',
      }),
    { call: values.call, number: values.number, all: values.all, dryRun: values['dry-run'] },
    'learn options',
  );
  const scope = relearnScope({ callId: options.call, phoneNumber: options.number });
  const config = loadConfig();
  const database = await startDatabase(config, say);
  const pool = createPool(database.url);
  const events = createEventStore(config, pool, database.url);
  try {
    await migrateUp(database.url);
    const flows = await relearn(events, pool, scope, { dryRun: options.dryRun });
    for (const flow of flows) {
      const what = flow.changed
        ? options.dryRun
          ? 'would change'
          : `now at version ${flow.to_version}`
        : 'unchanged';
      say(`${flow.phone_number} (${flow.intent}): ${flow.calls} calls, ${what}`);
      for (const line of flow.diff) say(`  ${line}`);
    }
    process.stdout.write(`${JSON.stringify({ dry_run: options.dryRun, flows }, null, 2)}\n`);
  } finally {
    await events.close();
    await pool.end();
    await database.stop();
  }
} catch (e) {
  if (e instanceof ValidationError || e instanceof NothingToLearn) {
    say(e.message);
    process.exit(2);
  }
  throw e;
}
