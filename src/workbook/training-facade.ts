/**
 * The training side of `wb`, as one object the workbook aggregator (index.ts) spreads into the facade:
 *
 * ```ts
 * const run = await wb.train(model, { epochs: 20 });       // live curves, Stop, a runs-table row
 * wb.runs.show();                                          // the page's runs table, live
 * const ev = await wb.evaluate(model);                     // validation accuracy, confusion, per class
 * wb.confusionMatrix(ev); wb.classMetrics(ev); wb.mistakes(ev);
 * await wb.checkpoints.compare(run, model, 'head');        // side by side with the solution
 * let model2 = await wb.checkpoints.restore('head');       // carry on from the solution
 * wb.uploadPhoto(model); await wb.exportModel(model, 'my-model');
 * ```
 *
 * Each method is a plain function property (bound), so spreading keeps them working and the editor lists them.
 */
import type { Evaluation } from '../ml/evaluate';
import {
  asTransferModel,
  freezeUpTo,
  paramCounts,
  type LayerRef,
  type ParamCounts,
  type TransferModel,
} from '../ml/surgery';
import { Checkpoints } from './checkpoints';
import { Evaluating } from './evaluation';
import { classMetricsTable, confusionTable, mistakesGallery } from './evaluation-views';
import { PageRuns } from './runs';
import { Training, type FeatureReport, type TrainedRun, type TrainSettings } from './training';
import type { Session } from './session';
import { Uploads } from './upload';

export type { FeatureReport, TrainedRun, TrainSettings };
export { trainingChecks } from './training-checks';

/** Builds the training side of the facade over the page's session. */
export function trainingFacade(session: Session) {
  const runs = new PageRuns();
  const training = new Training(session, runs);
  const evaluating = new Evaluating(session);
  const uploads = new Uploads(session);
  return {
    /**
     * Trains a transfer model with everything up to `freezeAt` frozen (default: the whole pre-trained base), drawing
     * live loss and accuracy curves under the cell; Stop ends it between batches. Returns the run's record with its
     * final figures (`run.valAcc`), and adds a row to `wb.runs`.
     */
    train: training.train.bind(training),
    /**
     * Freezes layers 0…freezeAt of a transfer model and unfreezes the rest (what wb.train does with its freezeAt);
     * returns the parameter counts: trainable, frozen, and the BatchNorm statistics the batches will move.
     */
    freeze: (model: TransferModel, freezeAt: LayerRef): ParamCounts => {
      const tm = asTransferModel(model, 'wb.freeze');
      freezeUpTo(tm, freezeAt);
      return paramCounts(tm.model);
    },
    /** Computes, once per page and with a progress bar, the frozen activations of every photo at a layer. */
    features: training.features.bind(training),
    /** Every training run of this page: `wb.runs.show()` is a table that fills in as runs finish. */
    runs,
    /** Scores a model on the validation photos: accuracy, loss, confusion matrix, precision and recall, mistakes. */
    evaluate: evaluating.evaluate.bind(evaluating),
    /** The confusion matrix of an evaluation as a heat table (rows: what a photo is; columns: what the model said). */
    confusionMatrix: (evaluation: Evaluation) => confusionTable(evaluation),
    /** Precision and recall per class of an evaluation, as a table. */
    classMetrics: (evaluation: Evaluation) => classMetricsTable(evaluation),
    /** The photos an evaluation got wrong, most confident mistake first, with the model's scores. */
    mistakes: (evaluation: Evaluation, limit?: number) =>
      mistakesGallery(evaluation, (file) => session.photoUrl(file), limit),
    /** Solution checkpoints: `load`, `compare` with your run, `restore` to carry on. */
    checkpoints: new Checkpoints(session, evaluating),
    /** A file input that classifies your own photos with a model. */
    uploadPhoto: uploads.uploadPhoto.bind(uploads),
    /** Probabilities for one photo file (a File or Blob), most likely first. */
    classifyPhoto: uploads.classifyPhoto.bind(uploads),
    /** A photo of the course's set as a File (as an upload would give it), e.g. wb.photoFile('cat/Bombay_160.jpg'). */
    photoFile: uploads.photoFile.bind(uploads),
    /** Downloads the trained network (model.json + weights) and keeps a copy in this browser's IndexedDB. */
    exportModel: uploads.exportModel.bind(uploads),
    /** A model exported to IndexedDB earlier, loaded back. */
    loadExported: uploads.loadExported.bind(uploads),
  };
}
