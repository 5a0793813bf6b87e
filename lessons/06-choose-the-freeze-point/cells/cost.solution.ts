// What each freeze point cost per epoch, relative to training the head alone.
const rows = wb.runs.rows();
const headOnly = rows.find((r) => r.freezeAt === 'global_average_pooling2d_1');
rows
  .map(
    (r) =>
      `${r.freezeAt}: ${r.trainableParams.toLocaleString('en-US')} trainable weights, ` +
      `${r.secondsPerEpoch.toFixed(2)} s per epoch (${(r.secondsPerEpoch / (headOnly?.secondsPerEpoch ?? NaN)).toFixed(0)}× the head alone), ` +
      `validation accuracy ${(r.finalValAcc * 100).toFixed(1)} %`,
  )
  .join('\n');
