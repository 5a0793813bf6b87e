// Load the exported model back from IndexedDB and classify the same photo with it.
const again: tf.LayersModel | null = null; // TODO: load the export back (the name is in `exported`)
const againScores = again ? await wb.classify(again, photo) : null;
await wb.check.sameAnswers(scores, againScores);
