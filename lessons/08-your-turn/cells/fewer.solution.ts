// How does validation accuracy fall with fewer training photos? Train one fresh head per size, with the same settings
// each time, on that many training photos of each class, and keep each run as { perClass, run }.
const sizes = [5, 10, 25];
const fewer: { perClass: number; run: Awaited<ReturnType<typeof wb.train>> }[] = [];
for (const perClass of sizes) {
  const head = wb.buildTransferModel(base);
  const run = await wb.train(head, {
    photos: { perClass },
    epochs: 40,
    learningRate: 0.003,
    name: `${perClass} photos a class`,
  });
  fewer.push({ perClass, run });
}
await wb.check.fewerPhotos(fewer);
wb.runs.show();
