/**
 * `wb.scoreTest(model, name)`: the one look at the test photos. Validation photos guided every choice of the
 * course (epochs, learning rate, freeze point, head), so a validation accuracy is flattering: it is the best of many
 * tries on the same 78 photos. The 78 test photos were never used for a choice, so the first score on them is an
 * honest estimate for new photos. The ledger of looks lives in this browser's localStorage (one per browser, shared
 * by every lesson page), so a reload or another lesson does not make a second look look like a first one.
 */
import { SecondLookError, TestLookLedger, evaluateTest, type TestScore } from '../ml/test-look';
import { asTransferModel, type TransferModel } from '../ml/surgery';
import { browserStorage } from '../runtime/storage';
import { cellOutput } from './cell-output';
import { tfReady } from './intervals';
import { percent, workbookElement } from './dom';
import type { Session } from './session';

/** The localStorage key of the ledger. */
export const TEST_LEDGER_KEY = 'workbook:test-looks';

/** The ledger kept in `storage` (an empty one when there is none, or it cannot be read). */
export function loadLedger(storage: Pick<Storage, 'getItem'> | null = browserStorage()): TestLookLedger {
  try {
    const raw = storage?.getItem(TEST_LEDGER_KEY);
    return raw ? TestLookLedger.fromJSON(JSON.parse(raw)) : new TestLookLedger();
  } catch {
    return new TestLookLedger(); // a damaged entry must not block the course; the next look rewrites it
  }
}

function saveLedger(ledger: TestLookLedger, storage: Pick<Storage, 'setItem'> | null = browserStorage()): void {
  try {
    storage?.setItem(TEST_LEDGER_KEY, JSON.stringify(ledger.toJSON()));
  } catch {
    // Private windows and full quotas: the look still happened; it is only not remembered across reloads.
  }
}

/** The test-split tools over one page's session; `storage` keeps the ledger (localStorage in the page). */
export function testSplitApi(
  session: Session,
  storage: Pick<Storage, 'getItem' | 'setItem'> | null = browserStorage(),
) {
  return {
    /**
     * Scores `model` on the test photos and records the look in this browser. A second look throws unless
     * `{ acknowledgeSecondLook: true }`, and is then marked as one: it no longer measures new photos.
     */
    async scoreTest(
      model: TransferModel,
      name: string,
      options: { acknowledgeSecondLook?: boolean } = {},
    ): Promise<TestScore> {
      const out = cellOutput();
      if (typeof name !== 'string' || name.trim() === '')
        throw new Error(
          'wb.scoreTest(model, name): name the model you score (e.g. "head, lesson 8"), so the record of looks says what was looked at',
        );
      const tm = asTransferModel(model, 'wb.scoreTest');
      await tfReady();
      const ledger = loadLedger(storage);
      let score: TestScore;
      try {
        score = await evaluateTest(tm, session.photos, ledger, {
          name,
          acknowledgeSecondLook: options.acknowledgeSecondLook === true,
        });
      } catch (e) {
        if (e instanceof SecondLookError) out.show(() => looksView(ledger));
        throw e;
      }
      saveLedger(ledger, storage);
      out.show(() => scoreView(score, name));
      return score;
    },
    /** Every look at the test photos this browser has recorded, oldest first. */
    looks: () => loadLedger(storage).looks,
  };
}

function scoreView(score: TestScore, name: string): HTMLElement {
  const view = workbookElement('div', 'test-score');
  view.dataset.look = String(score.look);
  view.dataset.secondLook = String(score.secondLook);
  view.dataset.correct = String(score.correct);
  view.dataset.total = String(score.total);
  const p = document.createElement('p');
  p.textContent =
    `${name} on the ${score.total} test photos: ${percent(score.interval.estimate)} ` +
    `[${percent(score.interval.low)}, ${percent(score.interval.high)}] · ${score.correct}/${score.total}.`;
  const note = document.createElement('p');
  note.className = score.secondLook ? 'wb-note wb-warning' : 'wb-note';
  note.textContent = score.secondLook
    ? `Look ${score.look} at the test photos: a second look. It no longer measures new photos; if it decides anything, the test set has become one more validation set.`
    : 'The first look at the test photos: an honest estimate for new photos, because no choice was made on them.';
  view.append(p, note);
  return view;
}

function looksView(ledger: TestLookLedger): HTMLElement {
  const view = workbookElement('div', 'test-looks');
  const p = document.createElement('p');
  p.className = 'wb-note';
  p.textContent = `Looks at the test photos in this browser: ${ledger.looks.map((l, i) => `${i + 1}. “${l.model}” ${l.correct}/${l.total}`).join('; ')}.`;
  view.append(p);
  return view;
}
