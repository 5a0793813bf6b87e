/**
 * The test photos are scored once. Validation accuracy guided every choice (epochs, learning rate, freeze point,
 * head), so it is optimistic: of many settings, we kept the one that happened to suit those 78 photos. The test
 * photos were never looked at, so the first score on them is an honest estimate for new photos. A second look,
 * used to choose between models, turns the test set into a second validation set and loses that honesty; so
 * evaluateTest refuses a second look unless the caller says, knowingly, that it is one. The ledger is plain data
 * (toJSON / fromJSON) so the page can keep it across reloads.
 */
import type { PhotoSet } from './dataset';
import { evaluate, type Classifier, type Evaluation } from './evaluate';
import { wilsonInterval, type Interval } from './stats';

/** One scoring of the test photos. */
export interface TestLook {
  /** What was scored, in the caller's words (e.g. "head, lesson 8"). */
  model: string;
  /** When, as milliseconds since 1970 (Date.now()). */
  at: number;
  correct: number;
  total: number;
}

/** Thrown by evaluateTest for an unacknowledged second look; `looks` are the earlier ones. */
export class SecondLookError extends Error {
  constructor(readonly looks: readonly TestLook[]) {
    const first = looks[0]!;
    super(
      `the test photos were already scored (${looks.length === 1 ? 'once' : `${looks.length} times`}; first: ` +
        `"${first.model}", ${first.correct}/${first.total}). A second look no longer measures new photos: choosing ` +
        'between models by their test scores makes the test set one more validation set. Pass ' +
        '{ acknowledgeSecondLook: true } to score them again anyway; the result is marked as a second look.',
    );
    this.name = 'SecondLookError';
  }
}

/** Remembers every look at the test photos, in order. */
export class TestLookLedger {
  private readonly entries: TestLook[];

  constructor(looks: readonly TestLook[] = []) {
    this.entries = looks.map((l) => ({ ...l }));
  }

  /** Every look so far, oldest first. */
  get looks(): readonly TestLook[] {
    return this.entries;
  }

  /** True once the test photos have been scored: the next look would be a second look. */
  get looked(): boolean {
    return this.entries.length > 0;
  }

  /** Adds a look; returns its number (1 for the first). */
  record(look: TestLook): number {
    if (
      !Number.isInteger(look.correct) ||
      !Number.isInteger(look.total) ||
      look.correct < 0 ||
      look.correct > look.total
    ) {
      throw new Error(`a test look needs 0 ≤ correct ≤ total (integers), got ${look.correct}/${look.total}`);
    }
    this.entries.push({ ...look });
    return this.entries.length;
  }

  /** The looks as plain data, for storage. */
  toJSON(): TestLook[] {
    return this.entries.map((l) => ({ ...l }));
  }

  /** A ledger from stored data, checked. */
  static fromJSON(json: unknown): TestLookLedger {
    if (!Array.isArray(json)) throw new Error('a test-look ledger is stored as an array of looks');
    const ledger = new TestLookLedger();
    for (const look of json as TestLook[]) {
      if (typeof look?.model !== 'string' || typeof look.at !== 'number')
        throw new Error(`not a test look: ${JSON.stringify(look)}`);
      ledger.record(look);
    }
    return ledger;
  }
}

/** A model's score on the test photos, with its 95 % interval and which look it was. */
export interface TestScore extends Evaluation {
  correct: number;
  total: number;
  /** Wilson 95 % interval of the accuracy. */
  interval: Interval;
  /** 1 for the first look at the test photos; more means the score is no longer an unbiased estimate. */
  look: number;
  secondLook: boolean;
}

/**
 * Scores a model on the test photos and records the look in `ledger`. A look after the first throws
 * SecondLookError unless `acknowledgeSecondLook` is true.
 */
export async function evaluateTest(
  model: Classifier | { model: Classifier },
  photos: PhotoSet,
  ledger: TestLookLedger,
  options: { name: string; acknowledgeSecondLook?: boolean; batchSize?: number; now?: number },
): Promise<TestScore> {
  if (ledger.looked && options.acknowledgeSecondLook !== true) throw new SecondLookError(ledger.looks);
  const report = await evaluate(model, photos, { split: 'test', batchSize: options.batchSize });
  const total = report.predictions.length;
  if (total === 0)
    throw new Error('the photo set has no test photos (an index from before the test split? run `npm run assets`)');
  const correct = total - report.misclassified.length;
  const look = ledger.record({ model: options.name, at: options.now ?? Date.now(), correct, total });
  return { ...report, correct, total, interval: wilsonInterval(correct, total), look, secondLook: look > 1 };
}
