// Recall of "other": of the validation photos that ARE "other", the share the model called "other".
// ev.confusion[actual][predicted] counts photos; the labels are in ev.labels (cat, dog, other).
const otherRow = ev.confusion[ev.labels.indexOf('other')];
const recallOther: number = otherRow[ev.labels.indexOf('other')] / otherRow.reduce((a, b) => a + b, 0);
await wb.check.recall(ev, 'other', recallOther);
recallOther;
