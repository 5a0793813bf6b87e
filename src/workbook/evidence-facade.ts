/**
 * The evidence side of `wb` (issue 9), as one object the facade (index.ts) spreads in, and its checks:
 *
 * ```ts
 * await wb.evidence.depths(probe);                      // lesson 3: a linear probe at every depth, ImageNet vs random
 * await wb.evidence.photosPerClass();                   // lesson 3: accuracy against training photos per class
 * await wb.evidence.batchNormCost(naive, frozen);       // lesson 6: BatchNorm drift of a naive fit, and its cost
 * await wb.compare(modelA, modelB, ['A', 'B']);         // two models on the same validation photos, paired
 * await wb.scoreTest(model, 'head, lesson 8');          // the one look at the test photos
 * ```
 */
import { evidenceApi } from './evidence';
import { evidenceChecks } from './evidence-checks';
import { driftApi, driftChecks } from './evidence-drift';
import { compareApi } from './intervals';
import type { Session } from './session';
import { testSplitApi } from './test-split';

/** Builds the evidence members of the facade and their named checks over the page's session. */
export function evidenceFacade(session: Session) {
  const evidence = evidenceApi(session);
  const tests = testSplitApi(session);
  return {
    members: {
      /** How transferable each depth is, how many photos the weights save, what BatchNorm drift costs. */
      evidence: { ...evidence, ...driftApi(session) },
      /**
       * Two transfer models scored on the same validation photos: both accuracies with 95 % intervals, and whether
       * their difference is more than those photos can resolve (McNemar's test on the photos they disagree on).
       */
      compare: compareApi(session),
      /** The test photos, scored once: a second look throws unless `{ acknowledgeSecondLook: true }`, and is then marked as one. */
      scoreTest: tests.scoreTest,
      /** Every look at the test photos recorded in this browser. */
      testLooks: tests.looks,
    },
    checks: { ...evidenceChecks(evidence), ...driftChecks(session) },
  };
}
