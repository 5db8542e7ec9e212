import { KurrentEventStore } from '../../events/kurrentEventStore.js';
import { eventStoreContract } from '../contract/eventStoreContract.js';

// KurrentDB is not part of the test machine's stack: `docker compose --profile kurrentdb up` starts one.
const url = process.env.KURRENTDB_URL;

if (url) {
  describe('KurrentDB event store', () => {
    let store: KurrentEventStore;
    eventStoreContract(
      async () => {
        store = KurrentEventStore.connect(url);
        return store;
      },
      () => store.close(),
    );
  });
} else {
  // Straight to stderr: Jest keeps a skipped file's console output to itself.
  process.stderr.write(
    'SKIPPED "KurrentDB event store" because KURRENTDB_URL is not set (a KurrentDB to test against)\n',
  );
  describe.skip('KurrentDB event store (KURRENTDB_URL is not set)', () => {
    it('passes the event store contract', () => undefined);
  });
}
