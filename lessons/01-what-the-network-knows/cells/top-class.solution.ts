// Which of the 1000 classes does the model find most probable for this photo?
const classId: number = probs.argMax(-1).dataSync()[0];
console.log(`class ${classId}: ${wb.imagenetClasses[classId]}`);
await wb.check.mostProbableClass(probs, classId);
