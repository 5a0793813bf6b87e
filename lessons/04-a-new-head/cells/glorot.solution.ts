// The new head, untrained, with the weights Dense starts from by default (Glorot uniform).
const firstAnswers = await wb.classify(alpaca, wb.photos.mixed(1));
