/**
 * Lesson 8 in Chromium, on the real model and photos, with real files through the page's own file inputs
 * (setInputFiles): Run all with the solutions (an uploaded cat photo is a cat, the example own classes train and
 * show their confusion matrix, the fewer-photos runs pass their check with intervals, the export downloads and loads
 * back the same, the record's figures hold), the starters' checks fail with the first rung of their ladders; and
 * classes of the learner's own: original course JPEGs as "cats" and "dogs", a non-image file skipped and named, an
 * 8000 × 5000 JPEG made here stored at 448 × 280, a one-photo class refused with "at least 5", more than 200 files
 * refused, the classes kept across a reload, trained, their confusion matrix shown (through the one wb.evaluate), one
 * photo and then all deleted; and a storage that fills up mid-upload (IndexedDB's put made to throw
 * QuotaExceededError): the cell says how many photos were stored and how many not, and a reload finds every one kept.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test, type Download, type Locator, type Page } from '@playwright/test';
import sharp from 'sharp';
import { cell, openLesson, output, runAll, seriousViolations, useSolutions } from './drive-lesson';
import { expectNoDrift } from './record-drift';

const LESSON = 'lessons/your-turn/';
/** The course's original photos (full size, as a learner's camera gives them), fetched by `npm run assets`. */
const ORIGINALS = '.cache/assets/data/cats-dogs';

/** `n` original photos of a label, as files for setInputFiles. */
function originals(label: string, n: number, skip = 0): { name: string; mimeType: string; buffer: Buffer }[] {
  return readdirSync(`${ORIGINALS}/${label}`)
    .sort()
    .slice(skip, skip + n)
    .map((name) => ({ name, mimeType: 'image/jpeg', buffer: readFileSync(`${ORIGINALS}/${label}/${name}`) }));
}

/** Runs one cell and waits for it to finish; returns its status. */
async function runCell(page: Page, id: string, timeout = 180_000): Promise<string> {
  await page.getByRole('button', { name: `Run cell ${id}`, exact: true }).click();
  await expect(cell(page, id)).not.toHaveAttribute('data-status', /queued|running|idle/, { timeout });
  return (await cell(page, id).getAttribute('data-status')) ?? '';
}

/** Puts a cell back to its starter and runs it; its check must fail. */
async function runStarter(page: Page, id: string): Promise<Locator> {
  await page.getByRole('button', { name: `Reset cell ${id}` }).click();
  expect(await runCell(page, id)).toBe('error');
  return output(page, id).locator('[data-check="fail"]');
}

/** The own-classes widget of cell own-upload. */
const widget = (page: Page): Locator => output(page, 'own-upload').locator('[data-wb="own-classes"]');

/** Adds files to a class through the widget and waits for its status to settle. */
async function addToClass(page: Page, label: string, files: Parameters<Locator['setInputFiles']>[0]): Promise<Locator> {
  const w = widget(page);
  await w.locator('[data-wb="own-class-name"]').fill(label);
  await w.locator('[data-wb="own-input"]').setInputFiles(files);
  await expect(w).not.toHaveAttribute('data-state', 'working', { timeout: 60_000 });
  return w.getByRole('status');
}

test.describe('lesson 8: your turn', () => {
  test('with the solutions: own example classes, fewer photos, upload, export and reload; starters fail', async ({
    page,
  }) => {
    test.setTimeout(480_000);
    const downloads: Download[] = [];
    page.on('download', (d) => downloads.push(d));
    await openLesson(page, LESSON);
    await useSolutions(page);
    const errors = await runAll(page, 420_000);
    expect(errors).toEqual([]);
    // The prose quotes lessons/08-your-turn/record.json: this run must give the same figures.
    await expectNoDrift(page, '08-your-turn', ['classify', 'fewer', 'reload', 'next']);

    // With no classes of one's own, the example fills two; they train and show a 2 × 2 confusion matrix.
    const list = widget(page).locator('[data-wb="own-list"]');
    await expect(list).toHaveAttribute('data-classes', '2');
    await expect(list).toHaveAttribute('data-photos', '12');
    await expect(output(page, 'own-train')).toContainText('birds 5 for training + 1 for validation');
    await expect(output(page, 'own-train').locator('[data-wb="curves"]')).toHaveAttribute('data-state', 'done');
    const matrix = output(page, 'own-evaluate').locator('[data-wb="confusion"] td');
    await expect(matrix).toHaveCount(4);
    expect((await matrix.allInnerTexts()).map(Number).reduce((a, b) => a + b, 0)).toBe(2);

    // Fewer photos: three runs, each accuracy with its interval, in the check and in the runs table.
    await expect(output(page, 'fewer').locator('[data-check="pass"]')).toContainText(
      /3 runs on the same 78 validation photos: 5 a class, \d+\.\d % \[\d+\.\d %, \d+\.\d %\] · \d+\/78/,
    );

    const upload = output(page, 'upload').locator('[data-wb="upload"]');
    await upload.locator('input[type="file"]').setInputFiles('public/workbook-assets/photos/cat/Bombay_160.jpg');
    await expect(upload).toHaveAttribute('data-state', 'done');
    await expect(upload.locator('.wb-upload-result')).toHaveAttribute('data-top', 'cat');
    expect(downloads.map((d) => d.suggestedFilename()).sort()).toEqual([
      'cat-dog-other.json',
      'cat-dog-other.weights.bin',
    ]);
    await expect(output(page, 'reload').locator('[data-check="pass"]')).toContainText(
      'Same answer from the model loaded back',
    );
    // The page after a whole run, every output drawn: no serious or critical accessibility violation (axe).
    expect(await seriousViolations(page)).toEqual([]);

    // The starters: the check fails and shows the first rung of its ladder only.
    const reload = await runStarter(page, 'reload');
    await expect(reload).toContainText('The second list of scores is null.');
    const fewer = await runStarter(page, 'fewer');
    await expect(fewer).toContainText('no run yet');
    await expect(fewer).toContainText('One experiment per size');
    await expect(fewer).not.toContainText('for…of');
  });

  test('classes of your own from real files: stored, refused, kept across a reload, trained, deleted', async ({
    page,
  }) => {
    test.setTimeout(300_000);
    await openLesson(page, LESSON);
    await useSolutions(page);
    expect(await runCell(page, 'setup')).toBe('done');
    expect(await runCell(page, 'own-upload')).toBe('done');

    // Six original cat photos and a text file: the photos are stored, the text file skipped and named.
    const text = { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') };
    await expect(await addToClass(page, 'cats', [...originals('cat', 6), text])).toHaveText(
      'Stored 6 photos in “cats”. Skipped 1: notes.txt (not an image (text/plain)).',
    );
    // Five dogs and a 40-megapixel JPEG made here: stored, the big one shrunk to 448 × 280 as it was decoded.
    const big = await sharp({ create: { width: 8000, height: 5000, channels: 3, background: '#7a5' } })
      .jpeg({ quality: 60 })
      .toBuffer();
    const dogs = [...originals('dog', 5), { name: 'big.jpg', mimeType: 'image/jpeg', buffer: big }];
    await expect(await addToClass(page, 'dogs', dogs)).toHaveText('Stored 6 photos in “dogs”.');
    const bigSize = await page.evaluate(async () => {
      return new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('workbook-own-photos');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('photos').objectStore('photos').getAll();
          get.onsuccess = () => {
            const p = (get.result as { name: string; width: number; height: number }[]).find(
              (x) => x.name === 'big.jpg',
            );
            resolve(p ? `${p.width}×${p.height}` : 'missing');
          };
        };
      });
    });
    expect(bigSize).toBe('448×280');

    // More than 200 files at once: refused before anything is read, nothing lost.
    const many = Array.from({ length: 201 }, (_, i) => ({
      name: `${i}.jpg`,
      mimeType: 'image/jpeg',
      buffer: dogs[0]!.buffer,
    }));
    await expect(await addToClass(page, 'many', many)).toContainText('201 files is more than one upload takes (200)');
    // A class of one photo: training is refused with "at least 5 per class", naming the class.
    await addToClass(page, 'birds', originals('other', 1));
    const list = widget(page).locator('[data-wb="own-list"]');
    await expect(list).toHaveAttribute('data-classes', '3');
    expect(await runCell(page, 'own-train')).toBe('error');
    await expect(output(page, 'own-train')).toContainText('at least 5 photos per class');
    await expect(output(page, 'own-train')).toContainText('"birds" has 1');
    await widget(page).getByRole('button', { name: 'Delete class birds' }).click();
    await expect(list).toHaveAttribute('data-classes', '2');

    // A reload keeps them: the widget lists them again from IndexedDB, and they train.
    await page.reload();
    await expect(page.locator('html[data-cells="ready"]')).toBeAttached();
    expect(await runCell(page, 'setup')).toBe('done');
    expect(await runCell(page, 'own-upload')).toBe('done');
    await expect(list).toHaveAttribute('data-photos', '12');
    await expect(list.locator('section[data-label="cats"]')).toHaveAttribute('data-count', '6');
    await expect(list.locator('section[data-label="dogs"]')).toHaveAttribute('data-count', '6');
    expect(await runCell(page, 'own-train')).toBe('done');
    await expect(output(page, 'own-train')).toContainText('cats 5 for training + 1 for validation');
    expect(await runCell(page, 'own-evaluate')).toBe('done');
    const matrix = output(page, 'own-evaluate').locator('[data-wb="confusion"] td');
    await expect(matrix).toHaveCount(4);
    expect((await matrix.allInnerTexts()).map(Number).reduce((a, b) => a + b, 0)).toBe(2);
    await expect(output(page, 'own-evaluate').locator('[data-wb="mistakes"]')).toBeAttached();

    // Delete one photo, then everything.
    await list.locator('section[data-label="cats"] button[data-action="delete-photo"]').first().click();
    await expect(list.locator('section[data-label="cats"]')).toHaveAttribute('data-count', '5');
    await widget(page).getByRole('button', { name: 'Delete all my photos' }).click();
    await expect(list).toHaveAttribute('data-photos', '0');
    await expect(list).toContainText('No classes yet.');
  });

  test('a full storage: the upload stops, says how many photos were stored and how many not, and loses none', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    // Chromium's own IndexedDB, run out of room: once the page sets window.__putsBeforeFull, the photo store's put
    // throws QuotaExceededError after that many puts, as a full disk's would. The product code is not touched.
    await page.addInitScript(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        const w = window as unknown as { __putsBeforeFull?: number };
        if (this.name === 'photos' && w.__putsBeforeFull !== undefined && w.__putsBeforeFull-- <= 0)
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      };
    });
    await openLesson(page, LESSON);
    await useSolutions(page);
    expect(await runCell(page, 'setup')).toBe('done');
    expect(await runCell(page, 'own-upload')).toBe('done');
    const list = widget(page).locator('[data-wb="own-list"]');
    const cats = list.locator('section[data-label="cats"]');

    // Room for 10 photos: the first batch of 8 is stored; the second batch's third put fails, so that batch is
    // stored whole or not at all (its first two puts are rolled back, not kept behind the message's back).
    await page.evaluate(() => ((window as unknown as { __putsBeforeFull?: number }).__putsBeforeFull = 10));
    await expect(await addToClass(page, 'cats', originals('cat', 12))).toHaveText(
      /^Stopped: this browser's storage for the site is full \(QuotaExceededError\): 8 of the 12 photos were stored in “cats” and 4 were not\. Every photo stored before is kept/,
    );
    await expect(widget(page)).toHaveAttribute('data-state', 'error');
    await expect(cats).toHaveAttribute('data-count', '8');

    // Nothing stored is lost: a reload reads the same 8 back from IndexedDB.
    await page.reload();
    await expect(page.locator('html[data-cells="ready"]')).toBeAttached();
    expect(await runCell(page, 'setup')).toBe('done');
    expect(await runCell(page, 'own-upload')).toBe('done');
    await expect(cats).toHaveAttribute('data-count', '8');
    // With room again (a fresh page sets no limit), the 4 that were not stored go in.
    await expect(await addToClass(page, 'cats', originals('cat', 4, 8))).toHaveText('Stored 4 photos in “cats”.');
    await expect(cats).toHaveAttribute('data-count', '12');
  });
});
