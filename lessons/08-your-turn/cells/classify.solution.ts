// The same path without the widget: a photo file in, three probabilities out.
const photo = await wb.photos.file('cat/British_Shorthair_139.jpg');
const scores = await wb.classify(model, photo);
scores.map((s) => `${s.label}: ${(s.probability * 100).toFixed(1)} %`).join(', ');
