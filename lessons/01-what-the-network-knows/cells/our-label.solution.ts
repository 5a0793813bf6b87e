// Our question has three answers. Translate each of ImageNet's 1000 classes into one of them.
function ourLabel(classId: number): string {
  // ImageNet's classes 151 to 268 are dog breeds and 281 to 285 are domestic cats.
  if (classId >= 151 && classId <= 268) return 'dog';
  if (classId >= 281 && classId <= 285) return 'cat';
  return 'other';
}
await wb.check.ourLabels(ourLabel);
