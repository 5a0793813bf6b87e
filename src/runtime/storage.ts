/**
 * Nothing lost: a learner's edits survive a reload. Each cell's current code is saved in localStorage under
 * `workbook:cell:<lesson>:<cell id>`, together with a hash of the lesson's code *as it was when the learner started
 * editing*. On the next visit there are three cases:
 *
 * - no saved edit → the lesson's code;
 * - a saved edit, and the lesson's code is unchanged (same hash) → the learner's code;
 * - a saved edit, but the lesson's code has changed since (the course was updated) → a *conflict*: the cell keeps
 *   the learner's code on screen and asks — keep mine, take the new lesson code, or see the diff — rather than
 *   silently keeping or dropping either.
 *
 * localStorage can be missing or full (private windows, quotas): every access is guarded, and failures are reported
 * to the caller instead of breaking the cell.
 */
import { hashCode } from './hash';
import { errorMessage } from '../ml/error-message';

/** What is stored for one edited cell. */
export interface SavedEdit {
  code: string;
  /** hashCode() of the lesson's code the edit started from. */
  baseHash: string;
  /** When it was saved (ms since epoch). */
  savedAt: number;
}

/** What the cell should show when the page loads. */
export type RestoreDecision =
  | { kind: 'lesson'; code: string }
  | { kind: 'edit'; code: string }
  | { kind: 'conflict'; code: string; lessonCode: string; saved: SavedEdit };

/** The storage key of a cell's edit. */
export function editKey(lesson: string, cellId: string): string {
  return `workbook:cell:${lesson}:${cellId}`;
}

/** Decides what to show, given the saved edit (if any) and the lesson's current code. */
export function decideRestore(saved: SavedEdit | null, lessonCode: string): RestoreDecision {
  if (!saved || saved.code === lessonCode) return { kind: 'lesson', code: lessonCode };
  if (saved.baseHash === hashCode(lessonCode)) return { kind: 'edit', code: saved.code };
  return { kind: 'conflict', code: saved.code, lessonCode, saved };
}

/** Saved edits of one lesson page. `storage` is localStorage in the page, a Map-backed fake in tests. */
export class EditStore {
  /** The last failure (quota, disabled storage), for the UI to mention once. */
  lastError: string | null = null;

  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null,
    private readonly lesson: string,
  ) {}

  /** The saved edit of a cell, or null (none, unreadable, or malformed). */
  load(cellId: string): SavedEdit | null {
    try {
      const raw = this.storage?.getItem(editKey(this.lesson, cellId));
      if (!raw) return null;
      const data = JSON.parse(raw) as Partial<SavedEdit>;
      if (typeof data.code !== 'string' || typeof data.baseHash !== 'string') return null;
      return { code: data.code, baseHash: data.baseHash, savedAt: Number(data.savedAt) || 0 };
    } catch {
      return null;
    }
  }

  /**
   * Saves the learner's code; when it equals the lesson's code again the entry is removed (nothing to keep).
   * `baseHash` identifies the lesson code the edit is based on: the current one, except while a conflict is
   * unresolved (then the old one, so the question is still asked next time). Returns false when storage failed.
   */
  save(cellId: string, code: string, lessonCode: string, baseHash: string = hashCode(lessonCode)): boolean {
    if (code === lessonCode) return this.remove(cellId);
    const entry: SavedEdit = { code, baseHash, savedAt: Date.now() };
    try {
      if (!this.storage) throw new Error('localStorage is not available');
      this.storage.setItem(editKey(this.lesson, cellId), JSON.stringify(entry));
      this.lastError = null;
      return true;
    } catch (e) {
      this.lastError = errorMessage(e);
      return false;
    }
  }

  /** Forgets a cell's edit. */
  remove(cellId: string): boolean {
    try {
      this.storage?.removeItem(editKey(this.lesson, cellId));
      return true;
    } catch (e) {
      this.lastError = errorMessage(e);
      return false;
    }
  }
}

/** localStorage when the browser allows it (it throws on access in some privacy modes), else null. */
export function browserStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
