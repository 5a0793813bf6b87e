// How does validation accuracy fall with fewer training photos? Train one fresh head per size, with the same settings
// each time, on that many training photos of each class, and keep each run as { perClass, run }.
const sizes = [5, 10, 25];
const fewer: { perClass: number; run: Awaited<ReturnType<typeof wb.train>> }[] = [];
// TODO: a loop over `sizes` that builds a new transfer model of `base`, trains it on `perClass` photos of each
//       class (wb.train has an option for which photos), and pushes { perClass, run } into `fewer`.
await wb.check.fewerPhotos(fewer);
wb.runs.show();
