/**
 * `wb`, the workbook facade: the one global through which lesson cells reach the engine (src/ml) and the browser
 * (src/platform). It is a plain object of functions, grouped by what a learner does, in this order:
 *
 *   load      wb.loadModel, wb.imagenetClasses
 *   photos    wb.photos.*
 *   look      wb.layers.*, wb.pictures.*
 *   build     wb.buildTransferModel, wb.freeze
 *   train     wb.train, wb.features
 *   evaluate  wb.classify (the one way to classify), wb.evaluate (score a labelled split), wb.show…, wb.scoreTest
 *   compare   wb.runs.*, wb.compare, wb.evidence.*
 *   save      wb.checkpoints.*, wb.exportModel, wb.loadExported
 *   check     wb.check(…), wb.check.<name>(…)
 *
 * Every member's doc comment says first what it returns and gives an `@example`; its `@group` is one of the above.
 * Those comments are the editor's hovers and the site's wb reference page (scripts/wb-reference.mjs, checked by
 * tests/unit/wb-reference.test.ts), so write them for the learner. Groups are named interfaces (surface-groups.ts)
 * so that their members keep their docs in the editor's declarations. Every member that wants a model takes a
 * transfer model or a plain tf.LayersModel: asLayersModel reads the latter, session.transferModel the former.
 * Adding a member: build it in its own module, then add one documented line here, in its group.
 */
import type * as tf from '@tensorflow/tfjs';
import type { PhotoSet } from '../ml/dataset';
import type { Evaluation, LabelScore } from '../ml/evaluate';
import {
  asLayersModel,
  asTransferModel,
  buildTransferModel,
  freezeUpTo,
  paramCounts,
  type AnyModel,
  type LayerRef,
  type ParamCounts,
  type TransferModel,
  type TransferModelOptions,
} from '../ml/surgery';
import { onRestart } from '../runtime/globals';
import { augmentApi } from './augment';
import { classify, type ClassifyOptions, type PhotoPrediction } from './classify';
import { checkpointsApi } from './checkpoints';
import { plainCheck } from './checks';
import { namedChecks, type LessonChecks } from './checks-registry';
import type { EvaluateOptions } from './evaluation';
import { classMetricsTable, confusionTable, mistakesGallery } from './evaluation-views';
import { evidenceApi } from './evidence';
import { driftApi } from './evidence-drift';
import { freezeSweepApi } from './freeze-sweep';
import { recordedSweepApi } from './recorded-sweep';
import { layersApi } from './inspection';
import { learnerModelMembers } from './learner-model';
import { compareApi } from './intervals';
import { ownClassesApi, ownPhotoUrl } from './own-classes';
import { evaluateAny } from './own-evaluate';
import { photosApi, type PhotoRef } from './photos';
import { picturesApi } from './pictures';
import type { WorkbookPlatform } from './platform';
import { PageRuns, runsApi } from './runs';
import { Session } from './session';
import type * as G from './surface-groups';
import { testSplitApi } from './test-split';
import { Training, type TrainedRun, type TrainSettings } from './training';
import { Uploads } from './upload';
import './dom'; // the workbook's stylesheet comes with its DOM helpers

/** wb.classify's two forms: photos of our set (a table under the cell) or one photo file (probabilities per label). */
export interface Classify {
  (model: AnyModel, photos: PhotoRef | readonly PhotoRef[], options?: ClassifyOptions): Promise<PhotoPrediction[]>;
  (model: AnyModel, file: Blob, options?: { labels?: readonly string[] }): Promise<LabelScore[]>;
}

/** `wb.check`: your own check, and the named checks of this page's lesson (lessons/NN-slug/checks.ts). */
export type Checks = typeof plainCheck & WorkbookLessonChecks;

/** Puts the facade together over one session. */
function assemble(session: Session, lessonChecks?: LessonChecks) {
  const runs = new PageRuns();
  const training = new Training(session, runs);
  const uploads = new Uploads(session);
  const evidence = evidenceApi(session);
  const tests = testSplitApi(session);
  const photos: G.PhotosGroup = photosApi(session);
  const layers: G.LayersGroup = layersApi();
  const pictures: G.PicturesGroup = picturesApi(session);
  const runsGroup: G.RunsGroup = runsApi(runs);
  const checkpoints: G.CheckpointsGroup = checkpointsApi(session);
  const evidenceGroup: G.EvidenceGroup = {
    depths: evidence.depths,
    probeSet: evidence.probeSet,
    photosPerClass: evidence.photosPerClass,
    ...driftApi(session),
  };
  const learner = learnerModelMembers(session); // lessons 4–5: wb.base, wb.transferModel, wb.batchOrder
  const classifyAny: Classify = (async (
    model: AnyModel,
    photos: PhotoRef | readonly PhotoRef[] | Blob,
    options = {},
  ) =>
    typeof Blob !== 'undefined' && photos instanceof Blob
      ? uploads.classifyPhoto(model, photos, (options as { labels?: readonly string[] }).labels)
      : classify(
          session,
          asLayersModel(model, 'wb.classify'),
          photos as PhotoRef[],
          options as ClassifyOptions,
        )) as Classify;
  const check = Object.assign(
    (...args: Parameters<typeof plainCheck>) => plainCheck(...args),
    lessonChecks ? namedChecks(lessonChecks, { session, evidence }) : {},
  ) as Checks; // the lesson's checks are typed per lesson by the cell types (checks-registry.ts)

  return {
    /**
     * The pre-trained MobileNet v1 0.25 (ImageNet, 1000 classes) as a tf.LayersModel, loaded once per page with a
     * progress bar. Keras: `tf.keras.applications.MobileNetV2(weights='imagenet')`.
     * @example const model = await wb.loadModel();
     * @group load
     */
    loadModel: (): Promise<tf.LayersModel> => session.loadModel(undefined, true),
    /**
     * The 1000 ImageNet class names, index = class id.
     * @example wb.imagenetClasses[285] // "Egyptian cat"
     * @group load
     */
    imagenetClasses: session.classNames,
    /**
     * Our photos: picked by label or file, as pixels, model-input batches, one-hot targets and galleries.
     * @example const photos = wb.photos.mixed(2);
     * @group photos
     */
    photos,
    /**
     * Classes of your own (lesson 8): the upload widget, and your photos as a photo set for wb.train and wb.evaluate.
     * @example const mine = await wb.own.photos();
     * @group photos
     */
    own: ownClassesApi(session),
    /**
     * A model's layers as data, grouped into blocks, or drawn as a table.
     * @example wb.layers.show(model)
     * @group look
     */
    layers,
    /**
     * What layers respond to, drawn: filters, feature maps, the photos and patches that excite a channel.
     * @example await wb.pictures.showFeatureMaps(model, 'cat/Egyptian_Mau_10.jpg')
     * @group look
     */
    pictures,
    /**
     * A transfer model: the pre-trained model cut at `cutAt` (default: the pooled features) with a new seeded head
     * (Dense, one unit per label, softmax). The kept layers are copies: the pre-trained model never changes.
     * @example const transfer = wb.buildTransferModel(model, { seed: 1 });
     * @group build
     */
    buildTransferModel: (base: AnyModel, options?: TransferModelOptions): TransferModel =>
      buildTransferModel(asLayersModel(base, 'wb.buildTransferModel'), options),
    /**
     * Copies of the pre-trained layers from the input up to `cutAt` (default: the 256 pooled features), as one
     * model to compose with: Keras's `include_top=False` plus the pooling. They are copies, so training your model
     * never changes the pre-trained one that later cells compare with.
     * @example const base = wb.base(pretrained); base.trainable = false;
     * @group build
     */
    base: learner.base,
    /**
     * Your composed model (lesson 4's alpaca_model) as the engine reads it: one chain of layers, the nested base
     * unrolled, sharing your layer objects (training it trains yours), with its cut and labels. Every `wb` function
     * that trains or evaluates reads a plain model this same way, once per model.
     * @example const model = await wb.transferModel(alpaca); model.model.layers.length
     * @group build
     */
    transferModel: learner.transferModel,
    /**
     * The parameter counts (trainable, frozen, BatchNorm statistics) after freezing layers 0…freezeAt of a
     * transfer model and unfreezing the rest. Keras: `layer.trainable = False` up to `fine_tune_at`.
     * @example wb.freeze(transfer, 'conv_pw_11_relu').trainable
     * @group build
     */
    freeze: (model: TransferModel, freezeAt: LayerRef): ParamCounts => {
      const tm = asTransferModel(model, 'wb.freeze');
      freezeUpTo(tm, freezeAt);
      return paramCounts(tm.model);
    },
    /**
     * The run's record with its final figures (`run.valAcc`), after training with everything up to `freezeAt`
     * frozen; live curves under the cell, Stop between batches, a row in wb.runs. Keras: `model.fit`.
     * @example const run = await wb.train(transfer, { epochs: 10 });
     * @group train
     */
    train: async (model: AnyModel, settings?: TrainSettings): Promise<TrainedRun> =>
      training.train(await session.transferModel(model, 'wb.train'), settings),
    /**
     * A report of the frozen activations of every photo at a layer, computed once per page with a progress bar
     * (later training at that freeze point reads them instead of running the frozen layers).
     * @example const features = await wb.features('global_average_pooling2d_1');
     * @group train
     */
    features: (layer?: string) => training.features(layer),
    /**
     * The order (indices 0…count−1) in which `wb.train` visits the training photos in `epoch` with `seed`: a
     * hand-written loop that takes its batches in this order can be compared with `wb.train` step for step.
     * @example const order = wb.batchOrder(data.train.count, 1, epoch);
     * @group train
     */
    batchOrder: learner.batchOrder,
    /**
     * Augmentation by hand (lesson 7): a photo as pixels, a grid of your augmented versions, the with/without study.
     * @example display(await wb.augment.grid({ flip, rotate, crop }, 'cat/Egyptian_Mau_10.jpg'));
     * @group train
     */
    augment: augmentApi(session),
    /**
     * Each photo's `top` most probable classes (ImageNet's 1000 or our 3), shown as a table and returned; given a
     * photo File or Blob instead, its probabilities per label, most likely first. The one way to classify.
     * @example const answers = await wb.classify(model, wb.photos.mixed(2));
     * @group evaluate
     */
    classify: classifyAny,
    /**
     * The evaluation of a model on a labelled split (validation by default, or 'train'), of the course's photos or,
     * given a photo set, of those (your own: `wb.evaluate(ownModel, await wb.own.photos())`): accuracy, loss,
     * confusion matrix, precision and recall per class, the mistakes. Keras: `model.evaluate`.
     * @example const ev = await wb.evaluate(transfer);
     * @group evaluate
     */
    evaluate: (model: AnyModel, photos?: PhotoSet | EvaluateOptions, options?: EvaluateOptions): Promise<Evaluation> =>
      evaluateAny(session, model, photos, options),
    /**
     * An evaluation's confusion matrix as a heat table (rows: what a photo is; columns: what the model said).
     * @example wb.showConfusionMatrix(ev)
     * @group evaluate
     */
    showConfusionMatrix: (evaluation: Evaluation): HTMLElement => confusionTable(evaluation),
    /**
     * An evaluation's precision and recall per class, as a table.
     * @example wb.showClassMetrics(ev)
     * @group evaluate
     */
    showClassMetrics: (evaluation: Evaluation): HTMLElement => classMetricsTable(evaluation),
    /**
     * A gallery of the photos an evaluation got wrong, most confident mistake first, with the model's scores.
     * @example wb.showMistakes(ev, 12)
     * @group evaluate
     */
    showMistakes: (evaluation: Evaluation, limit?: number): HTMLElement =>
      mistakesGallery(evaluation, (file) => ownPhotoUrl(file) ?? session.photoUrl(file), limit),
    /**
     * A file input that classifies photos of your own with a model (nothing leaves the browser).
     * @example wb.showUploader(model)
     * @group evaluate
     */
    showUploader: (model: AnyModel, labels?: readonly string[]): HTMLElement => uploads.uploadPhoto(model, labels),
    /**
     * The model's score on the test photos, with its interval; the look is recorded, and a second look throws
     * unless `{ acknowledgeSecondLook: true }` (then it is marked as one).
     * @example await wb.scoreTest(model, 'head, lesson 8')
     * @group evaluate
     */
    scoreTest: async (model: AnyModel, name: string, options?: { acknowledgeSecondLook?: boolean }) =>
      tests.scoreTest(await session.transferModel(model, 'wb.scoreTest'), name, options),
    /**
     * Every look at the test photos recorded in this browser, oldest first.
     * @example wb.testLooks().length
     * @group evaluate
     */
    testLooks: tests.looks,
    /**
     * The page's runs table and its rows: every wb.train run is one.
     * @example wb.runs.show()
     * @group compare
     */
    runs: runsGroup,
    /**
     * Two models on the same validation photos: both accuracies with 95 % intervals, and whether their difference
     * is more than those photos can resolve (McNemar's test, paired).
     * @example await wb.compare(linear, hidden, ['linear', 'hidden'])
     * @group compare
     */
    compare: compareApi(session),
    /**
     * Each freeze point's runs and summary (accuracy over seeds with intervals, seconds per epoch), after training
     * every point with every seed from a solution checkpoint; shows one chart, a table and what the photos separate.
     * @example const sweep = await wb.freezeSweep(['global_average_pooling2d_1', 'conv_pw_11_relu'], { seeds: [1, 2, 3] });
     * @group compare
     */
    freezeSweep: freezeSweepApi(session),
    /**
     * A freeze-point sweep recorded once in Chromium (too long for a page), shown as wb.freezeSweep shows one and
     * labelled as recorded: where, when, how many epochs and seeds; with the accuracy after every epoch.
     * @example const everything = await wb.recordedSweep('everything');
     * @group compare
     */
    recordedSweep: recordedSweepApi(),
    /**
     * Measured evidence with intervals: probes at every depth, photos per class, the cost of BatchNorm drift.
     * @example await wb.evidence.depths(probe)
     * @group compare
     */
    evidence: evidenceGroup,
    /**
     * The course's solution models: load one, compare your run with it, or restore it to carry on.
     * @example let model = await wb.checkpoints.restore('head');
     * @group save
     */
    checkpoints,
    /**
     * What was written, after exporting the whole trained network as a standard TensorFlow.js model: a download
     * (model.json + weights) and a copy in this browser's IndexedDB. Keras: `model.save`.
     * @example await wb.exportModel(model, 'cat-dog-other')
     * @group save
     */
    exportModel: (model: AnyModel, name: string, options?: { download?: boolean; indexedDb?: boolean }) =>
      session.transferModel(model, 'wb.exportModel').then((tm) => uploads.exportModel(tm, name, options)),
    /**
     * A model exported to this browser's IndexedDB earlier, loaded back as a tf.LayersModel. Keras: `load_model`.
     * @example const again = await wb.loadExported('cat-dog-other');
     * @group save
     */
    loadExported: (name: string): Promise<tf.LayersModel> => uploads.loadExported(name),
    /**
     * Nothing: shows ✓ or ✗ under the cell (a ✗ with a hint, one more per failed try, and stops the cell).
     * `wb.check(condition, ok, notYet, hint?)` for your own; `wb.check.<name>(…)` for a lesson's.
     * @example await wb.check(ev.accuracy > 0.8, 'above 80 %', 'not yet above 80 %');
     * @group check
     */
    check,
  };
}

/** The facade's type: what `wb` is in a cell (src/runtime/cell-globals.ts declares it). */
export type Workbook = ReturnType<typeof assemble>;

/**
 * Creates the facade. In the page (no argument) it waits for TensorFlow.js with the backend the runtime chose,
 * fetches the class names and photo index, and registers a Restart hook that drops the (then disposed) model.
 * Tests pass a platform that reads the assets from disk. `lessonChecks`, the page's lessons/NN-slug/checks.ts
 * (checks-of-lesson.ts finds it), become the named members of `wb.check`.
 */
export async function createWorkbook(platform?: WorkbookPlatform, lessonChecks?: LessonChecks): Promise<Workbook> {
  if (!platform) {
    const [{ loadTf }, { browserPlatform }] = await Promise.all([
      import('../runtime/browser-globals'),
      import('./platform-browser'),
    ]);
    await loadTf(); // one backend choice per page, shared with the cells' `tf`
    platform = browserPlatform();
  }
  const session = await Session.create(platform);
  if (typeof document !== 'undefined') onRestart(() => session.forget());
  return assemble(session, lessonChecks);
}
