// How far does "ImageNet's answer, translated" get on the validation photos (photos no model ever trains on)?
const validation = wb.photos.all('validation');
const best = await wb.classify(model, validation, { top: 1, show: false });
const wrong = best.filter((answer) => ourLabel(answer.top[0].index) !== answer.photo.label);
const right = validation.length - wrong.length;
console.log(`${right} of ${validation.length} right: ${((100 * right) / validation.length).toFixed(1)}%`);
// 78 photos are few: the check shows this baseline with its 95 % interval, the uncertainty every later score has too.
await wb.check.baseline(best, ourLabel);
// The photos it gets wrong, with the ImageNet class it chose:
wb.photos.show(
  wrong.map((answer) => answer.photo),
  { caption: (photo, i) => `${photo.label}: “${wrong[i].top[0].name}”` },
);
