/**
 * `wb.classify(model, photos)`: what a model answers for each photo, as its k most probable classes. It works for
 * the pre-trained network (1000 ImageNet classes) and for a transfer model (our 3 classes): the class names are
 * chosen by the size of the output. The answers are shown under the cell as a table with the photos, and returned
 * as data for the cell to compute with.
 */
import * as tf from '@tensorflow/tfjs';
import type { PhotoEntry } from '../ml/dataset';
import { topK, type Prediction } from '../ml/imagenet';
import { cellOutput, inBatches, type CellOutput } from './cell-output';
import { findPhoto, photoFigure, type PhotoRef } from './photos';
import { percent } from './dom';
import type { Session } from './session';
import { noteClassification } from './figures';

/** A model's answer for one photo. */
export interface PhotoPrediction {
  photo: PhotoEntry;
  /** The most probable classes, most probable first. */
  top: Prediction[];
}

/** Options of classify. */
export interface ClassifyOptions {
  /** How many classes per photo (default 3). */
  top?: number;
  /** Show the table under the cell (default true). */
  show?: boolean;
}

/** Photos per forward pass: big enough to be efficient, small enough to keep memory flat. */
const BATCH = 16;

/** The names of a model's outputs: ImageNet's 1000 classes, or our labels for a head with one output per label. */
export function outputNames(session: Session, outputs: number): readonly string[] {
  if (outputs === session.classNames.length) return session.classNames;
  if (outputs === session.photos.labels.length) return session.photos.labels;
  throw new Error(
    `This model gives ${outputs} numbers per photo: that is neither the ${session.classNames.length} ImageNet classes ` +
      `nor our ${session.photos.labels.length} labels (${session.photos.labels.join(', ')}), so they cannot be named.`,
  );
}

/** The model's class probabilities for photos, [n, classes], computed in batches (reports progress, stops on Stop). */
export async function predictProbabilities(
  session: Session,
  model: tf.LayersModel,
  photos: readonly PhotoEntry[],
  out: CellOutput,
  label = 'classifying',
): Promise<Float32Array[]> {
  if (!model || typeof (model as Partial<tf.LayersModel>).predict !== 'function') {
    throw new Error(
      `classify needs a model (e.g. the one wb.loadModel() returns), got ${model === undefined ? 'undefined' : typeof model}.`,
    );
  }
  return inBatches(photos, BATCH, out, label, async (batch) => {
    const x = await session.photos.batch(batch);
    const y = tf.tidy(() => {
      const raw = model.predict(x) as tf.Tensor;
      return raw.reshape([batch.length, -1]); // [n, 1000] even if a model ends in [n, 1, 1, 1000]
    });
    x.dispose();
    const values = (await y.data()) as Float32Array;
    const per = y.shape[1]!;
    y.dispose();
    return batch.map((_, i) => values.slice(i * per, (i + 1) * per));
  });
}

/** Classifies photos: their `top` most probable classes, shown as a table under the cell and returned. */
export async function classify(
  session: Session,
  model: tf.LayersModel,
  photos: PhotoRef | readonly PhotoRef[],
  options: ClassifyOptions = {},
): Promise<PhotoPrediction[]> {
  const out = cellOutput();
  const entries = (Array.isArray(photos) ? photos : [photos as PhotoRef]).map((p) => findPhoto(session.photos, p));
  const probabilities = await predictProbabilities(session, model, entries, out);
  const names = outputNames(session, probabilities[0]?.length ?? 0);
  const k = Math.min(options.top ?? 3, names.length);
  const result = entries.map((photo, i) => ({ photo, top: topK(probabilities[i]!, k, names) }));
  noteClassification(result); // its figures, for the lesson's record (figures.ts)
  if (options.show !== false) out.show(() => predictionTable(result, session));
  return result;
}

/** A table of predictions: the photo, its true label, and the top classes with bars. */
export function predictionTable(predictions: readonly PhotoPrediction[], session: Session): HTMLElement {
  const table = document.createElement('table');
  table.className = 'wb-table wb-predictions';
  const head = table.createTHead().insertRow();
  for (const title of ['Photo', 'Our label', 'The model says']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = title;
    head.append(th);
  }
  const body = table.createTBody();
  for (const { photo, top } of predictions) {
    const row = body.insertRow();
    row.dataset.file = photo.file;
    row.insertCell().append(photoFigure(photo, session, 72));
    const label = row.insertCell();
    label.innerHTML = `<strong></strong><br><small></small>`;
    label.querySelector('strong')!.textContent = photo.label;
    label.querySelector('small')!.textContent = photo.name;
    const list = document.createElement('ol');
    list.className = 'wb-top';
    for (const p of top) {
      const item = document.createElement('li');
      item.dataset.classIndex = String(p.index);
      const bar = document.createElement('span');
      bar.className = 'wb-bar';
      bar.style.setProperty('--value', String(p.probability));
      const name = document.createElement('span');
      name.className = 'wb-class';
      name.textContent = p.name;
      const value = document.createElement('span');
      value.className = 'wb-prob';
      value.textContent = percent(p.probability);
      item.append(bar, name, value);
      list.append(item);
    }
    row.insertCell().append(list);
  }
  return table;
}
