// Which of your validation photos did it get right, and which did it confuse with what? The same wb.evaluate as the
// course's photos (Keras: one model.evaluate for any dataset), given your photo set instead.
const ownEval = await wb.evaluate(ownModel, mine);
display(wb.showConfusionMatrix(ownEval), wb.showMistakes(ownEval));
