/**
 * Lesson 3's check of the learner's linear probe: it is called on features the learner's cell never passed it
 * (block 13's and the stem's, at 256 and 8 features) and judged by what it returns: one probability distribution
 * per validation photo, not the same for every photo, and enough of them right.
 */
import { fail, pass, runCheck, type CheckResult } from './checks';
import type { evidenceApi, Probe } from './evidence';

/** The probe accuracy the check asks for on block 13's features (a linear probe there reaches about 85 %). */
export const PROBE_TARGET = 0.75;

/**
 * Lesson 3: the learner's probe, run on block 13's ImageNet features and on the stem's (8 features, a shape the
 * learner's cell never tried): one row of probabilities per validation photo, each summing to 1, and at least
 * PROBE_TARGET of the validation photos right on block 13.
 */
export async function linearProbeCheck(api: ReturnType<typeof evidenceApi>, probe: Probe): Promise<CheckResult> {
  if (typeof probe !== 'function')
    return fail(
      `Pass your probe function itself; got ${typeof probe}.`,
      'wb.check.linearProbe(probe), without calling it.',
    );
  const { point, probabilities } = await api.score(probe, 'conv_pw_13_relu', 'imagenet');
  const shape = (rows: number[][]) => `[${rows.length}, ${rows[0]?.length ?? 0}]`;
  if (probabilities.length !== point.total || probabilities.some((r) => !Array.isArray(r) || r.length !== 3)) {
    return fail(
      `Your probe returned ${shape(probabilities)} for ${point.total} validation photos; it should be [${point.total}, 3]: one probability per class per photo.`,
      'Apply your weights to validationX (not to train.x), and give one output per class: train.y.shape[1].',
    );
  }
  const badRow = probabilities.findIndex(
    (r) => r.some((v) => !Number.isFinite(v) || v < 0) || Math.abs(r.reduce((a, b) => a + b, 0) - 1) > 1e-3,
  );
  if (badRow >= 0)
    return fail(
      `Row ${badRow} of your output, [${probabilities[badRow]!.map((v) => v.toFixed(3)).join(', ')}], is not a probability distribution.`,
      'Logits become probabilities with tf.softmax.',
    );
  const first = probabilities[0]!;
  if (probabilities.every((r) => r.every((v, j) => Math.abs(v - first[j]!) < 1e-6))) {
    return fail(
      'Your probe gives every photo the same probabilities: it has not learned anything from the features yet.',
      'Fit weights W [features, classes] and a bias b: repeat optimizer.minimize on the softmax cross-entropy of train.x·W + b against train.y.',
    );
  }
  if (point.accuracy < PROBE_TARGET) {
    return fail(
      `Your probe is right on ${point.correct} of ${point.total} validation photos (${(point.accuracy * 100).toFixed(1)} %): a linear probe on block 13 can reach ${PROBE_TARGET * 100} % or more.`,
      'Train longer (about 100 full-batch steps) with a step size like 0.05 (Adam), and check that the loss compares train.y with the logits of train.x.',
    );
  }
  const stem = await api.score(probe, 'conv1_relu', 'imagenet');
  if (stem.probabilities.length !== stem.point.total || stem.probabilities.some((r) => r.length !== 3)) {
    return fail(
      `On the stem's 8 features your probe returned ${shape(stem.probabilities)}: it must take the number of features from train.x.`,
      'Size W from train.x.shape[1], not a fixed 256.',
    );
  }
  return pass(
    `Your probe is right on ${point.correct} of ${point.total} validation photos on block 13's features (${(point.accuracy * 100).toFixed(1)} %, 95 % interval ${(point.interval.low * 100).toFixed(1)}–${(point.interval.high * 100).toFixed(1)} %), and runs on the stem's 8 features too.`,
  );
}

/** The evidence checks of `wb.check`. */
export function evidenceChecks(api: ReturnType<typeof evidenceApi>) {
  return {
    /** Lesson 3: your linear probe gives 3 probabilities per validation photo and reads block 13's features well. */
    linearProbe: (probe: Probe) => runCheck(() => linearProbeCheck(api, probe)),
  };
}
