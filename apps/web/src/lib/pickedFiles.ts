/** Dataset files the user picked, kept in IndexedDB so a reload does not ask for ~55 MB of MNIST again. */
export type PickedFiles = Record<string, Record<string, Blob>>;

const DB = 'paperlab-picked-data';
const STORE = 'files';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Every kept file, as dataset → canonical file name → contents; `{}` where IndexedDB is unavailable. */
export async function loadPicked(): Promise<PickedFiles> {
  if (typeof indexedDB === 'undefined') return {};
  const db = await open();
  try {
    return await new Promise<PickedFiles>((resolve, reject) => {
      const out: PickedFiles = {};
      const req = db.transaction(STORE, 'readonly').objectStore(STORE).openCursor();
      req.onsuccess = () => {
        const cursor = req.result;
        if (!cursor) return resolve(out);
        const [dataset, file] = String(cursor.key).split('/') as [string, string];
        out[dataset] = { ...(out[dataset] ?? {}), [file]: cursor.value as Blob };
        cursor.continue();
      };
      req.onerror = () => reject(req.error);
    });
  } finally {
    db.close();
  }
}

/** Keeps one dataset's picked files (replacing what was kept for it). */
export async function savePicked(dataset: string, files: Record<string, Blob>): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  const db = await open();
  try {
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      store.delete(IDBKeyRange.bound(`${dataset}/`, `${dataset}/\uffff`));
      for (const [name, blob] of Object.entries(files)) store.put(blob, `${dataset}/${name}`);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}
