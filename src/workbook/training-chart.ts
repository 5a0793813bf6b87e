/**
 * Live learning curves, drawn with Observable Plot inside the cell that trains: loss on the left, accuracy on the
 * right; training figures per batch (thin and noisy: each is one batch of 16 photos) and per epoch, validation
 * figures per epoch. A reference run (a solution checkpoint, an earlier run) can be drawn behind, dashed, so the
 * learner sees at a glance whether their run learns as fast and as far.
 *
 * Reading the two curves together is the lesson: training loss always falls; validation loss falling with it means
 * the model generalises, validation loss rising while training loss falls means it memorises (overfits).
 */
import type { BatchMetrics, EpochMetrics } from '../ml/runs';
import { setHtmlStatus, workbookElement } from './dom';

type PlotModule = typeof import('@observablehq/plot');

/** One point of a curve. x is in epochs: batch b of epoch e sits at e + (b + 1) / batchesPerEpoch. */
interface Point {
  x: number;
  y: number;
  series: string;
  metric: 'loss' | 'accuracy';
}

/** Curves of a finished run to draw behind the live one. */
export interface ReferenceCurves {
  /** How the legend names it, e.g. "checkpoint head". */
  label: string;
  history: readonly EpochMetrics[];
}

/** Series names, which are also the legend's words. */
const TRAIN_BATCH = 'training (per batch)';
const TRAIN = 'training';
const VALIDATION = 'validation';

/** Redraw at most this often while batches stream in (an epoch end always redraws). */
const REDRAW_MS = 250;

/**
 * A chart that grows as a run trains. `element` goes under the cell (display it once); each `batch`/`epoch` call
 * adds points and redraws, throttled so that drawing never costs more than a sliver of a training step.
 */
export class CurvesChart {
  readonly element: HTMLElement;
  private readonly status: HTMLElement;
  private readonly plots: HTMLElement;
  private readonly points: Point[] = [];
  private readonly references: Point[] = [];
  private lastDraw = 0;
  private pending: ReturnType<typeof setTimeout> | null = null;

  /** @param title heading, e.g. "head only · 20 epochs" @param Plot the Observable Plot module */
  constructor(
    title: string,
    private readonly Plot: PlotModule,
  ) {
    this.element = workbookElement('div', 'curves');
    const heading = document.createElement('p');
    heading.className = 'wb-curves-title';
    heading.textContent = title;
    this.status = document.createElement('p');
    this.status.className = 'wb-curves-status';
    this.status.setAttribute('role', 'status');
    this.plots = document.createElement('div');
    this.plots.className = 'wb-curves-plots';
    this.element.append(heading, this.status, this.plots);
  }

  /** Draws a finished run's curves behind this one, dashed (before or during training). */
  addReference(reference: ReferenceCurves): void {
    for (const h of reference.history) {
      const x = h.epoch + 1;
      this.references.push(
        { x, y: h.loss, series: `${reference.label}: ${TRAIN}`, metric: 'loss' },
        { x, y: h.valLoss, series: `${reference.label}: ${VALIDATION}`, metric: 'loss' },
        { x, y: h.acc, series: `${reference.label}: ${TRAIN}`, metric: 'accuracy' },
        { x, y: h.valAcc, series: `${reference.label}: ${VALIDATION}`, metric: 'accuracy' },
      );
    }
    this.draw();
  }

  /** A line of text above the plots ("computing features 120 / 390", "epoch 3 / 20 …"). */
  say(text: string, state?: string): void {
    setHtmlStatus(this.status, text, state);
  }

  /** One training step's figures. */
  batch(m: BatchMetrics): void {
    const x = m.epoch + (m.batch + 1) / m.batchesPerEpoch;
    this.points.push(
      { x, y: m.loss, series: TRAIN_BATCH, metric: 'loss' },
      { x, y: m.acc, series: TRAIN_BATCH, metric: 'accuracy' },
    );
    this.say(
      `epoch ${m.epoch + 1}, batch ${m.batch + 1} / ${m.batchesPerEpoch} · batch loss ${m.loss.toFixed(3)}`,
      'training',
    );
    this.drawSoon();
  }

  /** One epoch's figures: training averages and validation. */
  epoch(m: EpochMetrics, epochs: number): void {
    const x = m.epoch + 1;
    this.points.push(
      { x, y: m.loss, series: TRAIN, metric: 'loss' },
      { x, y: m.valLoss, series: VALIDATION, metric: 'loss' },
      { x, y: m.acc, series: TRAIN, metric: 'accuracy' },
      { x, y: m.valAcc, series: VALIDATION, metric: 'accuracy' },
    );
    this.element.dataset.epochs = String(x);
    this.element.dataset.valAcc = String(m.valAcc);
    this.say(
      `epoch ${x} / ${epochs} · loss ${m.loss.toFixed(3)} · accuracy ${m.acc.toFixed(3)} · validation loss ${m.valLoss.toFixed(3)} · validation accuracy ${m.valAcc.toFixed(3)} · ${m.seconds.toFixed(2)} s`,
      'training',
    );
    this.draw();
  }

  private drawSoon(): void {
    if (this.pending) return;
    const wait = Math.max(0, REDRAW_MS - (performance.now() - this.lastDraw));
    this.pending = setTimeout(() => {
      this.pending = null;
      this.draw();
    }, wait);
  }

  /** Redraws the legend and both plots from all points so far. */
  draw(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = null;
    this.lastDraw = performance.now();
    const all = [...this.references, ...this.points];
    if (all.length === 0) return;
    const maxX = Math.max(1, ...all.map((p) => p.x));
    const color = colours([...new Set(all.map((p) => p.series))]);
    const legend = this.Plot.legend({ color: { ...color, type: 'categorical' } });
    this.plots.replaceChildren(
      legend ?? '',
      this.plot('loss', all, maxX, color),
      this.plot('accuracy', all, maxX, color),
    );
  }

  private plot(
    metric: Point['metric'],
    all: Point[],
    maxX: number,
    color: { domain: string[]; range: string[] },
  ): Element {
    const { Plot } = this;
    const data = all.filter((p) => p.metric === metric);
    const batches = data.filter((p) => p.series === TRAIN_BATCH);
    const epochs = data.filter((p) => p.series === TRAIN || p.series === VALIDATION);
    const references = data.filter((p) => this.references.includes(p));
    const lossTop = Math.max(0.1, ...data.map((p) => p.y).filter(Number.isFinite));
    return Plot.plot({
      width: 340,
      height: 220,
      marginLeft: 44,
      x: { label: 'epoch', domain: [0, maxX] },
      y:
        metric === 'accuracy'
          ? { label: 'accuracy', domain: [0, 1], grid: true }
          : { label: 'loss (cross-entropy)', domain: [0, Math.min(lossTop, 3)], grid: true, clamp: true },
      color: { ...color, type: 'categorical' },
      marks: [
        Plot.line(batches, { x: 'x', y: 'y', stroke: 'series', strokeOpacity: 0.35, strokeWidth: 1 }),
        Plot.line(epochs, { x: 'x', y: 'y', z: 'series', stroke: 'series', strokeWidth: 2 }),
        Plot.dot(epochs, { x: 'x', y: 'y', fill: 'series', r: 2, tip: true }),
        // Dashed on top: where a reference run coincides with this one, both stay visible.
        Plot.line(references, {
          x: 'x',
          y: 'y',
          z: 'series',
          stroke: 'series',
          strokeDasharray: '5,4',
          strokeWidth: 1.5,
        }),
      ],
    });
  }
}

/**
 * A fixed colour per series, so a chart reads the same everywhere: training blue, validation red-orange (per-batch
 * training lighter), a reference run's series in darker shades of the same two, dashed.
 */
function colours(series: readonly string[]): { domain: string[]; range: string[] } {
  const pick = (s: string) =>
    s === TRAIN_BATCH
      ? '#9db0e6'
      : s === TRAIN
        ? '#4269d0'
        : s === VALIDATION
          ? '#e8553f'
          : s.endsWith(`: ${TRAIN}`)
            ? '#1d2f6b'
            : s.endsWith(`: ${VALIDATION}`)
              ? '#8a2414'
              : '#6b6b6b';
  const order = [TRAIN_BATCH, TRAIN, VALIDATION];
  const domain = [...series].sort(
    (a, b) => (order.indexOf(a) + 1 || 9) - (order.indexOf(b) + 1 || 9) || a.localeCompare(b),
  );
  return { domain, range: domain.map(pick) };
}

/**
 * Finished runs as the same pair of plots, without the live parts: `runs` solid, `references` dashed behind them.
 * What `wb.checkpoints.compare` draws to put a learner's run over a checkpoint's.
 */
export function curvesOf(
  title: string,
  references: readonly ReferenceCurves[],
  Plot: PlotModule,
  runs: readonly ReferenceCurves[] = [],
): HTMLElement {
  const chart = new CurvesChart(title, Plot);
  for (const reference of references) chart.addReference(reference);
  for (const run of runs) for (const h of run.history) chart.epoch(h, run.history.length);
  const all = [...runs, ...references];
  chart.say(
    all
      .map(
        (r) =>
          `${r.label}: ${r.history.length} epochs, final validation accuracy ${(r.history.at(-1)?.valAcc ?? NaN).toFixed(3)}`,
      )
      .join(' · '),
    'done',
  );
  return chart.element;
}
