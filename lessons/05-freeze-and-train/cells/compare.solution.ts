// Your run beside the course's solution checkpoint "head" (trained the same way, ahead of time, in Node).
await wb.checkpoints.compare(run, model, 'head');
