// The course's own fine-tuned model, "last-two-blocks": the head, then blocks 12 and 13 trained with it for 8 epochs
// at 0.0003 on mirrored photos (npm run checkpoints). Both scored on the same validation photos, paired.
const headModel = (await wb.checkpoints.load('head')).model;
const lastTwo = (await wb.checkpoints.load('last-two-blocks')).model;
const checkpoints = await wb.compare(headModel, lastTwo, ['head (lesson 5)', 'last-two-blocks (8 epochs)']);
