/**
 * Where frozen activations persist (the policy — what is worth keeping, the key, eviction — is
 * src/ml/activation-persist.ts): IndexedDB in the browser, so a lesson's features computed on one page or visit are
 * read back on the next; a Map in Node tests. Both verify each row on read and evict least recently used groups to
 * stay under the cap.
 *
 * IndexedDB layout ("workbook-activations", version 1): `rows` keyed [group, file] → { values, check }, and `groups`
 * keyed by group → { layer, bytes, lastUsed }. A group's rows are one key range, so evicting a group is one delete.
 */
import {
  DEFAULT_CAP_BYTES,
  groupsToEvict,
  rowChecksum,
  type ActivationStore,
  type StoredGroup,
  useActivationStore,
} from '../ml/activation-persist';
import { requestDone, transactionDone } from './indexed-db';

interface Row {
  values: Float32Array;
  check: number;
}

/** Whether a stored row is whole: the length a photo's activations have, and the checksum written with it. */
function verified(row: Row | undefined, floats: number): row is Row {
  return (
    row !== undefined &&
    row.values instanceof Float32Array &&
    row.values.length === floats &&
    rowChecksum(row.values) === row.check
  );
}

/** A store in memory (Node tests and scripts): the same verification and eviction as the browser's. */
export class MemoryActivationStore implements ActivationStore {
  private readonly rows = new Map<string, Map<string, Row>>();
  private readonly meta = new Map<string, StoredGroup>();

  constructor(readonly capBytes = DEFAULT_CAP_BYTES) {}

  async read(group: string, files: readonly string[], floats: number): Promise<Map<string, Float32Array>> {
    const rows = this.rows.get(group);
    const out = new Map<string, Float32Array>();
    for (const f of files) {
      const row = rows?.get(f);
      if (verified(row, floats)) out.set(f, row.values.slice());
    }
    const meta = this.meta.get(group);
    if (meta && out.size > 0) meta.lastUsed = Date.now();
    return out;
  }

  async write(group: string, layer: string, rows: ReadonlyMap<string, Float32Array>): Promise<boolean> {
    const incoming = [...rows.values()].reduce((n, v) => n + v.byteLength, 0);
    const evict = groupsToEvict([...this.meta.values()], incoming, this.capBytes, group);
    if (!evict) return false;
    for (const g of evict) {
      this.rows.delete(g);
      this.meta.delete(g);
    }
    const held = this.rows.get(group) ?? new Map<string, Row>();
    this.rows.set(group, held);
    for (const [f, v] of rows) held.set(f, { values: v.slice(), check: rowChecksum(v) });
    const bytes = [...held.values()].reduce((n, r) => n + r.values.byteLength, 0);
    this.meta.set(group, { group, layer, bytes, lastUsed: Date.now() });
    return true;
  }

  async clear(): Promise<number> {
    const bytes = [...this.meta.values()].reduce((n, g) => n + g.bytes, 0);
    this.rows.clear();
    this.meta.clear();
    return bytes;
  }

  async groups(): Promise<StoredGroup[]> {
    return [...this.meta.values()].map((g) => ({ ...g }));
  }

  /** Damages one stored row (tests: a damaged row must be computed again, never used). */
  corrupt(group: string, file: string): void {
    const row = this.rows.get(group)?.get(file);
    if (row) row.values[0] = row.values[0]! + 1;
  }
}

const DB_NAME = 'workbook-activations';

/** The browser's store: IndexedDB, opened on first use. */
export class IndexedDbActivationStore implements ActivationStore {
  private db: Promise<IDBDatabase> | null = null;

  constructor(readonly capBytes = DEFAULT_CAP_BYTES) {}

  private open(): Promise<IDBDatabase> {
    if (typeof indexedDB === 'undefined') return Promise.reject(new Error('this browser has no IndexedDB'));
    this.db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore('rows');
        request.result.createObjectStore('groups', { keyPath: 'group' });
      };
      request.onsuccess = () => {
        // Another page clearing the store (deleteActivationDatabase) must not wait for this one to close.
        request.result.onversionchange = () => {
          request.result.close();
          this.db = null;
        };
        resolve(request.result);
      };
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
    }).catch((e: unknown) => {
      this.db = null; // try again next time
      throw e;
    });
    return this.db;
  }

  async read(group: string, files: readonly string[], floats: number): Promise<Map<string, Float32Array>> {
    const db = await this.open();
    const tx = db.transaction(['rows', 'groups'], 'readwrite');
    const rows = tx.objectStore('rows');
    const found = await Promise.all(files.map((f) => requestDone(rows.get([group, f]) as IDBRequest<Row | undefined>)));
    const out = new Map<string, Float32Array>();
    files.forEach((f, i) => {
      if (verified(found[i], floats)) out.set(f, found[i]!.values);
    });
    if (out.size > 0) {
      const meta = (await requestDone(tx.objectStore('groups').get(group))) as StoredGroup | undefined;
      if (meta) tx.objectStore('groups').put({ ...meta, lastUsed: Date.now() });
    }
    await transactionDone(tx);
    return out;
  }

  async write(group: string, layer: string, rows: ReadonlyMap<string, Float32Array>): Promise<boolean> {
    const db = await this.open();
    const incoming = [...rows.values()].reduce((n, v) => n + v.byteLength, 0);
    const tx = db.transaction(['rows', 'groups'], 'readwrite');
    const rowStore = tx.objectStore('rows');
    const groupStore = tx.objectStore('groups');
    const all = (await requestDone(groupStore.getAll())) as StoredGroup[];
    const evict = groupsToEvict(all, incoming, this.capBytes, group);
    if (!evict) {
      tx.abort();
      await transactionDone(tx).catch(() => undefined);
      return false;
    }
    for (const g of evict) {
      rowStore.delete(IDBKeyRange.bound([g], [g, []]));
      groupStore.delete(g);
    }
    for (const [f, v] of rows) rowStore.put({ values: v, check: rowChecksum(v) } satisfies Row, [group, f]);
    const before = all.find((g) => g.group === group)?.bytes ?? 0;
    // Rows rewritten for files already held are counted twice here: a slight overestimate, never an underestimate.
    groupStore.put({ group, layer, bytes: before + incoming, lastUsed: Date.now() } satisfies StoredGroup);
    await transactionDone(tx);
    return true;
  }

  async clear(): Promise<number> {
    const db = await this.open();
    const tx = db.transaction(['rows', 'groups'], 'readwrite');
    const all = (await requestDone(tx.objectStore('groups').getAll())) as StoredGroup[];
    tx.objectStore('rows').clear();
    tx.objectStore('groups').clear();
    await transactionDone(tx);
    return all.reduce((n, g) => n + g.bytes, 0);
  }

  async groups(): Promise<StoredGroup[]> {
    const db = await this.open();
    const tx = db.transaction('groups', 'readonly');
    return (await requestDone(tx.objectStore('groups').getAll())) as StoredGroup[];
  }
}

/**
 * Deletes the browser's whole activation store (the offline panel's "Clear offline copy" does, on any page): every
 * page holding it open closes it first (onversionchange above). Resolves false where there is no IndexedDB.
 */
export function deleteActivationDatabase(): Promise<boolean> {
  if (typeof indexedDB === 'undefined') return Promise.resolve(false);
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = () => resolve(true);
    request.onerror = () => resolve(false);
  });
}

/**
 * Sets up the page's activation store (IndexedDB) for the shared activation caches, keyed by the derived assets'
 * stamp (`${assetsUrl}stamp.json`) and this browser as the photos' decoder. The offline panel's "Clear offline copy" deletes it (deleteActivationDatabase).
 * Resolves when set up; where there is no IndexedDB or no stamp it sets up nothing (the page computes, as before).
 */
export async function startBrowserActivationStore(assetsUrl: string): Promise<ActivationStore | null> {
  if (typeof indexedDB === 'undefined') return null;
  try {
    const response = await fetch(`${assetsUrl}stamp.json`);
    if (!response.ok) return null;
    const store = new IndexedDbActivationStore();
    useActivationStore({ store, assetStamp: await response.text(), decoder: navigator.userAgent });
    return store;
  } catch {
    return null;
  }
}
