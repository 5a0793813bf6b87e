/**
 * The drift test's half that runs in the lesson specs: after a spec has run a lesson with its solutions (the run it
 * does anyway, so the check costs no extra time), the figures the page produced (window.__wbFigures, filled by
 * src/workbook/figures.ts) must match the lesson's committed record (lessons/NN-slug/record.json, written by
 * `npm run record`) within the tolerances of scripts/record-figures.mjs `toleranceOf`: exact for settings and
 * names, ±1 photo for counts, one photo's share for accuracies, ±0.02 for losses and probabilities, timings not
 * compared. A failure lists every figure that drifted: the prose quotes the record, so either the run changed
 * (find out why) or the record is stale (`npm run build && npm run record -- NN`, and reread the prose).
 */
import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import { driftFrom } from '../../scripts/record-figures.mjs';

/** Asserts that the page's figures match lessons/<folder>/record.json (only the figures of `cells`, if given). */
export async function expectNoDrift(page: Page, folder: string, cells?: readonly string[]): Promise<void> {
  const record = JSON.parse(readFileSync(`lessons/${folder}/record.json`, 'utf8')) as {
    figures: Record<string, number | string | boolean>;
    browser: string;
    backend: string;
  };
  const live = await page.evaluate(
    () => (globalThis as unknown as { __wbFigures?: Record<string, number | string | boolean> }).__wbFigures ?? {},
  );
  const keep = (figures: Record<string, number | string | boolean>) =>
    cells ? Object.fromEntries(Object.entries(figures).filter(([k]) => cells.includes(k.split('.')[0]!))) : figures;
  const drifts = driftFrom(keep(live), keep(record.figures));
  expect(drifts, `lessons/${folder}/record.json (${record.browser}, ${record.backend}) against this run`).toEqual([]);
}
