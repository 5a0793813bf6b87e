// Side by side with the course's solution for this head, "head-hidden".
await wb.checkpoints.compare(hiddenRun, hiddenModel, 'head-hidden');
