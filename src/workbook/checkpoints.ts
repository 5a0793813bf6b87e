/**
 * Solution checkpoints: models the course trained ahead of time (`npm run checkpoints` writes them to
 * public/checkpoints/<name>/ with the engine's saveCheckpoint: only the trained layers, a few kB, plus the run
 * record with its learning curves). A lesson uses them three ways:
 *
 * - `wb.checkpoints.load('head')`: the solution model and its record, to look at;
 * - `wb.checkpoints.compare(myRun, myModel, 'head')`: metrics side by side and the checkpoint's curves drawn over
 *   the learner's run — "did mine learn as well as the reference, and as fast?";
 * - `wb.checkpoints.restore('head')`: a fresh copy of the solution to carry on with, for a learner whose own model
 *   broke (a wrong freeze point, a diverged run) and who wants to do the rest of the lesson anyway.
 */
import { CheckpointNotFoundError, loadCheckpoint, type LoadedCheckpoint } from '../ml/checkpoint';
import type { Evaluation } from '../ml/evaluate';
import type { RunRecord } from '../ml/runs';
import { asLayersModel, type AnyModel, type TransferModel } from '../ml/surgery';
import { cellOutput } from './cell-output';
import { evaluateSplit } from './evaluation';
import { curvesOf } from './training-chart';
import type { Session } from './session';
import { count, duration, percent, textTable, workbookElement } from './dom';
import { withFinalFigures } from './training';
import { siteUrl } from '../platform/base-url';
import { errorMessage } from '../ml/error-message';

/** Where the checkpoints are served: public/checkpoints/<name>/model.json. */
export const CHECKPOINTS_URL = siteUrl('checkpoints/');

/** A loaded solution checkpoint. */
export interface Checkpoint extends LoadedCheckpoint {
  /** Its name: the folder under public/checkpoints/ ("head", "head-hidden", "last2"). */
  name: string;
}

/** The URL of a checkpoint's model.json (a name is letters, digits, "-" or "_": nothing else reaches a URL). */
function checkpointUrl(name: string): string {
  if (typeof name !== 'string' || !/^[\w-]+$/.test(name))
    throw new Error(`a checkpoint name is letters, digits, "-" or "_", like "head"; not ${JSON.stringify(name)}`);
  return `${CHECKPOINTS_URL}${name}/model.json`;
}

/** The `wb.checkpoints` group of the facade (its learner-facing docs: surface-groups.ts CheckpointsGroup). */
export function checkpointsApi(session: Session) {
  const evaluations = new Map<string, Promise<Evaluation>>();

  /** A new transfer model of the checkpoint every call (training it never changes another copy), and its record. */
  async function load(name: string): Promise<Checkpoint> {
    const url = checkpointUrl(name);
    const [base] = await Promise.all([session.loadModel(), session.tf()]);
    try {
      return { name, ...(await loadCheckpoint(url, base)) };
    } catch (e) {
      throw new Error(
        e instanceof CheckpointNotFoundError
          ? `checkpoint "${name}" is not on this site (${url}): the course's checkpoints are made by \`npm run checkpoints\` before the build`
          : `checkpoint "${name}" (${url}) could not be loaded: ${errorMessage(e)}`,
        { cause: e },
      );
    }
  }

  /** A fresh copy of the solution model to carry on with; says under the cell what was restored and how good. */
  async function restore(name: string): Promise<TransferModel> {
    const checkpoint = await load(name);
    const record = checkpoint.record;
    const note = workbookElement('p', 'restored');
    note.dataset.checkpoint = name;
    note.textContent =
      `Restored the “${name}” solution: frozen up to ${record?.freezeAt ?? checkpoint.meta.attachAt}` +
      (record
        ? `, trained ${record.history.length} epochs, validation accuracy ${percent(withFinalFigures(record).valAcc)}`
        : '') +
      '. Carry on from here.';
    cellOutput().show(() => note);
    return checkpoint.model;
  }

  /** The checkpoint's validation evaluation (memoised: it never changes). */
  function evaluationOf(checkpoint: Checkpoint): Promise<Evaluation> {
    let pending = evaluations.get(checkpoint.name);
    if (!pending) {
      pending = evaluateSplit(session, checkpoint.model);
      pending.catch(() => evaluations.delete(checkpoint.name));
      evaluations.set(checkpoint.name, pending);
    }
    return pending;
  }

  /**
   * A learner's run next to a checkpoint's: the figures side by side (validation accuracy and loss from a fresh
   * evaluation of both models, per-class recall, epochs, trainable parameters, seconds per epoch) and both runs'
   * learning curves in one chart, the checkpoint's dashed.
   */
  async function compare(run: RunRecord, model: AnyModel, name: string): Promise<HTMLElement> {
    const tm = await session.transferModel(model, 'wb.checkpoints.compare');
    if (!run || !Array.isArray(run.history))
      throw new Error('wb.checkpoints.compare(run, model, name): run must be what wb.train returned');
    const checkpoint = await load(name);
    const [mine, theirs] = [await evaluateSplit(session, tm), await evaluationOf(checkpoint)];
    asLayersModel(checkpoint.model, 'wb.checkpoints.compare').dispose();
    const ref = checkpoint.record;
    const view = workbookElement('div', 'compare');
    view.dataset.checkpoint = name;
    view.dataset.mine = String(mine.accuracy);
    view.dataset.theirs = String(theirs.accuracy);
    const rows: string[][] = [
      ['validation accuracy', percent(mine.accuracy), percent(theirs.accuracy)],
      ['validation loss', mine.loss.toFixed(3), theirs.loss.toFixed(3)],
      ...mine.perClass.map((c, i) => [
        `recall of ${c.label}`,
        percent(c.recall),
        percent(theirs.perClass[i]?.recall ?? NaN),
      ]),
      ['epochs', String(run.history.length), ref ? String(ref.history.length) : '–'],
      ['frozen up to', run.freezeAt, ref?.freezeAt ?? checkpoint.meta.attachAt],
      ['trainable parameters', count(run.trainableParams), ref ? count(ref.trainableParams) : '–'],
      ['learning rate', String(run.learningRate), ref ? String(ref.learningRate) : '–'],
      [
        'seconds per epoch',
        duration(run.secondsPerEpoch),
        ref ? `${duration(ref.secondsPerEpoch)} (${ref.backend})` : '–',
      ],
    ];
    view.append(textTable(`Your run vs the “${name}” checkpoint`, ['', 'yours', `checkpoint “${name}”`], rows));
    if (ref) {
      const Plot = await import('@observablehq/plot');
      view.append(
        curvesOf(
          'Learning curves: yours (solid) and the checkpoint’s (dashed)',
          [{ label: `checkpoint ${name} (dashed)`, history: ref.history }],
          Plot,
          [{ label: run.name ?? 'your run', history: run.history }],
        ),
      );
    }
    return view;
  }

  return { load, restore, compare };
}
