import { KurrentEventStore } from '../../events/kurrentEventStore.js';
import { eventStoreContract } from '../contract/eventStoreContract.js';
import { describeWith, required, testServices } from '../support/services.js';

describeWith(['kurrentdb'], 'KurrentDB event store', () => {
  let store: KurrentEventStore;
  eventStoreContract(
    async () => {
      store = KurrentEventStore.connect(required(testServices().kurrentdbUrl, 'KurrentDB'));
      return store;
    },
    () => store.close(),
  );
});
