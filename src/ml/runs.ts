/**
 * What a training run reports and leaves behind. Plain data (JSON-safe), so it can be charted live, stored in a
 * checkpoint, and compared across runs in a table. Drawing the chart or the table is the page's job, not this file's.
 */

/** Metrics after one training step (a batch). */
export interface BatchMetrics {
  epoch: number;
  /** Batch number within the epoch, from 0. */
  batch: number;
  batchesPerEpoch: number;
  /** Mean cross-entropy of this batch (in training mode: with Dropout active). */
  loss: number;
  /** Share of this batch classified correctly. */
  acc: number;
}

/** Metrics after one epoch: the training averages and the held-out validation figures. */
export interface EpochMetrics {
  epoch: number;
  loss: number;
  acc: number;
  valLoss: number;
  valAcc: number;
  /** Wall-clock seconds of the epoch, validation included. */
  seconds: number;
}

/** Everything needed to compare a run with others and to reproduce it. */
export interface RunRecord {
  name?: string;
  /** Last frozen layer. */
  freezeAt: string;
  /** Its index in model.layers: the freeze point resolved once, when the run started. */
  freezeIndex: number;
  /** Last layer kept from the pre-trained network. */
  cutAt: string;
  trainableParams: number;
  frozenParams: number;
  /** Epochs asked for; history.length says how many ran. */
  epochs: number;
  learningRate: number;
  /** Learning-rate schedule: constant, or cosine decay to 0. */
  schedule: 'constant' | 'cosine';
  optimizer: 'adam' | 'sgd';
  batchSize: number;
  augment: boolean;
  seed: number;
  /** Head settings: hidden units, dropout, conv block. */
  head: { hidden?: number; dropout?: number; l2?: number; convBlock?: { filters: number; kernelSize?: number } };
  /** How unfrozen BatchNormalization layers ran. */
  batchNorm: 'train' | 'inference';
  /** 'cached': the suffix trained on stored frozen activations; 'full': every step ran the whole network. */
  mode: 'cached' | 'full';
  history: EpochMetrics[];
  /** Mean seconds per epoch (excludes computing the frozen activations). */
  secondsPerEpoch: number;
  /** Seconds spent computing frozen activations before the first epoch (0 when all were cached already). */
  featureSeconds: number;
  /** tfjs backend that ran it: wasm, webgl, webgpu, cpu. */
  backend: string;
  trainPhotos: number;
  validationPhotos: number;
  /** True when an AbortSignal stopped the run early. */
  stopped?: boolean;
}

/** One row of a runs table: the figures a learner compares. */
export interface RunRow {
  name: string;
  freezeAt: string;
  trainableParams: number;
  epochs: number;
  learningRate: number;
  optimizer: string;
  batchSize: number;
  augment: boolean;
  finalLoss: number;
  finalAcc: number;
  finalValAcc: number;
  bestValAcc: number;
  bestEpoch: number;
  secondsPerEpoch: number;
  backend: string;
  stopped: boolean;
}

/** Collects the run records of a page, in the order they finished. */
export class RunsTable {
  readonly records: RunRecord[] = [];

  /** Adds a record and returns it (so `table.add(await train(…))` reads naturally). */
  add(record: RunRecord): RunRecord {
    this.records.push(record);
    return record;
  }

  /** One summary row per run; unnamed runs are called "run 1", "run 2" … */
  rows(): RunRow[] {
    return this.records.map((r, i) => {
      const last = r.history.at(-1);
      const best = r.history.reduce<EpochMetrics | undefined>((b, h) => (!b || h.valAcc > b.valAcc ? h : b), undefined);
      return {
        name: r.name ?? `run ${i + 1}`,
        freezeAt: r.freezeAt,
        trainableParams: r.trainableParams,
        epochs: r.history.length,
        learningRate: r.learningRate,
        optimizer: r.optimizer,
        batchSize: r.batchSize,
        augment: r.augment,
        finalLoss: last?.loss ?? NaN,
        finalAcc: last?.acc ?? NaN,
        finalValAcc: last?.valAcc ?? NaN,
        bestValAcc: best?.valAcc ?? NaN,
        bestEpoch: best?.epoch ?? -1,
        secondsPerEpoch: r.secondsPerEpoch,
        backend: r.backend,
        stopped: r.stopped ?? false,
      };
    });
  }

  /** The run with the highest final validation accuracy, if any. */
  best(): RunRecord | undefined {
    return this.records.reduce<RunRecord | undefined>(
      (b, r) => ((r.history.at(-1)?.valAcc ?? -1) > (b?.history.at(-1)?.valAcc ?? -1) ? r : b),
      undefined,
    );
  }

  /** Records as JSON-safe data. */
  toJSON(): RunRecord[] {
    return this.records;
  }
}
