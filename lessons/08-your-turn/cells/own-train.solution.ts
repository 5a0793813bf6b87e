// No classes of your own yet? An example fills two from the course's photos (birds and vehicles, 6 each), so the
// cells below run; delete them in the widget above once you add yours.
if ((await wb.own.classes()).length === 0) await wb.own.addExample();
// Your photos, each class split into training and validation photos (20 % held out, seeded): refused below 5 a class.
const mine = await wb.own.photos();
// The same engine as lesson 5: a new head with one output per class of yours, on the frozen MobileNet.
const ownModel = wb.buildTransferModel(base, { labels: mine.labels });
const ownRun = await wb.train(ownModel, { photos: mine, epochs: 40, learningRate: 0.003, name: 'my classes' });
