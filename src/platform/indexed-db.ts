/**
 * IndexedDB's callbacks as promises, shared by the browser's stores (own photos, frozen activations). IndexedDB
 * predates promises: a request reports through onsuccess/onerror and a transaction through oncomplete/onabort, and a
 * write is only safe once its transaction completes (a full disk aborts the transaction, not the request).
 */

/** Resolves with a request's result, or rejects with its error. */
export function requestDone<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Resolves when a transaction completes; an abort (QuotaExceededError, for one) rejects with `explain(error)`, so a
 * store can say in the learner's terms what happened.
 */
export function transactionDone(
  tx: IDBTransaction,
  explain: (error: DOMException | null) => Error = (error) => error ?? new Error('IndexedDB transaction aborted'),
): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(explain(tx.error));
  });
}
