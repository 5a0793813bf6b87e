// Our question has three answers. Translate each of ImageNet's 1000 classes into one of them.
function ourLabel(classId: number): string {
  // ImageNet's classes 151 to 268 are dog breeds and 281 to 285 are domestic cats.
  // TODO: return 'dog', 'cat' or 'other' for this class
  return 'other';
}
await wb.check.ourLabels(ourLabel);
