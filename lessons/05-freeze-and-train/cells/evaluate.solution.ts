// Every validation photo through the trained model: where are the mistakes?
const ev = await wb.evaluate(model);
display(wb.showConfusionMatrix(ev));
wb.showClassMetrics(ev);
