/**
 * The learner's own photos and the learner's own model, out in the world:
 *
 * - `wb.showUploader(model)`: a file input; each photo chosen goes through exactly the preprocessing the training
 *   photos went through (src/ml/image.ts: centre crop, 224 × 224, scaled to [−1, 1]) and the model's probabilities
 *   are drawn as bars. Nothing leaves the browser: the photo is decoded and classified in the page.
 * - `wb.classify(model, file)`: the same without the widget (a File or Blob from anywhere).
 * - `wb.exportModel(model, name)`: the whole trained network as a standard TensorFlow.js model — downloaded
 *   (model.json + weights, loadable anywhere with tf.loadLayersModel) and kept in this browser's IndexedDB, from
 *   where `wb.loadExported(name)` brings it back after a reload.
 */
import * as tf from '@tensorflow/tfjs';
import { predictImage, type LabelScore } from '../ml/evaluate';
import type { TransferModel } from '../ml/surgery';
import { cellOutput } from './cell-output';
import type { Session } from './session';
import { percent, setHtmlStatus, workbookElement } from './dom';
import { asTransferModel, isTransferModel } from '../ml/surgery';
import { errorMessage } from '../ml/error-message';
import { notePhotoScores } from './figures';

/** A model that can classify: a transfer model, or a LayersModel loaded back from an export. */
export type AnyClassifier = TransferModel | tf.LayersModel;

/** Labels and classifier of either kind. */
function unwrap(
  model: AnyClassifier,
  labels?: readonly string[],
): { classifier: tf.LayersModel; labels: readonly string[] } {
  if (!isTransferModel(model)) {
    const found = labels ?? exportedLabels(model);
    if (!found)
      throw new Error(
        "this model carries no class labels: pass them, e.g. wb.classify(model, file, { labels: ['cat', 'dog', 'other'] })",
      );
    return { classifier: model, labels: found };
  }
  return { classifier: model.model, labels: labels ?? model.labels };
}

/** The labels an export stored in its metadata. */
function exportedLabels(model: tf.LayersModel): string[] | undefined {
  const meta = model.getUserDefinedMetadata() as { labels?: unknown } | undefined;
  return Array.isArray(meta?.labels) && meta.labels.every((l) => typeof l === 'string')
    ? (meta.labels as string[])
    : undefined;
}

/** Probability bars, most likely first; the top one in bold. */
export function probabilityBars(scores: readonly LabelScore[]): HTMLElement {
  const view = workbookElement('div', 'probs');
  view.setAttribute('role', 'list');
  view.dataset.top = scores[0]?.label ?? '';
  scores.forEach((s, i) => {
    const name = document.createElement('span');
    name.textContent = s.label;
    const bar = document.createElement('div');
    const fill = document.createElement('div');
    fill.className = 'wb-probs-fill';
    fill.style.width = `${Math.max(0, Math.min(1, s.probability)) * 100}%`;
    bar.append(fill);
    const value = document.createElement('span');
    value.textContent = percent(s.probability);
    for (const el of [name, value]) {
      el.dataset.label = s.label;
      el.dataset.top = String(i === 0);
    }
    name.setAttribute('role', 'listitem');
    name.setAttribute('aria-label', `${s.label}: ${percent(s.probability)}`);
    view.append(name, bar, value);
  });
  return view;
}

/** The upload and export tools of the facade. */
export class Uploads {
  constructor(private readonly session: Session) {}

  /** Probabilities per label for one photo file (JPEG, PNG, WebP…), most likely first. */
  async classifyPhoto(model: AnyClassifier, file: Blob, labels?: readonly string[]): Promise<LabelScore[]> {
    const { classifier, labels: names } = unwrap(model, labels);
    if (!(file instanceof Blob))
      throw new Error(
        'wb.classify needs a File or Blob (from a file input, a drop, or fetch(...).then(r => r.blob()))',
      );
    await this.session.tf();
    const { decodeImage } = await import('../platform/browser-photo');
    const image = await decodeImage(file, file instanceof File ? file.name : 'photo');
    const scores = await predictImage(classifier, image, names);
    notePhotoScores(file instanceof File ? file.name : 'photo', scores); // for the lesson's record (figures.ts)
    return scores;
  }

  /**
   * A photo of the course's set as a File, fetched from the site: what a file input would hand over, so it can go
   * through classifyPhoto exactly like an upload.
   */
  async photoFile(file: string): Promise<File> {
    const url = this.session.photoUrl(file);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`photo ${file} could not be fetched from ${url}: HTTP ${response.status}`);
    return new File([await response.blob()], file.split('/').at(-1) ?? file, {
      type: response.headers.get('content-type') ?? 'image/jpeg',
    });
  }

  /**
   * A widget to try the model on photos of your own: choose one (or several) and see its probabilities. Return it
   * from a cell (or `display` it); it keeps working after the cell has finished.
   */
  uploadPhoto(model: AnyClassifier, labels?: readonly string[]): HTMLElement {
    unwrap(model, labels); // fail now, in the cell, not later in a change handler
    const view = workbookElement('div', 'upload');
    const label = document.createElement('label');
    label.textContent = 'Choose a photo: ';
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = 'image/*';
    input.multiple = true;
    input.dataset.wb = 'upload-input';
    label.append(input);
    const status = document.createElement('p');
    status.setAttribute('role', 'status');
    status.textContent = 'Nothing chosen yet. The photo stays in your browser.';
    const results = document.createElement('div');
    results.className = 'wb-upload-results';
    view.append(label, status, results);
    input.addEventListener('change', () => {
      const files = [...(input.files ?? [])];
      if (files.length === 0) return;
      void this.showPredictions(model, files, labels, status, results, view);
    });
    return view;
  }

  private async showPredictions(
    model: AnyClassifier,
    files: File[],
    labels: readonly string[] | undefined,
    status: HTMLElement,
    results: HTMLElement,
    view: HTMLElement,
  ): Promise<void> {
    setHtmlStatus(status, `Classifying ${files.length} photo${files.length === 1 ? '' : 's'}…`, 'working');
    view.dataset.state = 'working';
    results.replaceChildren();
    try {
      for (const file of files) {
        const scores = await this.classifyPhoto(model, file, labels);
        const row = document.createElement('div');
        row.className = 'wb-upload-result';
        row.dataset.file = file.name;
        row.dataset.top = scores[0]!.label;
        const img = document.createElement('img');
        img.src = URL.createObjectURL(file);
        img.alt = `Your photo ${file.name}`;
        img.addEventListener('load', () => URL.revokeObjectURL(img.src), { once: true });
        const text = document.createElement('div');
        const verdict = document.createElement('p');
        verdict.textContent = `${file.name}: ${scores[0]!.label} (${percent(scores[0]!.probability)})`;
        text.append(verdict, probabilityBars(scores));
        row.append(img, text);
        results.append(row);
      }
      setHtmlStatus(
        status,
        `Done: ${files.length} photo${files.length === 1 ? '' : 's'} classified. Choose more to try again.`,
        'done',
      );
      view.dataset.state = 'done';
    } catch (e) {
      setHtmlStatus(status, `Could not classify: ${errorMessage(e)}`, 'error');
      view.dataset.state = 'error';
    }
  }

  /**
   * Exports the whole trained network as a standard TensorFlow.js LayersModel: a download of `<name>.json` and
   * `<name>.weights.bin` (unless `download: false`) and a copy in this browser's IndexedDB (unless
   * `indexedDb: false`). The class labels travel in the model's metadata. Returns what was written.
   */
  async exportModel(
    transfer: TransferModel,
    name: string,
    options: { download?: boolean; indexedDb?: boolean } = {},
  ): Promise<ExportReport> {
    const model = asTransferModel(transfer, 'wb.exportModel');
    if (!/^[\w-]+$/.test(name))
      throw new Error(
        `an export name is letters, digits, "-" or "_", like "my-cat-dog-model"; not ${JSON.stringify(name)}`,
      );
    await this.session.tf();
    model.model.setUserDefinedMetadata({
      labels: [...model.labels],
      cutAt: model.cutAt,
      head: model.head,
      exportedBy: 'transfer-learning-workbook',
    });
    const report: ExportReport = { name, files: [], bytes: 0 };
    if (options.download !== false) {
      const saved = await model.model.save(`downloads://${name}`);
      report.files.push(`${name}.json`, `${name}.weights.bin`);
      report.bytes =
        (saved.modelArtifactsInfo.weightDataBytes ?? 0) + (saved.modelArtifactsInfo.modelTopologyBytes ?? 0);
    }
    if (options.indexedDb !== false) {
      const saved = await model.model.save(`indexeddb://${name}`);
      report.indexedDb = `indexeddb://${name}`;
      report.bytes ||=
        (saved.modelArtifactsInfo.weightDataBytes ?? 0) + (saved.modelArtifactsInfo.modelTopologyBytes ?? 0);
    }
    const note = workbookElement('p', 'export');
    note.dataset.name = name;
    note.textContent =
      `Exported “${name}” (${(report.bytes / 2 ** 20).toFixed(2)} MB)` +
      (report.files.length ? `: downloaded ${report.files.join(' and ')}` : '') +
      (report.indexedDb ? `${report.files.length ? ';' : ':'} saved in this browser as ${report.indexedDb}` : '') +
      '.';
    cellOutput().show(() => note);
    return report;
  }

  /** A model exported to this browser's IndexedDB, loaded back (a LayersModel that classifies photos). */
  async loadExported(name: string): Promise<tf.LayersModel> {
    await this.session.tf();
    const saved = await tf.io.listModels();
    const key = `indexeddb://${name}`;
    if (!(key in saved)) {
      const names = Object.keys(saved)
        .filter((k) => k.startsWith('indexeddb://'))
        .map((k) => k.slice('indexeddb://'.length));
      throw new Error(
        `no model "${name}" in this browser's IndexedDB${names.length ? ` (there is: ${names.join(', ')})` : ' (export one with wb.exportModel first)'}`,
      );
    }
    return tf.loadLayersModel(key);
  }
}

/** What an export wrote. */
export interface ExportReport {
  name: string;
  /** Files offered as downloads. */
  files: string[];
  /** The IndexedDB URL, when saved there. */
  indexedDb?: string;
  /** Size of the model (topology + weights). */
  bytes: number;
}
