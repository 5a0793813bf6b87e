// Which of your validation photos did it get right, and which did it confuse with what?
const ownEval = await wb.own.evaluate(ownModel, mine);
display(wb.showConfusionMatrix(ownEval), wb.showMistakes(ownEval));
