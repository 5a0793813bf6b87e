// Recall of class i: of the validation photos that ARE class i, the share the model called i.
// confusion[actual][predicted] counts photos; the labels are in ev.labels (cat, dog, other).
function recall(confusion: number[][], i: number): number {
  return 0; // TODO: from the numbers of confusion that are about class i
}
await wb.check.recallFunction(recall, ev);
ev.labels.map((label, i) => `${label}: ${recall(ev.confusion, i).toFixed(3)}`).join(', ');
