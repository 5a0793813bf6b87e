// Our question has three answers. Translate each of ImageNet's 1000 classes into one of them.
// Find where the runs of dog breeds and of domestic cats begin and end in wb.imagenetClasses, by their names
// (see the text above): let the code find the class ids, rather than typing numbers.
const dogs = { first: -1, last: -1 }; // TODO: the ids of the first and the last dog breed
const cats = { first: -1, last: -1 }; // TODO: the ids of the first and the last domestic cat
console.log(`dogs: ${dogs.first}–${dogs.last}, cats: ${cats.first}–${cats.last}`);

function ourLabel(classId: number): string {
  // TODO: 'dog', 'cat' or 'other' for this class
  return 'other';
}
await wb.check.ourLabels(ourLabel);
