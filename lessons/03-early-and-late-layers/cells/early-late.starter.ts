// Pick two layers to compare on the same photo, by what they are: the early one is the first activation of the
// network (the stem's output), the late one the last layer with feature maps before the pooling. Let the code
// find them in model.layers rather than copying a name from a table.
const early: string = /* TODO: the name of the first layer that applies an activation */ '';
const late: string = /* TODO: the name of the last layer whose output is still a grid of several positions */ '';
console.log(`early: ${early}, late: ${late}`);
await wb.check.earlyAndLate(model, early, late);
await wb.pictures.showEarlyAndLate(model, 'cat/Egyptian_Mau_10.jpg', { early, late });
