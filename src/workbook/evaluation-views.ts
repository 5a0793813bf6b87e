/**
 * Evaluations drawn: the confusion matrix as a small heat table (rows: what the photo is; columns: what the model
 * said; the diagonal is the right answers), a per-class table of precision and recall, and a gallery of the
 * mistakes with the model's scores, so a learner can look at *why* it went wrong: a lynx is a cat-like animal that
 * is not a cat; an arctic fox is a dog-like one.
 */
import type { Evaluation, PhotoPrediction } from '../ml/evaluate';
import { percent, textTable, workbookElement } from './dom';

/** The confusion matrix as a heat table: the darker a cell, the more photos in it. */
export function confusionTable(ev: Evaluation): HTMLElement {
  const view = workbookElement('div', 'confusion');
  view.dataset.accuracy = String(ev.accuracy);
  const total = ev.predictions.length;
  const correct = total - ev.misclassified.length;
  const table = document.createElement('table');
  const caption = document.createElement('caption');
  caption.textContent = `Confusion matrix: ${correct} of ${total} photos right (${percent(ev.accuracy)})`;
  table.append(caption);
  const head = table.createTHead();
  const top = head.insertRow();
  const corner = document.createElement('th');
  corner.className = 'wb-axis';
  corner.textContent = 'is ↓ · said →';
  top.append(corner);
  for (const label of ev.labels) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = label;
    top.append(th);
  }
  const body = table.createTBody();
  const max = Math.max(1, ...ev.confusion.flat());
  ev.confusion.forEach((row, i) => {
    const tr = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = ev.labels[i]!;
    tr.append(th);
    row.forEach((n, j) => {
      const td = tr.insertCell();
      td.textContent = String(n);
      td.dataset.actual = ev.labels[i]!;
      td.dataset.predicted = ev.labels[j]!;
      td.dataset.diagonal = String(i === j);
      // Heat: right answers in green, mistakes in red; the share of the largest cell sets the strength.
      const strength = Math.round((n / max) * 70);
      td.style.background =
        n === 0
          ? 'transparent'
          : `color-mix(in srgb, var(${i === j ? '--ok' : '--error'}) ${Math.max(strength, 12)}%, transparent)`;
      td.title = `${n} ${ev.labels[i]} photo${n === 1 ? '' : 's'} called ${ev.labels[j]}`;
    });
  });
  view.append(table);
  return view;
}

/** Precision and recall per class, and the overall accuracy and loss. */
export function classMetricsTable(ev: Evaluation): HTMLElement {
  const view = workbookElement('div', 'metrics');
  const rows = ev.perClass.map((c) => [c.label, percent(c.precision), percent(c.recall), String(c.support)]);
  rows.push([
    'all classes',
    `accuracy ${percent(ev.accuracy)}`,
    `loss ${ev.loss.toFixed(3)}`,
    String(ev.predictions.length),
  ]);
  const table = textTable('Precision and recall per class', ['class', 'precision', 'recall', 'photos'], rows);
  [...table.tBodies[0]!.rows].forEach((tr, i) => {
    const c = ev.perClass[i];
    if (c) {
      tr.dataset.label = c.label;
      tr.dataset.precision = String(c.precision);
      tr.dataset.recall = String(c.recall);
    }
  });
  view.append(table);
  return view;
}

/** Probabilities as "cat 71 % · dog 20 % · other 9 %", largest first. */
export function scoresLine(labels: readonly string[], scores: readonly number[]): string {
  return labels
    .map((label, i) => ({ label, p: scores[i] ?? NaN }))
    .sort((a, b) => b.p - a.p)
    .map((s) => `${s.label} ${percent(s.p, 0)}`)
    .join(' · ');
}

/** How sure the model was of its (wrong) answer. */
const confidence = (p: PhotoPrediction) => Math.max(...p.scores);

/** The misclassified photos, most confident mistake first, each with its scores. */
export function mistakesGallery(ev: Evaluation, photoUrl: (file: string) => string, limit = 24): HTMLElement {
  const view = workbookElement('div', 'mistakes');
  const mistakes = [...ev.misclassified].sort((a, b) => confidence(b) - confidence(a));
  view.dataset.count = String(mistakes.length);
  if (mistakes.length === 0) {
    const p = document.createElement('p');
    p.className = 'wb-mistakes-empty';
    p.textContent = `No mistakes on these ${ev.predictions.length} photos.`;
    view.append(p);
    return view;
  }
  for (const m of mistakes.slice(0, limit)) {
    const figure = document.createElement('figure');
    figure.dataset.file = m.file;
    figure.dataset.actual = m.label;
    figure.dataset.predicted = m.predicted;
    const img = document.createElement('img');
    img.src = photoUrl(m.file);
    img.alt = `${m.name}: a ${m.label} photo the model called ${m.predicted}`;
    img.loading = 'lazy';
    const caption = document.createElement('figcaption');
    const wrong = document.createElement('span');
    wrong.className = 'wb-wrong';
    wrong.textContent = `said ${m.predicted} (${percent(confidence(m), 0)})`;
    caption.append(
      `${m.name} · is ${m.label}`,
      document.createElement('br'),
      wrong,
      document.createElement('br'),
      scoresLine(ev.labels, m.scores),
    );
    figure.append(img, caption);
    view.append(figure);
  }
  if (mistakes.length > limit) {
    const more = document.createElement('p');
    more.textContent = `… and ${mistakes.length - limit} more.`;
    view.append(more);
  }
  return view;
}
