// The untrained head on 2 photos of each label, and how surprised it is on average by the right answers.
const sample = wb.photos.mixed(2);
const answers = await wb.classify(alpaca, sample);
const probsOfTruth = answers.map((answer) => answer.top.find((p) => p.name === answer.photo.label)!.probability);
const loss = -probsOfTruth.reduce((sum, p) => sum + Math.log(p), 0) / probsOfTruth.length;
console.log(`cross-entropy loss: ${loss.toFixed(4)} (ln 3 = ${Math.log(3).toFixed(4)})`);
