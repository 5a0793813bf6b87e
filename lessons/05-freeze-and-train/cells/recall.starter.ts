// Recall of "other": of the validation photos that ARE "other", the share the model called "other".
// ev.confusion[actual][predicted] counts photos; the labels are in ev.labels (cat, dog, other).
const otherRow = ev.confusion[ev.labels.indexOf('other')];
const recallOther: number = 0; // TODO: the right answers in this row divided by the row's total
await wb.check.recall(ev, 'other', recallOther);
recallOther;
